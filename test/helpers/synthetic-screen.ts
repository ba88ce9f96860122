// Synthetic screens that look like real ones, for the frame-encoder tests and bench/frame-pipeline:
// terminal text with anti-aliased glyphs, a gradient desktop, windows, a photo-like image.
// Deterministic (seeded), RGBA, alpha 255, like node-screenshots' image.toRaw().

export interface RgbaImage { width: number; height: number; data: Buffer }

export const CELL_W = 8;
export const CELL_H = 16;

export function blank(width: number, height: number, rgb = 0x000000): RgbaImage {
  const img = { width, height, data: Buffer.alloc(width * height * 4) };
  fillRect(img, 0, 0, width, height, rgb);
  return img;
}

export function clone(img: RgbaImage): RgbaImage {
  return { width: img.width, height: img.height, data: Buffer.from(img.data) };
}

const px32 = (rgb: number): number => (0xff000000 | ((rgb & 0xff) << 16) | (rgb & 0xff00) | ((rgb >> 16) & 0xff)) >>> 0;

function view32(img: RgbaImage): Uint32Array {
  return new Uint32Array(img.data.buffer, img.data.byteOffset, img.width * img.height);
}

export function fillRect(img: RgbaImage, x: number, y: number, w: number, h: number, rgb: number): void {
  const p = view32(img);
  const v = px32(rgb);
  const x0 = Math.max(0, x), x1 = Math.min(img.width, x + w);
  for (let yy = Math.max(0, y); yy < Math.min(img.height, y + h); yy++) p.fill(v, yy * img.width + x0, yy * img.width + x1);
}

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A glyph is a 4×6 grid of 2×2 blocks inside the 8×16 cell, with half-tone edges (anti-aliasing).
const glyphCache = new Map<number, Float32Array>();
function glyph(code: number): Float32Array {
  let g = glyphCache.get(code);
  if (g) return g;
  g = new Float32Array(CELL_W * CELL_H);
  if (code !== 32) {
    const r = rng(code * 7919 + 13);
    const on = (bx: number, by: number) => bx >= 0 && bx < 3 && by >= 0 && by < 6 && bits[by * 3 + bx];
    const bits = Array.from({ length: 18 }, () => r() < 0.45);
    for (let by = 0; by < 6; by++) for (let bx = 0; bx < 3; bx++) {
      const x = 1 + bx * 2, y = 3 + by * 2;
      for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) {
        if (on(bx, by)) g[(y + dy) * CELL_W + x + dx] = 1;
      }
      // anti-aliased right/bottom edges
      if (on(bx, by) && !on(bx + 1, by)) { g[y * CELL_W + x + 2] = Math.max(g[y * CELL_W + x + 2], 0.4); g[(y + 1) * CELL_W + x + 2] = Math.max(g[(y + 1) * CELL_W + x + 2], 0.4); }
      if (on(bx, by) && !on(bx, by + 1)) { g[(y + 2) * CELL_W + x] = Math.max(g[(y + 2) * CELL_W + x], 0.7); g[(y + 2) * CELL_W + x + 1] = Math.max(g[(y + 2) * CELL_W + x + 1], 0.7); }
    }
  }
  glyphCache.set(code, g);
  return g;
}

function mix(fg: number, bg: number, a: number): number {
  const c = (s: number) => Math.round(((fg >> s) & 0xff) * a + ((bg >> s) & 0xff) * (1 - a));
  return (c(16) << 16) | (c(8) << 8) | c(0);
}

/**
 * Draws text in 8×16 cells at (x, y), glyphs anti-aliased between fg and bg. `subpixel` mimics
 * ClearType: edge pixels get many coverage levels and colour fringes (different per channel).
 */
export function drawText(img: RgbaImage, x: number, y: number, text: string, fg = 0xd0d0d0, bg = 0x101010, subpixel = false): void {
  const p = view32(img);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const g = glyph(code);
    const cx = x + i * CELL_W;
    for (let gy = 0; gy < CELL_H; gy++) {
      const yy = y + gy;
      if (yy < 0 || yy >= img.height) continue;
      for (let gx = 0; gx < CELL_W; gx++) {
        const xx = cx + gx;
        if (xx < 0 || xx >= img.width) continue;
        let a = g[gy * CELL_W + gx];
        if (!subpixel || a === 0 || a === 1) { p[yy * img.width + xx] = px32(mix(fg, bg, a)); continue; }
        const h = Math.imul(gx * 31 + gy * 17 + code * 7 + (fg & 0xff), 0x9e3779b1) >>> 27; // 0..31, fixed per glyph and colour
        a = Math.min(0.97, Math.max(0.03, a + (h - 16) * 0.02));
        const f = (0.15 + (h & 7) * 0.04) * a * (1 - a) * 4;
        p[yy * img.width + xx] = px32((mix(fg, bg, Math.min(1, a + f)) & 0xff0000) | (mix(fg, bg, a) & 0xff00) | (mix(fg, bg, Math.max(0, a - f)) & 0xff));
      }
    }
  }
}

