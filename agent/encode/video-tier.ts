// The video tier of one display's encoder (docs/ARCHITECTURE.md "Video tier"): while a region is
// coded as video, the encoder's model takes that region from each capture as is (so the tile diff
// and the rects leave it alone) and the region goes out as one `video` rect per changed capture.
// When it stops changing, the region is marked changed in the model so the normal rects send it
// once more, exactly.
import { VideoDetector } from './video-detect.ts';
import { alignVideoBox, type VideoRect, VideoStream, videoUnavailable } from './video.ts';
import type { Box, Source } from './types.ts';

/** A region unchanged for this long is no longer video. */
const IDLE_MS = 500;

export class VideoTier {
  private readonly detector = new VideoDetector();
  private stream: VideoStream | null = null;
  private changedAt = 0;

  get box(): Box | null { return this.stream?.box ?? null; }

  /**
   * Before the tile diff: the video rect of this capture (null when the region did not change, or
   * there is none). Makes `prev` equal `cur` inside the region.
   */
  async step(prev: Source, cur: Source, now: number): Promise<VideoRect | null> {
    const s = this.stream;
    if (!s) return null;
    const changed = copyBox(prev, cur, s.box);
    if (!changed) {
      if (now - this.changedAt > IDLE_MS) this.end(prev);
      return null;
    }
    this.changedAt = now;
    try {
      return await s.encode(cur);
    } catch (e) {
      // The region goes out as rects in this same capture (end() invalidates it before the diff).
      console.error('video encoder failed, back to rects:', (e as Error).message);
      this.end(prev);
      return null;
    }
  }

  /** After the copy search: this capture's changed extent (null when copies were found). */
  observe(changed: Box | null, width: number, height: number, now: number): void {
    if (this.stream || videoUnavailable()) return;
    const found = this.detector.observe(changed, now);
    const box = found && alignVideoBox(found, width, height);
    if (box) { this.stream = new VideoStream(box); this.changedAt = now; }
  }

  /**
   * Ends the video region; with `prev`, its pixels there are invalidated so the next capture sends
   * the region as rects (lossless where it suits).
   */
  end(prev?: Source | null): void {
    const s = this.stream;
    this.stream = null;
    this.detector.reset();
    if (!s) return;
    s.close();
    if (prev) for (let y = s.box.y; y < s.box.y + s.box.h; y++) prev.px.fill(0, y * prev.width + s.box.x, y * prev.width + s.box.x + s.box.w);
  }
}

/** Copies `box` of cur into prev; true when anything there differed. */
function copyBox(prev: Source, cur: Source, box: Box): boolean {
  const stride = cur.width * 4;
  let changed = false;
  for (let y = box.y; y < box.y + box.h; y++) {
    const a = y * stride + box.x * 4, b = a + box.w * 4;
    if (cur.data.compare(prev.data, a, b, a, b) !== 0) { changed = true; cur.data.copy(prev.data, a, a, b); }
  }
  return changed;
}
