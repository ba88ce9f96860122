// `copy`: a moved or scrolled region; no pixels on the wire, the source is what the canvas
// shows at the moment this rect is painted (rects are painted in order).
import type { RectDecoder } from './types.ts';

export const copy: RectDecoder<'copy'> = {
  kind: 'copy',
  decode({ x, y, w, h, sx, sy }) {
    // Drawing a canvas onto itself copies the source first, so overlapping moves are safe.
    return (ctx) => ctx.drawImage(ctx.canvas, sx, sy, w, h, x, y, w, h);
  },
};
