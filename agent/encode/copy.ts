// `copy` detection: a scrolled or moved region is sent as "these pixels come from (sx, sy)" plus
// whatever it exposed. Two candidate searches inside the changed area, both verified pixel-exact:
//  - scroll: hashes of sampled pixels per row vote for a vertical shift dy between the previous
//    and the current rows;
//  - move: a few distinctive row segments ("probes") of the current frame are looked up by a
//    rolling hash in every position of the previous frame's changed area; the displacements most
//    probes agree on are the candidates.
// A scroll becomes up to MAX_RECTS_PER_SHIFT disjoint rectangles that match exactly under it
// (largest first), so windows over the scrolled text and fixed bars cut holes instead of leaving
// the rest to be re-encoded; a move becomes the largest such rectangle.
// A wrong candidate costs time, never pixels: only verified rects are returned.
import type { Box, Source } from './types.ts';

export interface Copy { x: number; y: number; w: number; h: number; sx: number; sy: number }

const SAMPLE_STEP = 3;
const PROBE_LEN = 32;
const MAX_PROBES = 48;
const MAX_HITS_PER_PROBE = 8;
/** The move search scans every position of the area: skip it for huge areas (full-screen photos). */
const MAX_MOVE_AREA = 1_300_000;
/** A copy must replace at least this many changed pixels to be worth a rect. */
const MIN_GAIN = 1024;
/** Column granularity of matchRects. */
const BLOCK = 32;
/** Rectangles kept for one scroll shift (a real desktop cuts a terminal into ≈ 3–6). */
const MAX_RECTS_PER_SHIFT = 8;

/**
 * Finds the copies of one shift inside `area` (the bounding box of the changes), in the order to
 * apply them (each reads only pixels no earlier one wrote), or []; `move: false` looks for
 * scrolls only. Callers still check each with copyMatches against their model before applying.
 */
export function findCopies(prev: Source, cur: Source, area: Box, move = true): Copy[] {
  if (area.w < PROBE_LEN * 2 || area.h < 8) return [];
  const scroll = findScroll(prev, cur, area);
  if (scroll.length) return scroll;
  if (!move || area.w * area.h > MAX_MOVE_AREA) return [];
  const m = findMove(prev, cur, area);
  return m ? [m] : [];
}

/** Does `dst` (the model, with earlier copies applied) hold at (sx, sy) exactly what `cur` has at (x, y)? */
export function copyMatches(dst: Source, cur: Source, c: Copy): boolean {
  for (let y = 0; y < c.h; y++) if (!rowMatch(dst, cur, c.y + y, c.x, c.x + c.w, c.sx - c.x, c.sy - c.y)) return false;
  return true;
}

/** Copies `c` within `dst` (the encoder's model of the viewer's screen), overlap-safe. */
export function applyCopy(dst: Source, c: Copy): void {
  const stride = dst.width * 4, n = c.w * 4;
  const down = c.y > c.sy; // copy bottom-up when moving down, so sources are read before overwritten
  for (let i = 0; i < c.h; i++) {
    const r = down ? c.h - 1 - i : i;
    dst.data.copyWithin((c.y + r) * stride + c.x * 4, (c.sy + r) * stride + c.sx * 4, (c.sy + r) * stride + c.sx * 4 + n);
  }
}

// Rows of cur at y (columns x0..x1) equal prev at (x0+dx, y+dy)?
function rowMatch(prev: Source, cur: Source, y: number, x0: number, x1: number, dx: number, dy: number): boolean {
  const stride = cur.width * 4;
  const a = y * stride + x0 * 4, b = (y + dy) * stride + (x0 + dx) * 4;
  return cur.data.compare(prev.data, b, b + (x1 - x0) * 4, a, a + (x1 - x0) * 4) === 0;
}

function sameRow(ok: Uint8Array, a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (ok[a + i] !== ok[b + i]) return false;
  return true;
}

function colMatch(prev: Source, cur: Source, x: number, y0: number, y1: number, dx: number, dy: number): boolean {
  const W = cur.width, off = dy * W + dx;
  for (let i = y0 * W + x; i < y1 * W; i += W) if (cur.px[i] !== prev.px[i + off]) return false;
  return true;
}

/** Changed pixels (rows × width, per changed row) a copy would replace. */
function gain(prev: Source, cur: Source, c: Copy): number {
  let n = 0;
  for (let y = c.y; y < c.y + c.h; y++) if (!rowMatch(prev, cur, y, c.x, c.x + c.w, 0, 0)) n += c.w;
  return n;
}

function rowHashes(s: Source, area: Box): Int32Array {
  const out = new Int32Array(area.h);
  const { px, width } = s;
  for (let r = 0; r < area.h; r++) {
    let h = 0x811c9dc5 | 0;
    for (let i = (area.y + r) * width + area.x, end = i + area.w; i < end; i += SAMPLE_STEP) h = Math.imul(h ^ px[i], 0x01000193);
    out[r] = h;
  }
  return out;
}

