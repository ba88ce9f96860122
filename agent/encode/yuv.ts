// RGBA → I420 (BT.601 limited range, what VP8 decoders assume) for the video tier, optionally
// box-filtered down by 2 in each direction in the same pass (docs/ARCHITECTURE.md "Video tier").
import type { Box, Source } from './types.ts';

/**
 * Writes the `box` of `src` as I420 of `box.w / scale` × `box.h / scale` into `out` (Y, then U,
 * then V planes, no padding). The box's edges must be multiples of 2 × scale.
 */
export function rgbaToI420(src: Source, box: Box, scale: 1 | 2, out: Uint8Array): void {
  const cw = box.w / scale, ch = box.h / scale, stride = src.width * 4, d = src.data;
  const uOff = cw * ch, vOff = uOff + (cw >> 1) * (ch >> 1);
  // Luma: one sample per coded pixel (the mean of scale × scale source pixels).
  const n = scale * scale, half = n >> 1;
  for (let y = 0; y < ch; y++) {
    const row = (box.y + y * scale) * stride + box.x * 4;
    for (let x = 0; x < cw; x++) {
      let r = 0, g = 0, b = 0;
      for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) {
        const s = row + dy * stride + (x * scale + dx) * 4;
        r += d[s]; g += d[s + 1]; b += d[s + 2];
      }
      out[y * cw + x] = (66 * ((r + half) / n | 0) + 129 * ((g + half) / n | 0) + 25 * ((b + half) / n | 0) + 4224) >> 8;
    }
  }
  // Chroma: the mean over 2 × 2 coded pixels (2·scale square source pixels).
  const m = 4 * n, mh = m >> 1;
  for (let y = 0; y < ch >> 1; y++) {
    const row = (box.y + y * 2 * scale) * stride + box.x * 4;
    for (let x = 0; x < cw >> 1; x++) {
      let r = 0, g = 0, b = 0;
      for (let dy = 0; dy < 2 * scale; dy++) for (let dx = 0; dx < 2 * scale; dx++) {
        const s = row + dy * stride + (x * 2 * scale + dx) * 4;
        r += d[s]; g += d[s + 1]; b += d[s + 2];
      }
      r = (r + mh) / m | 0; g = (g + mh) / m | 0; b = (b + mh) / m | 0;
      const i = y * (cw >> 1) + x;
      out[uOff + i] = (-38 * r - 74 * g + 112 * b + 32896) >> 8;
      out[vOff + i] = (112 * r - 94 * g - 18 * b + 32896) >> 8;
    }
  }
}
