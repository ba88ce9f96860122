// `zpal`: a small `palette` rect re-coded in the display's stream context (docs/ARCHITECTURE.md
// "Frame encoding", "Stream context"). A typed glyph mostly repeats pixels sent before (the same
// letter, the cursor, the same anti-aliasing shades), which a from-scratch deflate cannot see:
// with the colour table and the history as dictionary a repeated glyph costs ≈ 8 bytes, not ≈ 130.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { PaletteStream, type Rect } from '../../protocol/index.ts';

type PaletteRect = Extract<Rect, { k: 'palette' }>;

/** Bigger rects gain little from the history and would flush it (a full-screen text change). */
export const ZPAL_MAX_PIXELS = 64 * 64;

export class ZpalEncoder {
  readonly stream = new PaletteStream();
  private readonly index = new Map<number, number>(); // 0xRRGGBB → table index

  reset(): void {
    this.stream.reset();
    this.index.clear();
  }

  /** The rect in the stream context, or the rect as it was when it doesn't suit (large, 256 new colours). */
  encode(r: PaletteRect): Rect {
    if (r.w * r.h > ZPAL_MAX_PIXELS) return r;
    const n = r.colors.length / 3;
    const rgb = (i: number) => (r.colors[i * 3] << 16) | (r.colors[i * 3 + 1] << 8) | r.colors[i * 3 + 2];
    let fresh: number[] = [];
    for (let i = 0; i < n; i++) if (!this.index.has(rgb(i))) fresh.push(rgb(i));
    const clear = this.stream.overflows(fresh.length);
    if (clear) fresh = Array.from({ length: n }, (_, i) => rgb(i));
    if (fresh.length > 255) return r;
    if (clear) this.index.clear();
    const base = clear ? 0 : this.stream.colours.length;
    fresh.forEach((c, i) => this.index.set(c, base + i));
    const map = new Uint8Array(n);
    for (let i = 0; i < n; i++) map[i] = this.index.get(rgb(i))!;
    const indices = inflateRawSync(r.data);
    const payload = new Uint8Array(1 + fresh.length * 3 + indices.length);
    payload[0] = fresh.length;
    fresh.forEach((c, i) => { payload[1 + i * 3] = c >>> 16; payload[2 + i * 3] = (c >>> 8) & 0xff; payload[3 + i * 3] = c & 0xff; });
    for (let i = 0, o = 1 + fresh.length * 3; i < indices.length; i++) payload[o + i] = map[indices[i]];
    const dict = this.stream.dictionary();
    const data = deflateRawSync(payload, dict.length ? { dictionary: dict, level: 9 } : { level: 9 });
    this.stream.advance(payload);
    return { k: 'zpal', x: r.x, y: r.y, w: r.w, h: r.h, data: new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength) };
  }
}