const WORDS = ['ls', '-la', 'src/', 'total', 'drwxr-xr-x', 'root', 'user', 'build', 'npm', 'run', 'test', 'passed', 'error:', 'warning', 'const', 'return', 'function', '{', '}', '=>', 'import', 'from', './index.ts', '12:04', '4096', 'Nov', 'node_modules', 'git', 'commit', 'main'];

/** A plausible line of terminal text, at most `cols` characters. */
export function textLine(seed: number, cols: number): string {
  const r = rng(seed);
  let s = '';
  const target = Math.floor(cols * (0.2 + 0.7 * r()));
  while (s.length < target) s += WORDS[Math.floor(r() * WORDS.length)] + ' ';
  return s.slice(0, cols);
}

/** A full-screen terminal: line `first + i` of an endless log on row i. */
export function drawTerminal(img: RgbaImage, first: number, fg = 0xd0d0d0, bg = 0x101010): void {
  fillRect(img, 0, 0, img.width, img.height, bg);
  const rows = Math.floor(img.height / CELL_H), cols = Math.floor(img.width / CELL_W);
  for (let i = 0; i < rows; i++) drawText(img, 0, i * CELL_H, textLine(first + i, cols), fg, bg);
}

const SYNTAX = [0x9cdcfe, 0xc586c0, 0xdcdcaa, 0x4ec9b0, 0xce9178, 0x6a9955, 0xd4d4d4, 0x569cd6];

/** A code editor: dark background, syntax-coloured tokens, ClearType-like text. */
export function drawEditor(img: RgbaImage, x0: number, y0: number, w: number, h: number, first: number, bg = 0x1e1e1e): void {
  fillRect(img, x0, y0, w, h, bg);
  const cols = Math.floor(w / CELL_W);
  for (let row = 0; (row + 1) * CELL_H <= h; row++) {
    const line = textLine(first + row, cols);
    let col = 0;
    for (const word of line.split(' ')) {
      const c = SYNTAX[(word.length * 7 + word.charCodeAt(0)) % SYNTAX.length] ?? 0xd4d4d4;
      drawText(img, x0 + col * CELL_W, y0 + row * CELL_H, word, c, bg, true);
      col += word.length + 1;
    }
  }
}

/** A vertical gradient desktop (each row one colour, like a common wallpaper). */
export function drawDesktop(img: RgbaImage): void {
  for (let y = 0; y < img.height; y++) {
    const t = y / img.height;
    fillRect(img, 0, y, img.width, 1, (Math.round(30 + 40 * t) << 16) | (Math.round(60 + 80 * t) << 8) | Math.round(110 + 100 * t));
  }
}

/**
 * A photo-like image into the given rect: smooth waves and blobs plus fractal (1/f) texture at
 * 4–64 px scales, like foliage or fabric, and mild sensor noise. Roughly as hard to compress as
 * a real photo (a 1080p frame is ≈ 250–400 KB as JPEG at quality 75).
 */
