// Reference decoder of `video` rects in Node (docs/ARCHITECTURE.md "Video tier"): the agent's own
// libvpx build decodes, I420 → RGBA (BT.601 limited range) and a bilinear scale to the rect, as
// the console's drawImage of a VideoFrame does.
import type { Rect } from '../../protocol/index.ts';
import { libav } from '../../agent/encode/video.ts';

type VideoRect = Extract<Rect, { k: 'video' }>;

export class NodeVideoDecoder {
  private ctx: { c: number; pkt: number; frame: number } | null = null;
  private next = 0;

  /** The rect's picture as RGBA w×h; throws when a frame of the stream was missed. */
  async decode(r: VideoRect): Promise<Buffer> {
    const lib = await libav();
    if (r.n === 0) {
      if (this.ctx) await lib.ff_free_decoder(this.ctx.c, this.ctx.pkt, this.ctx.frame);
      const [, c, pkt, frame] = await lib.ff_init_decoder('libvpx');
      this.ctx = { c, pkt, frame };
    } else if (!this.ctx || r.n !== this.next) throw new Error(`video frame ${r.n}, expected ${this.next}: a frame was missed`);
    this.next = r.n + 1;
    const { c, pkt, frame } = this.ctx!;
    const frames = await lib.ff_decode_multi(c, pkt, frame, [{ data: r.data, pts: r.n }]);
    if (frames.length !== 1) throw new Error(`VP8 decoder gave ${frames.length} frames for one packet`);
    const f = frames[0];
    if (f.width !== r.cw || f.height !== r.ch) throw new Error(`video frame is ${f.width}×${f.height}, rect says ${r.cw}×${r.ch}`);
    return scale(toRgba(f.data as Uint8Array, f.layout!, r.cw, r.ch), r.cw, r.ch, r.w, r.h);
  }
}

function toRgba(d: Uint8Array, layout: { offset: number; stride: number }[], w: number, h: number): Buffer {
  const out = Buffer.alloc(w * h * 4);
  const [Y, U, V] = layout;
  const clamp = (x: number) => (x < 0 ? 0 : x > 255 ? 255 : x);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const c = 298 * (d[Y.offset + y * Y.stride + x] - 16), u = d[U.offset + (y >> 1) * U.stride + (x >> 1)] - 128, v = d[V.offset + (y >> 1) * V.stride + (x >> 1)] - 128;
    const o = (y * w + x) * 4;
    out[o] = clamp((c + 409 * v + 128) >> 8); out[o + 1] = clamp((c - 100 * u - 208 * v + 128) >> 8); out[o + 2] = clamp((c + 516 * u + 128) >> 8); out[o + 3] = 255;
  }
  return out;
}

function scale(src: Buffer, sw: number, sh: number, w: number, h: number): Buffer {
  if (sw === w && sh === h) return src;
  const out = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) {
    const fy = Math.min(sh - 1, Math.max(0, (y + 0.5) * sh / h - 0.5)), y0 = fy | 0, y1 = Math.min(sh - 1, y0 + 1), ay = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(sw - 1, Math.max(0, (x + 0.5) * sw / w - 0.5)), x0 = fx | 0, x1 = Math.min(sw - 1, x0 + 1), ax = fx - x0;
      for (let c = 0; c < 4; c++) {
        const top = src[(y0 * sw + x0) * 4 + c] * (1 - ax) + src[(y0 * sw + x1) * 4 + c] * ax;
        const bot = src[(y1 * sw + x0) * 4 + c] * (1 - ax) + src[(y1 * sw + x1) * 4 + c] * ax;
        out[(y * w + x) * 4 + c] = Math.round(top * (1 - ay) + bot * ay);
      }
    }
  }
  return out;
}
