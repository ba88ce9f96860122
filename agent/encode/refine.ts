// Crisp at rest (docs/ARCHITECTURE.md "Frame encoding", "Crisp at rest"): which 64×64 tiles of
// the viewer's picture are lossy (a JPEG touched them, or a copy moved lossy pixels there) and
// since when they stopped changing. Once a tile has been still for `afterMs`, the encoder sends
// it again losslessly, in pieces, when the runtime says nothing else is in flight.
import type { Copy } from './copy.ts';
import { TILE } from './tiles.ts';
import type { Box } from './types.ts';

export class LossyTiles {
  readonly cols: number;
  readonly rows: number;
  /** Per tile: 0 when the viewer's pixels are exact, else when it last became lossy or changed. */
  private readonly since: Float64Array;
  private count = 0;

  constructor(readonly width: number, readonly height: number) {
    this.cols = Math.ceil(width / TILE);
    this.rows = Math.ceil(height / TILE);
    this.since = new Float64Array(this.cols * this.rows);
  }

  get lossy(): number { return this.count; }

  /** Every tile `b` touches is lossy as of `now`. */
  mark(b: Box, now: number): void {
    this.each(b, (t) => { if (this.since[t] === 0) this.count++; this.since[t] = now; });
  }

  /** A changed tile that is lossy is not still: its refinement waits again. */
  touch(b: Box, now: number): void {
    this.each(b, (t) => { if (this.since[t] !== 0) this.since[t] = now; });
  }

  /** A copy carries lossy pixels along: its destination is lossy when any of its source is. */
  copy(c: Copy, now: number): void {
    let from = false;
    this.each({ x: c.sx, y: c.sy, w: c.w, h: c.h }, (t) => { if (this.since[t] !== 0) from = true; });
    if (from) this.mark(c, now);
  }

  /** Exact again (refined, or the whole screen was sent losslessly). */
  clear(t: number): void {
    if (this.since[t] !== 0) { this.since[t] = 0; this.count--; }
  }

  /** Milliseconds until the first lossy tile is due, 0 when one is, null when none is lossy. */
  dueInMs(now: number, afterMs: number): number | null {
    if (this.count === 0) return null;
    let first = Infinity;
    for (const s of this.since) if (s !== 0 && s < first) first = s;
    return Math.max(0, first + afterMs - now);
  }

  /** Due tiles in row-major order, each as its box, until `maxPixels` (at least one). */
  due(now: number, afterMs: number, maxPixels: number): { tile: number; box: Box }[] {
    const out: { tile: number; box: Box }[] = [];
    let px = 0;
    for (let t = 0; t < this.since.length && (out.length === 0 || px < maxPixels); t++) {
      const s = this.since[t];
      if (s === 0 || now - s < afterMs) continue;
      const box = this.tileBox(t);
      out.push({ tile: t, box });
      px += box.w * box.h;
    }
    return out;
  }

  private tileBox(t: number): Box {
    const x = (t % this.cols) * TILE, y = Math.floor(t / this.cols) * TILE;
    return { x, y, w: Math.min(TILE, this.width - x), h: Math.min(TILE, this.height - y) };
  }

  private each(b: Box, f: (t: number) => void): void {
    const tx0 = Math.floor(b.x / TILE), ty0 = Math.floor(b.y / TILE);
    const tx1 = Math.min(this.cols, Math.ceil((b.x + b.w) / TILE)), ty1 = Math.min(this.rows, Math.ceil((b.y + b.h) / TILE));
    for (let ty = ty0; ty < ty1; ty++) for (let tx = tx0; tx < tx1; tx++) f(ty * this.cols + tx);
  }
}
