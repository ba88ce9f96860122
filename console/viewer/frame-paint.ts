// One frame onto a Display: the one code path the live viewer and the replay player share
// (docs/ARCHITECTURE.md "Recording"). Decoding starts at once and runs concurrently for every
// rect; painting is synchronous, in rect order, strictly after the frames before it.
import type { Msg } from '../../protocol/index.ts';
import { decodeRect, type Paint } from './decoders/index.ts';
import type { Display } from './display.ts';

export interface DecodedFrame {
  paints: Paint[];
  /** Rects that could not be decoded (the picture has a hole there). */
  failed: unknown[];
}

/** Starts decoding every rect of the frame now; the promise never rejects. */
export async function decodeFrame(frame: Msg<'frame'>): Promise<DecodedFrame> {
  const results = await Promise.allSettled(frame.rects.map((r) => decodeRect(r)));
  const out: DecodedFrame = { paints: [], failed: [] };
  for (const r of results) {
    if (r.status === 'fulfilled') out.paints.push(r.value);
    else out.failed.push(r.reason);
  }
  return out;
}

/** Paints a decoded frame: the remote size first (kept overlap), then its rects in order. */
export function paintFrame(display: Display, frame: Msg<'frame'>, decoded: DecodedFrame): void {
  display.resize(frame.w, frame.h);
  display.paint(decoded.paints);
}
