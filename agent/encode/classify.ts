// Which changed tiles are photo-like (JPEG) and which are text/UI (fill or palette, lossless).
// A tile with more than 256 colours is photo-like, except for its 16×16 blocks that look drawn
// rather than photographed (≤ 16 colours, one of them covering half the block: text on a
// background, a window border): those stay lossless, so text next to an image stays sharp.
import { buildPalette } from './palette.ts';
import type { TileDiff } from './tiles.ts';
import { type Box, type Source, union } from './types.ts';

const BLOCK = 16;
const DRAWN_MAX_COLORS = 16;

export interface Classes {
  /** Per tile with photo-like pixels, the box of its photo-like blocks; row-major tile order. */
  photo: Box[];
  /** Boxes to encode losslessly, row-major tile order. */
  lossless: Box[];
}

// Up to 16 colours with their counts, linear search: a 16×16 block is 256 pixels.
const cols = new Uint32Array(DRAWN_MAX_COLORS);
const counts = new Uint32Array(DRAWN_MAX_COLORS);

/** Few colours and a dominant one: drawn (text, UI), not photographed. */
export function looksDrawn(src: Source, b: Box): boolean {
  const { px, width } = src;
  let n = 0;
  for (let y = b.y; y < b.y + b.h; y++) {
    for (let i = y * width + b.x, end = i + b.w; i < end; i++) {
      const p = px[i];
      let k = 0;
      while (k < n && cols[k] !== p) k++;
      if (k === n) {
        if (n === DRAWN_MAX_COLORS) return false;
        cols[n] = p; counts[n++] = 0;
      }
      counts[k]++;
    }
  }
  let top = 0;
  for (let k = 0; k < n; k++) if (counts[k] > top) top = counts[k];
  return top * 2 >= b.w * b.h;
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
    // blocks on the 16-px grid, clipped to the changed box
    for (let y = b.y - (b.y % BLOCK); y < b.y + b.h; y += BLOCK) {
      for (let x = b.x - (b.x % BLOCK); x < b.x + b.w; x += BLOCK) {
        const x0 = Math.max(x, b.x), y0 = Math.max(y, b.y);
        const blk = { x: x0, y: y0, w: Math.min(x + BLOCK, b.x + b.w) - x0, h: Math.min(y + BLOCK, b.y + b.h) - y0 };
        if (looksDrawn(src, blk)) lossless.push(blk);
        else pb = pb ? union(pb, blk) : blk;
      }
    }
    if (pb) photo.push(pb);
  }
  return { photo, lossless };
}
