// Shared shapes of the frame pipeline. Pixels are RGBA bytes; read as little-endian u32 a pixel
// is 0xAABBGGRR, and the encoders compare and count colours on that u32 view.
import type { Rect } from '../../protocol/index.ts';

/** One captured display image: RGBA, 4 bytes per pixel, row-major, no padding (node-screenshots' toRaw()). */
export interface RgbaFrame { width: number; height: number; data: Buffer }

export interface Box { x: number; y: number; w: number; h: number }

/** A frame as the rect encoders see it: the bytes plus a u32 view of the same memory. */
export interface Source { width: number; height: number; data: Buffer; px: Uint32Array }

/**
 * One encoding of a rect kind (noVNC style: one per file). Returns null when the pixels don't
 * suit it (e.g. more than 256 colours for `palette`), so the caller can try the next one.
 */
export interface RectEncoder {
  encode(src: Source, box: Box): Rect | null | Promise<Rect | null>;
}

export function toSource(f: RgbaFrame): Source {
  if (f.data.byteLength < f.width * f.height * 4) throw new RangeError(`frame data is ${f.data.byteLength} bytes, ${f.width}×${f.height} RGBA needs ${f.width * f.height * 4}`);
  // A u32 view needs 4-byte alignment; small pooled Buffers may not have it.
  const data = f.data.byteOffset % 4 === 0 ? f.data : Buffer.from(f.data);
  return { width: f.width, height: f.height, data, px: new Uint32Array(data.buffer, data.byteOffset, f.width * f.height) };
}

/** 0xAABBGGRR (little-endian RGBA) → 0xRRGGBB as the protocol writes colours. */
export const toRgb = (p: number): number => ((p & 0xff) << 16) | (p & 0xff00) | ((p >>> 16) & 0xff);

export const area = (b: Box): number => b.w * b.h;

export function union(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x), y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}
