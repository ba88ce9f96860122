// Which changed tiles are photo-like (JPEG) and which are text/UI (fill or palette, lossless).
// A tile with ≤ 256 colours is lossless. Above that, its 16×16 blocks are looked at one by one:
// a block where a third of the pixels repeat their left neighbour is drawn (text on a background,
// ClearType fringes included, a window border, a chart), not photographed (sensor noise makes
// neighbours differ); drawn blocks stay lossless, so text next to an image stays sharp. A tile
// whose blocks all look drawn stays whole: the palette encoder splits it until it fits 256 colours.
import { buildPalette } from './palette.ts';
import type { TileDiff } from './tiles.ts';
import { type Box, type Source, union } from './types.ts';

const BLOCK = 16;

export interface Classes {
  /** Per tile with photo-like pixels, the box of its photo-like blocks; row-major tile order. */
  photo: Box[];
  /** Boxes to encode losslessly, row-major tile order; may hold more than 256 colours. */
  lossless: Box[];
}

/** At least a third of the pixels equal their left neighbour. Photos give up after 4 rows. */
function looksDrawn(src: Source, b: Box): boolean {
  const { px, width } = src;
  const need = Math.ceil(((b.w - 1) * b.h) / 3);
  let same = 0;
  for (let r = 0; r < b.h; r++) {
    for (let i = (b.y + r) * width + b.x + 1, end = i + b.w - 1; i < end; i++) if (px[i] === px[i - 1]) same++;
    if (r === 3 && same * 10 < (b.w - 1) * 4) return false;
  }
  return same >= need;
}

export function classify(src: Source, diff: TileDiff): Classes {
  const n = diff.cols * diff.rows;
  const photo: Box[] = [];
  const lossless: Box[] = [];
  for (let t = 0; t < n; t++) {
    const b = diff.box(t);
    if (!b) continue;
    if (buildPalette(src, b, 256).count <= 256) { lossless.push(b); continue; }
    let pb: Box | null = null;
    const drawn: Box[] = [];
    // blocks on the 16-px grid, clipped to the changed box
    for (let y = b.y - (b.y % BLOCK); y < b.y + b.h; y += BLOCK) {
      for (let x = b.x - (b.x % BLOCK); x < b.x + b.w; x += BLOCK) {
        const x0 = Math.max(x, b.x), y0 = Math.max(y, b.y);
        const blk = { x: x0, y: y0, w: Math.min(x + BLOCK, b.x + b.w) - x0, h: Math.min(y + BLOCK, b.y + b.h) - y0 };
        if (looksDrawn(src, blk)) drawn.push(blk);
        else pb = pb ? union(pb, blk) : blk;
      }
    }
    if (!pb) lossless.push(b);
    else lossless.push(...drawn);
    if (pb) photo.push(pb);
  }
  return { photo, lossless };
}
