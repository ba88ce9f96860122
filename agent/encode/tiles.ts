// Change detection: 64×64 tiles, strip → scanline → tile compare with Buffer.compare (memcmp) on
// row slices, then the exact changed columns by scanning the differing tile row from both ends.
// An idle 1080p frame costs 17 strip compares (≈ 0.3–0.5 ms), and no allocation.
import type { Box } from './types.ts';

export const TILE = 64;

export class TileDiff {
  readonly cols: number;
  readonly rows: number;
  /** Per tile x0, y0, x1, y1 (x1, y1 exclusive) of the changed pixels; x1 = 0 means unchanged. */
  readonly bounds: Int32Array;
  count = 0;

  constructor(readonly width: number, readonly height: number) {
    this.cols = Math.ceil(width / TILE);
    this.rows = Math.ceil(height / TILE);
    this.bounds = new Int32Array(this.cols * this.rows * 4);
  }

  /** Marks every tile as fully changed (first frame, full refresh). */
  markAll(): number {
    for (let ty = 0; ty < this.rows; ty++) for (let tx = 0; tx < this.cols; tx++) {
      const i = (ty * this.cols + tx) * 4;
      this.bounds[i] = tx * TILE; this.bounds[i + 1] = ty * TILE;
      this.bounds[i + 2] = Math.min(this.width, (tx + 1) * TILE); this.bounds[i + 3] = Math.min(this.height, (ty + 1) * TILE);
    }
    return (this.count = this.cols * this.rows);
  }

  /** Compares two frames of this size; returns the number of changed tiles. */
  compare(prev: Buffer, cur: Buffer, prevPx: Uint32Array, curPx: Uint32Array): number {
    const { width: W, height: H, cols, bounds } = this;
    const stride = W * 4, tileBytes = TILE * 4;
    bounds.fill(0);
    let count = 0;
    for (let ty = 0; ty < this.rows; ty++) {
      const y0 = ty * TILE, y1 = Math.min(H, y0 + TILE);
      if (cur.compare(prev, y0 * stride, y1 * stride, y0 * stride, y1 * stride) === 0) continue;
      for (let y = y0; y < y1; y++) {
        const o = y * stride;
        if (cur.compare(prev, o, o + stride, o, o + stride) === 0) continue;
        const row = y * W;
        for (let tx = 0; tx < cols; tx++) {
          const a = o + tx * tileBytes, b = Math.min(o + stride, a + tileBytes);
          if (cur.compare(prev, a, b, a, b) === 0) continue;
          let l = row + tx * TILE;
          while (curPx[l] === prevPx[l]) l++;
          let r = Math.min(row + W, row + (tx + 1) * TILE) - 1;
          while (curPx[r] === prevPx[r]) r--;
          const i = (ty * cols + tx) * 4;
          if (bounds[i + 2] === 0) {
            count++;
            bounds[i] = l - row; bounds[i + 1] = y; bounds[i + 2] = r - row + 1; bounds[i + 3] = y + 1;
          } else {
            if (l - row < bounds[i]) bounds[i] = l - row;
            if (r - row + 1 > bounds[i + 2]) bounds[i + 2] = r - row + 1;
            bounds[i + 3] = y + 1;
          }
        }
      }
    }
    return (this.count = count);
  }

  /** The exact changed box of tile `t`, or null. */
  box(t: number): Box | null {
    const b = this.bounds, i = t * 4;
    if (b[i + 2] === 0) return null;
    return { x: b[i], y: b[i + 1], w: b[i + 2] - b[i], h: b[i + 3] - b[i + 1] };
  }

  /** Bounding box of all changes, or null when nothing changed. */
  extent(): Box | null {
    let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
    const b = this.bounds;
    for (let i = 0; i < b.length; i += 4) {
      if (b[i + 2] === 0) continue;
      if (b[i] < x0) x0 = b[i];
      if (b[i + 1] < y0) y0 = b[i + 1];
      if (b[i + 2] > x1) x1 = b[i + 2];
      if (b[i + 3] > y1) y1 = b[i + 3];
    }
    return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }
}
