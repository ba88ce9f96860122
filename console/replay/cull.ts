// Which rects of a run of frames still show at its end (docs/ARCHITECTURE.md "Recording",
// seeking): a seek draws up to `refreshSec` of frames as fast as it can, and most of their rects
// are painted over before the target (a dragged window repaints the same tiles many times).
// Walking back from the end with a mask of the pixels that still matter, at 16-pixel cells: a rect
// that touches no such cell is never seen and needn't be decoded; one that does is kept, and the
// cells it covers whole matter no more before it. A `copy` kept makes its source cells matter.
// Conservative: a rect is dropped only when nothing of it can show.
import type { Msg, Rect } from '../../protocol/index.ts';

const CELL = 16;

class Mask {
  private readonly cols: number;
  private readonly rows: number;
  private readonly cells: Uint8Array;

  constructor(readonly w: number, readonly h: number) {
    this.cols = Math.ceil(w / CELL);
    this.rows = Math.ceil(h / CELL);
    this.cells = new Uint8Array(this.cols * this.rows).fill(1);
  }

  /** The cells the box touches, clamped to the screen. */
  private touched(x: number, y: number, w: number, h: number): [number, number, number, number] | null {
    const x0 = Math.max(0, x), y0 = Math.max(0, y), x1 = Math.min(this.w, x + w), y1 = Math.min(this.h, y + h);
    if (x1 <= x0 || y1 <= y0) return null;
    return [Math.floor(x0 / CELL), Math.floor(y0 / CELL), Math.floor((x1 - 1) / CELL), Math.floor((y1 - 1) / CELL)];
  }

  any(x: number, y: number, w: number, h: number): boolean {
    const t = this.touched(x, y, w, h);
    if (!t) return false;
    for (let r = t[1]; r <= t[3]; r++) for (let c = t[0]; c <= t[2]; c++) if (this.cells[r * this.cols + c]) return true;
    return false;
  }

  set(x: number, y: number, w: number, h: number): void {
    const t = this.touched(x, y, w, h);
    if (!t) return;
    for (let r = t[1]; r <= t[3]; r++) this.cells.fill(1, r * this.cols + t[0], r * this.cols + t[2] + 1);
  }

  /** Clears the cells the box covers whole (a cell at the screen's edge ends there). */
  clearCovered(x: number, y: number, w: number, h: number): void {
    const c0 = Math.ceil(Math.max(0, x) / CELL), r0 = Math.ceil(Math.max(0, y) / CELL);
    const xEnd = Math.min(this.w, x + w), yEnd = Math.min(this.h, y + h);
    const c1 = xEnd >= this.w ? this.cols : Math.floor(xEnd / CELL);
    const r1 = yEnd >= this.h ? this.rows : Math.floor(yEnd / CELL);
    for (let r = r0; r < r1; r++) if (c1 > c0) this.cells.fill(0, r * this.cols + c0, r * this.cols + c1);
  }
}

/**
 * The frames, in order, each with only the rects that can still show after the last one; frames
 * left without rects are dropped. Frames of different sizes (a display change) stay as they are.
 */
export function cullFrames<T extends { frame: Msg<'frame'> }>(items: T[]): T[] {
  const first = items[0]?.frame;
  if (items.length < 2 || items.some(({ frame: f }) => f.w !== first.w || f.h !== first.h)) return items;
  const mask = new Mask(first.w, first.h);
  const out: T[] = [];
  for (let i = items.length - 1; i >= 0; i--) {
    const f = items[i].frame;
    const kept: Rect[] = [];
    for (let k = f.rects.length - 1; k >= 0; k--) {
      const r = f.rects[k];
      // A `zpal` or `video` rect stays: its stream needs every one, in order ("Video tier").
      if (r.k !== 'zpal' && r.k !== 'video' && !mask.any(r.x, r.y, r.w, r.h)) continue;
      kept.push(r);
      mask.clearCovered(r.x, r.y, r.w, r.h);
      if (r.k === 'copy') mask.set(r.sx, r.sy, r.w, r.h);
    }
    if (kept.length === 0 && f.z !== 0) continue; // a stream reset stays, even with nothing to paint
    out.push(kept.length === f.rects.length ? items[i] : { ...items[i], frame: { ...f, rects: kept.reverse() } });
  }
  return out.reverse();
}
