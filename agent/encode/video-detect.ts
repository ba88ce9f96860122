// Finds regions that change at video rate (docs/ARCHITECTURE.md "Video tier"): the changed area of
// frame after frame in the same place, with no copy (a scroll or a move is not a video), big
// enough, at ≥ 10 changes per second.
import { area, type Box, union } from './types.ts';

/** Captures looked at, and how many of them must agree. */
const WINDOW = 8;
const AGREE = 6;
/** The window's captures must span at most this (8 changes in 0.8 s: ≥ 10 per second). */
const SPAN_MS = 800;
/** Smaller changes (a spinner, a progress bar) stay rects. */
export const MIN_VIDEO_AREA = 160 * 120;
/** The changes' union may be this much larger than the largest change (the same place). */
const SAME_PLACE = 1.3;

interface Seen { box: Box | null; t: number }

export class VideoDetector {
  private seen: Seen[] = [];

  /** Forget the history (a refresh, a new resolution). */
  reset(): void { this.seen = []; }

  /**
   * One capture's changed extent (null: it was a copy, or too small) at time `t` (ms). Returns the
   * region to code as video once the last captures agree, else null.
   */
  observe(changed: Box | null, t: number): Box | null {
    this.seen.push({ box: changed && area(changed) >= MIN_VIDEO_AREA ? changed : null, t });
    if (this.seen.length > WINDOW) this.seen.shift();
    if (this.seen.length < WINDOW || t - this.seen[0].t > SPAN_MS) return null;
    const boxes = this.seen.map((s) => s.box).filter((b): b is Box => b !== null);
    if (boxes.length < AGREE) return null;
    const all = boxes.reduce(union);
    const largest = Math.max(...boxes.map(area));
    if (area(all) > SAME_PLACE * largest) return null;
    this.seen = [];
    return all;
  }
}
