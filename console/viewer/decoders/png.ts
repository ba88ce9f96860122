// `png`: a lossless image exactly the rect's size (a lossy area refined at rest).
import type { RectDecoder } from './types.ts';
import { decodeImage } from './bitmap.ts';

export const png: RectDecoder<'png'> = {
  kind: 'png',
  decode: ({ x, y, w, h, data }) => decodeImage(data, 'image/png', x, y, w, h),
};
