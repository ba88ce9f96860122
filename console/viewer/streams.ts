// A viewer's stream contexts, one per display (docs/ARCHITECTURE.md "Frame encoding", "Stream
// context"): each frame's `z` is checked before its rects decode. z = 0 resets; any other z must
// equal the rects this viewer has seen since, or a frame was missed (dropped for a backed-up
// socket, a recording's gap, a viewer that joined late) and `zpal` rects fail until the next
// reset, which the live viewer asks for with a refresh.
import type { Msg } from '../../protocol/index.ts';
import { DisplayStream } from './decoders/zpal.ts';
import { VideoStreamDecoder } from './decoders/video.ts';

export class ViewerStreams {
  private readonly byDisplay = new Map<number, DisplayStream>();
  private readonly videos = new Map<number, VideoStreamDecoder>();

  /** The display's video stream ("Video tier"); its frames decode in order, like `zpal` rects. */
  video(display: number): VideoStreamDecoder {
    let s = this.videos.get(display);
    if (!s) { s = new VideoStreamDecoder(); this.videos.set(display, s); }
    return s;
  }

  /** The display's context for this frame's rects (call in arrival order); `lost`: out of step. */
  frame(f: Msg<'frame'>): { stream: DisplayStream; lost: boolean } {
    let s = this.byDisplay.get(f.display);
    if (!s) { s = new DisplayStream(); this.byDisplay.set(f.display, s); }
    if (f.z === 0) s.reset();
    else if (f.z !== undefined && f.z !== s.received) s.inStep = false;
    const hasZpal = f.rects.some((r) => r.k === 'zpal');
    return { stream: s, lost: !s.inStep && (hasZpal || f.z !== undefined) };
  }

  /** Forget everything (a replay seek): in step again at the next reset. */
  clear(): void {
    this.byDisplay.clear();
    for (const v of this.videos.values()) v.close();
    this.videos.clear();
  }
}