function findScroll(prev: Source, cur: Source, area: Box): Copy[] {
  if (area.h < 16) return [];
  const hp = rowHashes(prev, area), hc = rowHashes(cur, area);
  const rowsOf = new Map<number, number[]>();
  for (let r = 0; r < area.h; r++) {
    const list = rowsOf.get(hp[r]);
    if (list) list.push(r); else rowsOf.set(hp[r], [r]);
  }
  const votes = new Map<number, number>();
  let changed = 0;
  for (let r = 0; r < area.h; r++) {
    if (hc[r] === hp[r]) continue;
    changed++;
    const list = rowsOf.get(hc[r]);
    if (!list || list.length > 8) continue; // blank lines match everywhere: no information
    for (const p of list) votes.set(p - r, (votes.get(p - r) ?? 0) + 1);
  }
  let dy = 0, best = 0;
  for (const [d, n] of votes) if (n > best) { best = n; dy = d; }
  if (dy === 0 || best < Math.max(4, changed * 0.1)) return [];
  return matchRects(prev, cur, area, 0, dy, MAX_RECTS_PER_SHIFT).filter((c) => gain(prev, cur, c) >= MIN_GAIN);
}

const B = 0x01000193;
const BL = (() => { let p = 1; for (let i = 1; i < PROBE_LEN; i++) p = Math.imul(p, B); return p; })(); // B^(L-1)

function segHash(px: Uint32Array, i: number): number {
  let h = 0;
  for (let k = 0; k < PROBE_LEN; k++) h = (Math.imul(h, B) + px[i + k]) | 0;
  return h;
}

interface Probe { x: number; y: number; hash: number; hits: number; at: number[] }

function pickProbes(prev: Source, cur: Source, area: Box, step: number): Probe[] {
  const probes: Probe[] = [];
  const W = cur.width;
  for (let y = area.y + (step >> 1); y < area.y + area.h && probes.length < MAX_PROBES; y += step) {
    let found = 0;
    for (let x = area.x; x + PROBE_LEN <= area.x + area.w && found < 2; x += PROBE_LEN) {
      const i = y * W + x;
      let changed = false, varied = 0;
      for (let k = 0; k < PROBE_LEN; k++) {
        if (cur.px[i + k] !== prev.px[i + k]) changed = true;
        if (k > 0 && cur.px[i + k] !== cur.px[i + k - 1]) varied++;
      }
      if (!changed || varied < 3) continue; // flat segments match everywhere
      probes.push({ x, y, hash: segHash(cur.px, i), hits: 0, at: [] });
      found++;
      x += PROBE_LEN * 4; // spread probes over the row
    }
  }
  return probes;
}

function findMove(prev: Source, cur: Source, area: Box): Copy | null {
  let probes = pickProbes(prev, cur, area, Math.max(1, Math.floor(area.h / (MAX_PROBES / 2))));
  // a mostly flat window (one line of text on a plain background): look at every row
  if (probes.length < 4) probes = pickProbes(prev, cur, area, 1);
  if (probes.length === 0) return null;
  const filter = new Uint8Array(1 << 16);
  const byHash = new Map<number, Probe[]>();
  for (const p of probes) {
    filter[p.hash & 0xffff] = 1;
    const l = byHash.get(p.hash);
    if (l) l.push(p); else byHash.set(p.hash, [p]);
  }
  const W = prev.width, px = prev.px;
  for (let y = area.y; y < area.y + area.h; y++) {
    const row = y * W;
    let i = row + area.x;
    const end = row + area.x + area.w - PROBE_LEN;
    if (end < i) break;
    let h = segHash(px, i);
    for (;;) {
      if (filter[h & 0xffff] === 1) {
        const l = byHash.get(h);
        if (l) for (const p of l) {
          const dx = i - row - p.x, dy = y - p.y;
          if (dx === 0 && dy === 0) continue;
          // a probe found in many places is not distinctive: it stops collecting
          if (++p.hits <= MAX_HITS_PER_PROBE) p.at.push(dx, dy);
        }
      }
      if (i >= end) break;
      h = (Math.imul((h - Math.imul(px[i], BL)) | 0, B) + px[i + PROBE_LEN]) | 0;
      i++;
    }
  }
  const votes = new Map<number, { n: number; dx: number; dy: number }>();
  for (const p of probes) {
    if (p.hits === 0 || p.hits > MAX_HITS_PER_PROBE) continue;
    for (let k = 0; k < p.at.length; k += 2) {
      const dx = p.at[k], dy = p.at[k + 1];
      const key = dx * 65536 + dy;
      const v = votes.get(key);
      if (v) v.n++; else votes.set(key, { n: 1, dx, dy });
    }
  }
  const ranked = [...votes.values()].sort((a, b) => b.n - a.n).slice(0, 3);
  let best: Copy | null = null, bestGain = MIN_GAIN - 1;
  for (const v of ranked) {
    if (v.n < 2 && probes.length > 4) break;
    const c = largestMatch(prev, cur, area, v.dx, v.dy);
    if (!c) continue;
    const g = gain(prev, cur, c);
    if (g > bestGain) { best = c; bestGain = g; }
  }
  return best;
}

