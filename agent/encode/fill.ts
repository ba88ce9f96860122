// `fill`: one colour over the whole rect, a dozen bytes whatever its size.
import type { Rect } from '../../protocol/index.ts';
import { type Box, type RectEncoder, type Source, toRgb } from './types.ts';

/** The rect's single colour (u32 pixel), or -1 when it has more than one. */
function solidColor(src: Source, b: Box): number {
  const { px, width } = src;
  const c = px[b.y * width + b.x];
  for (let y = b.y; y < b.y + b.h; y++) {
    const row = y * width;
    for (let i = row + b.x, end = row + b.x + b.w; i < end; i++) if (px[i] !== c) return -1;
  }
  return c;
}

export const fillEncoder: RectEncoder = {
  encode(src: Source, b: Box): Rect | null {
    const c = solidColor(src, b);
    return c === -1 ? null : { k: 'fill', x: b.x, y: b.y, w: b.w, h: b.h, c: toRgb(c) };
  },
};
