// A known frame sequence for the viewer tests, plus the picture it must leave on the canvas.
// JPEG bytes come from sharp, palette indices from node:zlib's deflateRawSync, like the agent's.
import { deflateRawSync } from 'node:zlib';
import sharp from 'sharp';
import type { Msg } from '../../protocol/index.ts';

export const W = 320;
export const H = 200;

type Frame = Msg<'frame'>;
type Rect = Frame['rects'][number];

/** A smooth gradient (JPEG-friendly), as RGB bytes. */
function gradient(w: number, h: number): Buffer {
  const b = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = (y * w + x) * 3;
    b[i] = Math.round((x / (w - 1)) * 255);
    b[i + 1] = Math.round((y / (h - 1)) * 255);
    b[i + 2] = 128;
  }
  return b;
}

export const PALETTE = [0x000000, 0xffffff, 0x00aa00, 0xff8010];
/** Index of the palette colour at (x, y) inside the palette rect: a 4-colour checker of 4×4 cells. */
export const paletteIndex = (x: number, y: number) => ((x >> 2) + (y >> 2)) % 4;

export interface Expected { at: [number, number]; rgb: number; tolerance: number; what: string }

export async function knownFrames(sessionId: string, ts = () => Date.now()): Promise<{ frames: Frame[]; expect: Expected[] }> {
  const frame = (seq: number, rects: Rect[]): Frame => ({ t: 'frame', sessionId, seq, display: 0, w: W, h: H, ts: ts(), rects });
  // 1: whole screen dark blue, a red bar, a green square.
  const f1 = frame(1, [
    { k: 'fill', x: 0, y: 0, w: W, h: H, c: 0x102040 },
    { k: 'fill', x: 0, y: 0, w: W, h: 20, c: 0xff0000 },
    { k: 'fill', x: 200, y: 40, w: 40, h: 40, c: 0x00ff00 },
  ]);
  // 2: a palette "text" tile at (16, 40), 64×32.
  const pw = 64, ph = 32;
  const idx = Buffer.alloc(pw * ph);
  for (let y = 0; y < ph; y++) for (let x = 0; x < pw; x++) idx[y * pw + x] = paletteIndex(x, y);
  const colors = Buffer.alloc(PALETTE.length * 3);
  PALETTE.forEach((c, i) => { colors[i * 3] = c >> 16; colors[i * 3 + 1] = (c >> 8) & 0xff; colors[i * 3 + 2] = c & 0xff; });
  const f2 = frame(2, [{ k: 'palette', x: 16, y: 40, w: pw, h: ph, colors: new Uint8Array(colors), data: new Uint8Array(deflateRawSync(idx)) }]);
  // 3: a photo-like JPEG rect at (100, 100), 128×64.
  const jw = 128, jh = 64;
  const jpg = await sharp(gradient(jw, jh), { raw: { width: jw, height: jh, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  const f3 = frame(3, [{ k: 'jpeg', x: 100, y: 100, w: jw, h: jh, data: new Uint8Array(jpg) }]);
  // 4: the green square moves right by 60 (copy), its old place is filled with the background;
  // a lossless `png` of 2,048 colours at (16, 120), 64×32 (a lossy area refined at rest).
  const png = await sharp(gradient(pw, ph), { raw: { width: pw, height: ph, channels: 3 } }).png().toBuffer();
  const f4 = frame(4, [
    { k: 'copy', x: 260, y: 40, w: 40, h: 40, sx: 200, sy: 40 },
    { k: 'fill', x: 200, y: 40, w: 40, h: 40, c: 0x102040 },
    { k: 'png', x: 16, y: 120, w: pw, h: ph, data: new Uint8Array(png) },
  ]);
  const pal = (x: number, y: number) => PALETTE[paletteIndex(x - 16, y - 40)];
  const grad = (x: number, y: number) => (Math.round(((x - 100) / (jw - 1)) * 255) << 16) | (Math.round(((y - 100) / (jh - 1)) * 255) << 8) | 128;
  const expect: Expected[] = [
    { at: [5, 5], rgb: 0xff0000, tolerance: 0, what: 'red bar (fill)' },
    { at: [300, 150], rgb: 0x102040, tolerance: 0, what: 'background (fill)' },
    { at: [210, 50], rgb: 0x102040, tolerance: 0, what: 'old square place (fill after copy)' },
    { at: [270, 60], rgb: 0x00ff00, tolerance: 0, what: 'moved square (copy)' },
    ...[[16, 40], [21, 40], [26, 45], [79, 71], [50, 60]].map(([x, y]) => ({ at: [x, y] as [number, number], rgb: pal(x, y), tolerance: 0, what: `palette pixel ${x},${y}` })),
    ...[[16, 120], [17, 121], [40, 130], [79, 151]].map(([x, y]) => ({ at: [x, y] as [number, number], rgb: (Math.round(((x - 16) / (pw - 1)) * 255) << 16) | (Math.round(((y - 120) / (ph - 1)) * 255) << 8) | 128, tolerance: 0, what: `png pixel ${x},${y}` })),
    ...[[110, 110], [160, 130], [220, 150], [104, 160]].map(([x, y]) => ({ at: [x, y] as [number, number], rgb: grad(x, y), tolerance: 14, what: `jpeg pixel ${x},${y}` })),
  ];
  return { frames: [f1, f2, f3, f4], expect };
}

/** Largest per-channel difference between two 0xRRGGBB colours. */
export function colourDistance(a: number, b: number): number {
  return Math.max(Math.abs((a >> 16) - (b >> 16)), Math.abs(((a >> 8) & 0xff) - ((b >> 8) & 0xff)), Math.abs((a & 0xff) - (b & 0xff)));
}