/** The largest rectangle inside `area` where cur = prev shifted by (dx, dy), or null. */
function largestMatch(prev: Source, cur: Source, area: Box, dx: number, dy: number): Copy | null {
  return matchRects(prev, cur, area, dx, dy, 1)[0] ?? null;
}

/**
 * Up to `max` disjoint rectangles inside `area` where cur = prev shifted by (dx, dy), largest
 * first, returned in apply order. Rows × 32-px blocks are matched once (one memcmp each); each
 * round finds the largest all-matching rectangle of blocks not yet covered (histogram method),
 * extends its left and right edges pixel by pixel, and marks it covered. A scrollbar thumb, a
 * fixed header or a window over the text only cuts holes.
 */
function matchRects(prev: Source, cur: Source, area: Box, dx: number, dy: number, max: number): Copy[] {
  const W = cur.width, H = cur.height;
  const x0 = Math.max(area.x, -dx), x1 = Math.min(area.x + area.w, W - dx);
  const y0 = Math.max(area.y, -dy), y1 = Math.min(area.y + area.h, H - dy);
  if (x1 - x0 < BLOCK || y1 - y0 < 2) return [];
  const nb = Math.ceil((x1 - x0) / BLOCK), nr = y1 - y0;
  const ok = new Uint8Array(nr * nb); // 1: block matches under the shift and is not covered yet
  for (let r = 0; r < nr; r++) {
    const y = y0 + r;
    if (rowMatch(prev, cur, y, x0, x1, dx, dy)) { ok.fill(1, r * nb, (r + 1) * nb); continue; }
    for (let b = 0; b < nb; b++) {
      const a = x0 + b * BLOCK;
      if (rowMatch(prev, cur, y, a, Math.min(x1, a + BLOCK), dx, dy)) ok[r * nb + b] = 1;
    }
  }
  const heights = new Int32Array(nb + 1); // heights[nb] = 0 closes the histogram
  const stack = new Int32Array(nb + 1);
  const out: Copy[] = [];
  const covered = (x: number, ya: number, yb: number) => out.some((c) => x >= c.x && x < c.x + c.w && ya < c.y + c.h && yb > c.y);
  while (out.length < max) {
    heights.fill(0);
    let best = 0, bx0 = 0, bx1 = 0, by0 = 0, by1 = 0;
    for (let r = 0; r < nr; r++) {
      // A run of rows with the same blocks matching (most of a scrolled text) has its largest
      // rectangles ending at its last row: the histogram is only searched there (≈ 10× fewer rows).
      let end = r + 1;
      while (end < nr && sameRow(ok, r * nb, end * nb, nb)) end++;
      const run = end - r;
      for (let b = 0; b < nb; b++) heights[b] = ok[r * nb + b] ? heights[b] + run : 0;
      r = end - 1;
      // largest rectangle under the histogram ending at row r
      let sp = 0;
      for (let b = 0; b <= nb; b++) {
        while (sp > 0 && heights[stack[sp - 1]] >= heights[b]) {
          const h = heights[stack[--sp]];
          const left = sp > 0 ? stack[sp - 1] + 1 : 0;
          const xa = x0 + left * BLOCK, xb = Math.min(x1, x0 + b * BLOCK);
          if (h * (xb - xa) > best) { best = h * (xb - xa); bx0 = xa; bx1 = xb; by0 = y0 + r - h + 1; by1 = y0 + r + 1; }
        }
        stack[sp++] = b;
      }
    }
    if (best < MIN_GAIN) break;
    while (bx0 > x0 && !covered(bx0 - 1, by0, by1) && colMatch(prev, cur, bx0 - 1, by0, by1, dx, dy)) bx0--;
    while (bx1 < x1 && !covered(bx1, by0, by1) && colMatch(prev, cur, bx1, by0, by1, dx, dy)) bx1++;
    out.push({ x: bx0, y: by0, w: bx1 - bx0, h: by1 - by0, sx: bx0 + dx, sy: by0 + dy });
    // every block this rect touches is taken: later rects stay disjoint from it
    const ba = Math.floor((bx0 - x0) / BLOCK), bb = Math.ceil((bx1 - x0) / BLOCK);
    for (let r = by0 - y0; r < by1 - y0; r++) ok.fill(0, r * nb + ba, r * nb + bb);
  }
  // Disjoint rects, one shift: a rect whose source lies in another's destination must go first.
  // In a shared column that other rect lies further along the shift, so sort against it (x when
  // the shift is mostly horizontal). Diagonal moves keep one rect (findMove), so this is exact.
  const key = (c: Copy) => (Math.abs(dy) >= Math.abs(dx) ? (dy > 0 ? c.y : -c.y) : (dx > 0 ? c.x : -c.x));
  return out.sort((a, b) => key(a) - key(b));
}