export function drawPhoto(img: RgbaImage, x0: number, y0: number, w: number, h: number, seed: number, texture = 1): void {
  const r = rng(seed);
  const waves = Array.from({ length: 6 }, () => ({ fx: (r() - 0.5) * 0.02, fy: (r() - 0.5) * 0.02, ph: r() * 6.28, amp: 20 + r() * 30, ch: Math.floor(r() * 3) }));
  const blobs = Array.from({ length: 12 }, () => ({ cx: r() * w, cy: r() * h, rad: 30 + r() * 200, col: [r() * 255, r() * 255, r() * 255] }));
  const base = [r() * 120 + 60, r() * 120 + 60, r() * 120 + 60];
  // value-noise octaves: a random lattice per octave, bilinearly interpolated
  const octaves = [64, 32, 16, 8, 4, 2].map((cell, i) => {
    const gw = Math.ceil(w / cell) + 2, gh = Math.ceil(h / cell) + 2;
    const lat = new Float32Array(gw * gh);
    for (let k = 0; k < lat.length; k++) lat[k] = r() - 0.5;
    return { cell, gw, lat, amp: texture * 90 / (1 + i * 0.35) };
  });
  const noise = rng(seed ^ 0x5bd1e995);
  const d = img.data;
  for (let y = 0; y < h; y++) {
    const yy = y0 + y;
    if (yy < 0 || yy >= img.height) continue;
    for (let x = 0; x < w; x++) {
      const xx = x0 + x;
      if (xx < 0 || xx >= img.width) continue;
      let c0 = base[0], c1 = base[1], c2 = base[2];
      for (const wv of waves) {
        const s = wv.amp * Math.sin(x * wv.fx + y * wv.fy + wv.ph);
        if (wv.ch === 0) c0 += s; else if (wv.ch === 1) c1 += s; else c2 += s;
      }
      let t = 0;
      for (const o of octaves) {
        const fx = x / o.cell, fy = y / o.cell, ix = fx | 0, iy = fy | 0, ax = fx - ix, ay = fy - iy;
        const i0 = iy * o.gw + ix;
        const top = o.lat[i0] * (1 - ax) + o.lat[i0 + 1] * ax;
        const bot = o.lat[i0 + o.gw] * (1 - ax) + o.lat[i0 + o.gw + 1] * ax;
        t += o.amp * (top * (1 - ay) + bot * ay);
      }
      c0 += t; c1 += t * 0.9; c2 += t * 0.7;
      for (const b of blobs) {
        const dx = x - b.cx, dy = y - b.cy;
        const dd = dx * dx + dy * dy;
        if (dd < b.rad * b.rad) {
          const a = 0.6 * (1 - Math.sqrt(dd) / b.rad);
          c0 = c0 * (1 - a) + b.col[0] * a; c1 = c1 * (1 - a) + b.col[1] * a; c2 = c2 * (1 - a) + b.col[2] * a;
        }
      }
      const o = (yy * img.width + xx) * 4;
      const n = (noise() - 0.5) * 12;
      d[o] = clamp(c0 + n); d[o + 1] = clamp(c1 + n); d[o + 2] = clamp(c2 + n); d[o + 3] = 255;
    }
  }
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** An application window: title bar, border, text content. */
export function drawWindow(img: RgbaImage, x: number, y: number, w: number, h: number, seed = 1): void {
  fillRect(img, x, y, w, h, 0x505860);
  fillRect(img, x + 1, y + 1, w - 2, 22, 0x2d5fa0);
  drawText(img, x + 8, y + 4, 'Notes - Editor', 0xffffff, 0x2d5fa0);
  fillRect(img, x + 1, y + 24, w - 2, h - 25, 0xf4f4f4);
  const cols = Math.floor((w - 16) / CELL_W);
  for (let i = 0; (i + 1) * CELL_H < h - 32; i++) drawText(img, x + 8, y + 30 + i * CELL_H, textLine(seed * 1000 + i, cols), 0x202020, 0xf4f4f4);
}

/** Copies a block of `src` into `dst` (any overlap, clipped): a moved window or scrolled text. */
export function blit(dst: RgbaImage, src: RgbaImage, sx: number, sy: number, w: number, h: number, dx: number, dy: number): void {
  const tmp = Buffer.alloc(w * h * 4);
  for (let r = 0; r < h; r++) {
    const y = sy + r;
    if (y < 0 || y >= src.height) continue;
    const c0 = Math.max(0, -sx), c1 = Math.min(w, src.width - sx);
    if (c1 > c0) src.data.copy(tmp, (r * w + c0) * 4, (y * src.width + sx + c0) * 4, (y * src.width + sx + c1) * 4);
  }
  for (let r = 0; r < h; r++) {
    const y = dy + r;
    if (y < 0 || y >= dst.height) continue;
    const c0 = Math.max(0, -dx), c1 = Math.min(w, dst.width - dx);
    if (c1 > c0) tmp.copy(dst.data, (y * dst.width + dx + c0) * 4, (r * w + c0) * 4, (r * w + c1) * 4);
  }
}

/**
 * A moving picture, frame `i` of a camera pan (2 px right, 1 px down per frame) over a photo
 * `scene` (≥ w + 2i by h + i) with a red box crossing it and a little grain (±2 per channel, new
 * each frame, as decoded video has, so no block matches a shifted one exactly): the temporal
 * coherence of a real video, which drawPhoto with a new seed per frame lacks.
 */
export function drawPan(img: RgbaImage, x: number, y: number, w: number, h: number, scene: RgbaImage, i: number): void {
  blit(img, scene, 2 * i, i, w, h, x, y);
  fillRect(img, x + ((100 + 8 * i) % Math.max(1, w - 120)), y + Math.floor(h / 2), 120, 80, 0xe04020);
  let s = (i + 1) * 0x9e3779b1;
  for (let r = 0; r < h; r++) {
    for (let o = ((y + r) * img.width + x) * 4, end = o + w * 4; o < end; o += 4) {
      s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
      const g = (s & 3) - ((s >>> 2) & 3); // -3..3, mostly small
      img.data[o] = Math.max(0, Math.min(255, img.data[o] + g)); img.data[o + 1] = Math.max(0, Math.min(255, img.data[o + 1] + g)); img.data[o + 2] = Math.max(0, Math.min(255, img.data[o + 2] + g));
    }
  }
}
