// The video tier's encoder (docs/ARCHITECTURE.md "Video tier"): one VP8 stream per video region,
// libvpx built to WebAssembly (@libav.js/variant-webm-vp9, chosen by measurement). The first
// frame of a stream is a key frame; a new region, a refresh or a failure starts a new stream.
import type { Rect } from '../../protocol/index.ts';
import { type LibAV, loadLibAV } from './libav-load.ts';
import type { Box, Source } from './types.ts';
import { rgbaToI420 } from './yuv.ts';

export type VideoRect = Extract<Rect, { k: 'video' }>;

let shared: Promise<LibAV> | null = null;
let failed = false;
/** One WebAssembly instance per process (≈ 3 MB compiled once), shared by every stream. */
export function libav(): Promise<LibAV> {
  shared ??= loadLibAV().catch((e: unknown) => { failed = true; throw e; });
  return shared;
}
/** The codec could not be loaded in this process: no video regions. */
export const videoUnavailable = (): boolean => failed;

/** Above this many pixels a region is coded at half size (CPU: ≈ 56 vs 18 ms per 1280×720 frame). */
const HALF_SIZE_ABOVE = 300_000;
/**
 * Bits per second per coded pixel (docs/ARCHITECTURE.md "Video tier", measured on the bench's pan):
 * at full size 1.1 (1280×720 → 1 Mbit/s, ≈ 35 dB); at half size each coded pixel stands for four
 * and the downscale caps luma near 34 dB, so it takes ≈ 10.8 (640×360 → 2.5 Mbit/s, ≈ 33.5 dB
 * worst with yuv.ts's sharpening) to come close to that cap, where 1 Mbit/s gave 32.3 dB.
 */
const BITS_PER_CODED_PIXEL_SECOND = { 1: 1.1, 2: 10.8 } as const;
/** 3 Mbit/s ≈ 375 KB/s: inside the tier's 400 KB/s with room for the rate control's overshoot. */
const MAX_BIT_RATE = 3e6;
const FPS = 25;

/** Box edges are multiples of 4, so a half-size picture still has whole chroma samples. */
export function alignVideoBox(b: Box, width: number, height: number): Box | null {
  let x0 = b.x & ~3, y0 = b.y & ~3, x1 = (b.x + b.w + 3) & ~3, y1 = (b.y + b.h + 3) & ~3;
  if (x1 > width) x1 = width & ~3;
  if (y1 > height) y1 = height & ~3;
  x0 = Math.min(x0, x1); y0 = Math.min(y0, y1);
  return x1 - x0 >= 16 && y1 - y0 >= 16 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : null;
}

export class VideoStream {
  readonly scale: 1 | 2;
  readonly cw: number;
  readonly ch: number;
  private n = 0;
  private ctx: { c: number; frame: number; pkt: number } | null = null;
  private readonly yuv: Uint8Array;

  /** `box` from alignVideoBox. */
  constructor(readonly box: Box) {
    this.scale = box.w * box.h > HALF_SIZE_ABOVE ? 2 : 1;
    this.cw = box.w / this.scale; this.ch = box.h / this.scale;
    this.yuv = new Uint8Array(this.cw * this.ch * 3 / 2);
  }

  /** The box of `src` as the stream's next frame (a key frame first). */
  async encode(src: Source): Promise<VideoRect> {
    const lib = await libav();
    if (!this.ctx) {
      const bitRate = Math.round(Math.min(MAX_BIT_RATE, Math.max(3e5, this.cw * this.ch * BITS_PER_CODED_PIXEL_SECOND[this.scale])));
      // Measured settings (docs/ARCHITECTURE.md "Video tier"): "good" at the fastest speed beats
      // "realtime" by ≈ 6 dB at equal bytes; no lag, so each capture leaves as its own frame.
      const [, c, frame, pkt] = await lib.ff_init_encoder('libvpx', {
        ctx: { bit_rate: bitRate, pix_fmt: 0 /* yuv420p */, width: this.cw, height: this.ch, gop_size: 100_000, qmin: 4, qmax: 56 },
        time_base: [1, FPS],
        options: { deadline: 'good', 'cpu-used': '16', 'lag-in-frames': '0', 'auto-alt-ref': '0', 'error-resilient': '1' },
      });
      this.ctx = { c, frame, pkt };
      this.n = 0;
    }
    rgbaToI420(src, this.box, this.scale, this.yuv);
    const key = this.n === 0;
    const { c, frame, pkt } = this.ctx;
    const packets = await lib.ff_encode_multi(c, frame, pkt, [{ data: this.yuv, format: 0, width: this.cw, height: this.ch, pts: this.n, key_frame: key ? 1 : 0, pict_type: key ? 1 : 0 }]);
    if (packets.length !== 1) throw new Error(`VP8 encoder gave ${packets.length} packets for one frame`);
    const n = this.n++;
    const data = new Uint8Array(packets[0].data as Uint8Array); // the wrapper's copy may be a view of a larger buffer
    return { k: 'video', ...this.box, codec: 'vp8', n, cw: this.cw, ch: this.ch, data };
  }

  /** Frees the encoder (the stream ends; a new one starts with a key frame). */
  close(): void {
    const ctx = this.ctx;
    this.ctx = null;
    if (ctx) void libav().then((lib) => lib.ff_free_encoder(ctx.c, ctx.frame, ctx.pkt)).catch(() => undefined);
  }
}
