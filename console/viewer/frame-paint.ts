// One frame onto a Display: the one code path the live viewer and the replay player share
// (docs/ARCHITECTURE.md "Recording"). Decoding starts at once and runs concurrently for every
// rect; painting is synchronous, in rect order, strictly after the frames before it.
import type { Msg } from '../../protocol/index.ts';
import { decodeRect, type Paint } from './decoders/index.ts';
import type { Display } from './display.ts';
import type { ViewerStreams } from './streams.ts';

export interface DecodedFrame {
  paints: Paint[];
  /** Rects that could not be decoded (the picture has a hole there). */
  failed: unknown[];
  /** The display's stream context is out of step: a refresh heals it. */
  lost: boolean;
}

/**
 * Starts decoding every rect of the frame now; the promise never rejects. Call in arrival order:
 * the frame's stream context is checked and its `zpal` rects queued synchronously.
 */
export async function decodeFrame(frame: Msg<'frame'>, streams: ViewerStreams): Promise<DecodedFrame> {
  const { stream, lost } = streams.frame(frame);
  const decodeOne = (r: Msg<'frame'>['rects'][number]) => (r.k === 'zpal' ? stream.decode(r) : r.k === 'video' ? streams.video(frame.display).decode(r) : decodeRect(r));
  const results = await Promise.allSettled(frame.rects.map(decodeOne));
  const out: DecodedFrame = { paints: [], failed: [], lost: lost || !stream.inStep };
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
