// `png`: lossless at any colour count, through sharp (libspng). Used to refine a lossy area at rest
// (refine.ts) where `palette` does not fit (a photo has thousands of colours).
import sharp from 'sharp';
import type { Rect } from '../../protocol/index.ts';
import type { Box, RectEncoder, Source } from './types.ts';

export const pngEncoder: RectEncoder = {
  async encode(src: Source, b: Box): Promise<Rect> {
    const out = await sharp(src.data, { raw: { width: src.width, height: src.height, channels: 4 } })
      .extract({ left: b.x, top: b.y, width: b.w, height: b.h })
      .removeAlpha()
      .png({ compressionLevel: PNG_LEVEL, adaptiveFiltering: true })
      .toBuffer();
    return { k: 'png', x: b.x, y: b.y, w: b.w, h: b.h, data: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
  },
};

/** zlib level of the PNG (measured, docs/ARCHITECTURE.md "Crisp at rest"). */
const PNG_LEVEL = 6;
