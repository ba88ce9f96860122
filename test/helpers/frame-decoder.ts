// Reference decoder of `frame` rects in Node, for tests: applies rects in order onto an RGBA
// buffer the way the rep console's canvas does (copy reads what the earlier rects left).
import { inflateRawSync } from 'node:zlib';
import sharp from 'sharp';
import { PaletteStream, payloadIndices, type Rect } from '../../protocol/index.ts';
import { NodeVideoDecoder } from './video-decoder.ts';

/** A display's decoding state: the `zpal` stream context and the `video` stream. */
export type DisplayState = PaletteStream & { video?: NodeVideoDecoder };

export interface RgbaImage { width: number; height: number; data: Buffer }

function check(img: RgbaImage, r: Rect): void {
  if (r.x < 0 || r.y < 0 || r.w < 1 || r.h < 1 || r.x + r.w > img.width || r.y + r.h > img.height) throw new RangeError(`${r.k} rect ${r.x},${r.y} ${r.w}×${r.h} outside ${img.width}×${img.height}`);
}

function put(img: RgbaImage, r: Rect, rgba: Buffer): void {
  const stride = img.width * 4;
  for (let y = 0; y < r.h; y++) rgba.copy(img.data, (r.y + y) * stride + r.x * 4, y * r.w * 4, (y + 1) * r.w * 4);
}

/**
 * A viewer's stream contexts by display (`zpal` rects, frame.z): `frame()` checks a frame's z
 * against the context (0 resets it) and throws when a frame was missed.
 */
export class StreamContexts {
  private readonly byDisplay = new Map<number, DisplayState>();

  get(display = 0): DisplayState {
    let s = this.byDisplay.get(display);
    if (!s) { s = Object.assign(new PaletteStream(), { video: new NodeVideoDecoder() }); this.byDisplay.set(display, s); }
    return s;
  }

  frame(f: { display: number; z?: number }): DisplayState {
    const s = this.get(f.display);
    if (f.z === 0) s.reset();
    else if (f.z !== undefined && f.z !== s.count) throw new Error(`stream context at ${s.count}, frame says ${f.z}: a frame was missed`);
    return s;
  }
}

export async function applyRect(img: RgbaImage, r: Rect, stream?: DisplayState): Promise<void> {
  check(img, r);
  const stride = img.width * 4;
  switch (r.k) {
    case 'fill': {
      const px = Buffer.from([(r.c >> 16) & 0xff, (r.c >> 8) & 0xff, r.c & 0xff, 255]);
      for (let y = r.y; y < r.y + r.h; y++) img.data.fill(px, y * stride + r.x * 4, y * stride + (r.x + r.w) * 4);
      return;
    }
    case 'palette': {
      const idx = inflateRawSync(r.data);
      if (idx.length !== r.w * r.h) throw new Error(`palette rect: ${idx.length} indices for ${r.w}×${r.h}`);
      const n = r.colors.length / 3;
      const rgba = Buffer.alloc(r.w * r.h * 4);
      for (let i = 0; i < idx.length; i++) {
        const c = idx[i];
        if (c >= n) throw new Error(`palette index ${c} ≥ ${n} colours`);
        rgba[i * 4] = r.colors[c * 3]; rgba[i * 4 + 1] = r.colors[c * 3 + 1]; rgba[i * 4 + 2] = r.colors[c * 3 + 2]; rgba[i * 4 + 3] = 255;
      }
      put(img, r, rgba);
      return;
    }
    case 'zpal': {
      if (!stream) throw new Error('zpal rect without a stream context');
      const dict = stream.dictionary();
      const payload = inflateRawSync(r.data, dict.length ? { dictionary: Buffer.from(dict) } : {});
      const at = payloadIndices(payload);
      if (payload.length - at !== r.w * r.h) throw new Error(`zpal rect: ${payload.length - at} indices for ${r.w}×${r.h}`);
      stream.advance(payload);
      const rgba = Buffer.alloc(r.w * r.h * 4);
      for (let i = 0; i < r.w * r.h; i++) {
        const c = stream.colours[payload[at + i]];
        if (c === undefined) throw new Error(`zpal index ${payload[at + i]} ≥ ${stream.colours.length} colours`);
        rgba[i * 4] = c >>> 16; rgba[i * 4 + 1] = (c >>> 8) & 0xff; rgba[i * 4 + 2] = c & 0xff; rgba[i * 4 + 3] = 255;
      }
      put(img, r, rgba);
      return;
    }
    case 'jpeg': {
      // A smaller JPEG (a slow link) is scaled up to the rect, as the console's drawImage does.
      const meta = await sharp(r.data).metadata();
      if (!meta.width || !meta.height || meta.width > r.w || meta.height > r.h) throw new Error(`${r.k} image is ${meta.width}×${meta.height}, rect ${r.w}×${r.h}`);
      let dec = sharp(r.data);
      if (meta.width !== r.w || meta.height !== r.h) dec = dec.resize(r.w, r.h, { fit: 'fill' });
      put(img, r, await dec.ensureAlpha().raw().toBuffer());
      return;
    }
    case 'png': {
      const { data, info } = await sharp(r.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      if (info.width !== r.w || info.height !== r.h) throw new Error(`${r.k} image is ${info.width}×${info.height}, rect ${r.w}×${r.h}`);
      put(img, r, data);
      return;
    }
    case 'video': {
      if (!stream?.video) throw new Error('video rect without a display state');
      put(img, r, await stream.video.decode(r));
      return;
    }
    case 'copy': {
      check(img, { ...r, x: r.sx, y: r.sy });
      const tmp = Buffer.alloc(r.w * r.h * 4);
      for (let y = 0; y < r.h; y++) img.data.copy(tmp, y * r.w * 4, (r.sy + y) * stride + r.sx * 4, (r.sy + y) * stride + (r.sx + r.w) * 4);
      put(img, r, tmp);
      return;
    }
  }
}

/** Applies a frame's rects in order (`zpal` ones need the display's stream context). */
export async function applyRects(img: RgbaImage, rects: Rect[], stream?: DisplayState): Promise<void> {
  for (const r of rects) await applyRect(img, r, stream);
}

/** PSNR in dB over RGB (Infinity when identical), optionally within a box. */
export function psnr(a: RgbaImage, b: RgbaImage, box = { x: 0, y: 0, w: a.width, h: a.height }): number {
  let se = 0;
  for (let y = box.y; y < box.y + box.h; y++) {
    for (let i = (y * a.width + box.x) * 4, end = (y * a.width + box.x + box.w) * 4; i < end; i += 4) {
      const d0 = a.data[i] - b.data[i], d1 = a.data[i + 1] - b.data[i + 1], d2 = a.data[i + 2] - b.data[i + 2];
      se += d0 * d0 + d1 * d1 + d2 * d2;
    }
  }
  if (se === 0) return Infinity;
  return 10 * Math.log10((255 * 255) / (se / (box.w * box.h * 3)));
}

/** Number of pixels whose RGB differs. */
export function diffPixels(a: RgbaImage, b: RgbaImage): number {
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) n++;
  return n;
}
