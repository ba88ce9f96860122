// `video`: a frame of the display's VP8 stream (docs/ARCHITECTURE.md "Video tier"), decoded by the
// browser's WebCodecs VideoDecoder in stream order and drawn scaled to the rect. A viewer without
// VideoDecoder says so in its refresh and gets rects instead.
import type { Rect, VideoCodec } from '../../../protocol/index.ts';
import type { Paint } from './types.ts';

type VideoRect = Extract<Rect, { k: 'video' }>;

let codecs: VideoCodec[] = [];
/** What this browser decodes, known shortly after load (until then: nothing). */
export const videoSupport: Promise<VideoCodec[]> = detect().then((c) => (codecs = c));
export const videoCodecs = (): VideoCodec[] => codecs;

async function detect(): Promise<VideoCodec[]> {
  if (typeof VideoDecoder === 'undefined') return [];
  try {
    return (await VideoDecoder.isConfigSupported({ codec: 'vp8' })).supported ? ['vp8'] : [];
  } catch {
    return [];
  }
}

interface Pending { resolve: (f: VideoFrame) => void; reject: (e: unknown) => void }

/** One display's video stream as a viewer decodes it: a key frame (n = 0), then every frame in order. */
export class VideoStreamDecoder {
  private decoder: VideoDecoder | null = null;
  private next = 0;
  private pending: Pending[] = [];

  decode(rect: VideoRect): Promise<Paint> {
    if (rect.n === 0) this.start(rect);
    else if (!this.decoder || rect.n !== this.next) return Promise.reject(new Error(`video frame ${rect.n} out of step (expected ${this.next})`));
    this.next = rect.n + 1;
    const frame = new Promise<VideoFrame>((resolve, reject) => this.pending.push({ resolve, reject }));
    try {
      this.decoder!.decode(new EncodedVideoChunk({ type: rect.n === 0 ? 'key' : 'delta', timestamp: rect.n * 40_000, data: rect.data }));
    } catch (e) {
      this.fail(e);
    }
    const { x, y, w, h } = rect;
    return frame.then((f) => (ctx) => { ctx.drawImage(f, x, y, w, h); f.close(); });
  }

  close(): void {
    this.fail(new Error('video stream closed'));
  }

  private start(rect: VideoRect): void {
    this.close();
    const decoder = new VideoDecoder({
      output: (f) => { const p = this.pending.shift(); if (p && this.decoder === decoder) p.resolve(f); else f.close(); },
      error: (e) => { if (this.decoder === decoder) this.fail(e); },
    });
    decoder.configure({ codec: rect.codec, codedWidth: rect.cw, codedHeight: rect.ch, optimizeForLatency: true });
    this.decoder = decoder;
  }

  private fail(e: unknown): void {
    const d = this.decoder;
    this.decoder = null;
    if (d && d.state !== 'closed') d.close();
    for (const p of this.pending.splice(0)) p.reject(e);
  }
}
