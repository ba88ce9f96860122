// `palette`: up to 256 RGB colours and deflate-raw of one index byte per pixel. Lossless, for
// text and UI. Colours are found with a small open-addressing table, skipping runs of the same
// pixel (text is mostly runs of background), so counting costs about one compare per pixel.
import { deflateRaw, deflateRawSync } from 'node:zlib';
import { promisify } from 'node:util';
import type { Rect } from '../../protocol/index.ts';
import type { Box, RectEncoder, Source } from './types.ts';

const deflateRawAsync = promisify(deflateRaw);
const SLOTS = 1024; // ≥ 4 × 256 keeps probe chains short
/** Above this many pixels deflate runs on the libuv pool, in parallel with other rects. */
const ASYNC_PIXELS = 64 * 1024;

export interface Palette { count: number; colors: Uint32Array; indices: Uint8Array | null }

// One table per process; palettes are built one at a time (synchronously).
const keys = new Int32Array(SLOTS);
const vals = new Uint8Array(SLOTS);

/**
 * Colours of `b` in first-seen order; with `withIndices` also the index of every pixel.
 * Returns count = max + 1 (and stops early) when there are more than `max` colours.
 */
export function buildPalette(src: Source, b: Box, max = 256, withIndices = false): Palette {
  const { px, width } = src;
  const colors = new Uint32Array(max);
  const indices = withIndices ? new Uint8Array(b.w * b.h) : null;
  keys.fill(0);
  let count = 0, last = -1, lastIdx = 0, o = 0;
  for (let y = b.y; y < b.y + b.h; y++) {
    const row = y * width;
    for (let i = row + b.x, end = row + b.x + b.w; i < end; i++) {
      const p = px[i] & 0xffffff;
      if (p !== last) {
        // key = colour + 1 so that 0 means an empty slot
        let h = (Math.imul(p, 0x9e3779b1) >>> 22) & (SLOTS - 1);
        for (;;) {
          const k = keys[h];
          if (k === p + 1) { lastIdx = vals[h]; break; }
          if (k === 0) {
            if (count === max) return { count: max + 1, colors, indices: null };
            keys[h] = p + 1; vals[h] = count; colors[count] = p; lastIdx = count++;
            break;
          }
          h = (h + 1) & (SLOTS - 1);
        }
        last = p;
      }
      if (indices) indices[o++] = lastIdx;
    }
  }
  return { count, colors, indices };
}

function rgbBytes(colors: Uint32Array, count: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    const p = colors[i];
    out[i * 3] = p & 0xff; out[i * 3 + 1] = (p >>> 8) & 0xff; out[i * 3 + 2] = (p >>> 16) & 0xff;
  }
  return out;
}

const u8 = (b: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);

export const paletteEncoder: RectEncoder = {
  encode(src: Source, b: Box): Rect | null | Promise<Rect | null> {
    const pal = buildPalette(src, b, 256, true);
    if (!pal.indices) return null;
    const colors = rgbBytes(pal.colors, pal.count);
    const rect = (data: Buffer): Rect => ({ k: 'palette', x: b.x, y: b.y, w: b.w, h: b.h, colors, data: u8(data) });
    if (pal.indices.length < ASYNC_PIXELS) return rect(deflateRawSync(pal.indices));
    return deflateRawAsync(pal.indices).then(rect);
  },
};
