// `webp`: like jpeg, in WebP.
import type { RectDecoder } from './index.ts';
import { decodeImage } from './bitmap.ts';

export const webp: RectDecoder<'webp'> = {
  kind: 'webp',
  decode: ({ x, y, w, h, data }) => decodeImage(data, 'image/webp', x, y, w, h),
};
