// `jpeg`: photo-like regions, through sharp (libvips + libjpeg-turbo API of mozjpeg). Chosen by
// measurement on a photo-like 1080p frame, one core (docs/ARCHITECTURE.md, "Frame encoding"):
// sharp JPEG q60 ≈ 16 ms / 237 KB / 34.8 dB, WebP effort 0 ≈ 44 ms at no fewer bytes for the
// same PSNR, mozjpeg trellis ≈ 120 ms, jpeg-js (pure JS) ≈ 170 ms. Quality, scale and table come
// from the measured curve (rd-curve.ts).
import sharp from 'sharp';
import type { Rect } from '../../protocol/index.ts';
import { DEFAULT_CHOICE, QUANT_TABLE } from './rd-curve.ts';
import type { Box, RectEncoder, Source } from './types.ts';

export class JpegEncoder implements RectEncoder {
  /** 1..100. */
  quality = DEFAULT_CHOICE.quality;
  /** Below 1 the JPEG is smaller than its rect and the viewer scales it up (a slow link). */
  scale = 1;

  async encode(src: Source, b: Box): Promise<Rect> {
    // sharp reads the frame's memory in place; extract() crops natively, no copy in JS.
    let img = sharp(src.data, { raw: { width: src.width, height: src.height, channels: 4 } })
      .extract({ left: b.x, top: b.y, width: b.w, height: b.h })
      .removeAlpha();
    if (this.scale < 1) img = img.resize(Math.max(1, Math.round(b.w * this.scale)), Math.max(1, Math.round(b.h * this.scale)));
    const out = await img.jpeg({ quality: this.quality, optimiseCoding: true, quantisationTable: QUANT_TABLE }).toBuffer();
    return { k: 'jpeg', x: b.x, y: b.y, w: b.w, h: b.h, data: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
  }
}
