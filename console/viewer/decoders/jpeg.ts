// `jpeg`: a photo-like region, exactly the rect's size.
import type { RectDecoder } from './types.ts';
import { decodeImage } from './bitmap.ts';

export const jpeg: RectDecoder<'jpeg'> = {
  kind: 'jpeg',
  decode: ({ x, y, w, h, data }) => decodeImage(data, 'image/jpeg', x, y, w, h),
};
