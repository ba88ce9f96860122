// `fill`: one colour over the whole rect (0xRRGGBB).
import type { RectDecoder } from './types.ts';

export const fill: RectDecoder<'fill'> = {
  kind: 'fill',
  decode({ x, y, w, h, c }) {
    const css = `#${c.toString(16).padStart(6, '0')}`;
    return (ctx) => {
      ctx.fillStyle = css;
      ctx.fillRect(x, y, w, h);
    };
  },
};
