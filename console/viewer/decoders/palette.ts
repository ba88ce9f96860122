// `palette`: ≤ 256 RGB colours and deflate-raw of one index byte per pixel. Lossless (text).
import type { RectDecoder } from './types.ts';

/**
 * Inflates at most `limit` bytes: a rect never needs more than w×h indices, so a deflate bomb
 * stops there. Input goes in 1 KiB pieces, so no piece can expand to more than about 1 MiB.
 */
export async function inflateRaw(data: Uint8Array, limit: number): Promise<Uint8Array> {
  const ds = new DecompressionStream('deflate-raw');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  void (async () => {
    for (let i = 0; i < data.length; i += 1024) await writer.write(data.subarray(i, i + 1024) as Uint8Array<ArrayBuffer>);
    await writer.close();
  })().catch(() => {}); // cancelled below, or corrupt input (the read fails too)
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    while (n < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      const part = value.subarray(0, limit - n);
      parts.push(part);
      n += part.length;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export const palette: RectDecoder<'palette'> = {
  kind: 'palette',
  async decode({ x, y, w, h, colors, data }) {
    const n = Math.min(256, Math.floor(colors.length / 3));
    if (n === 0) throw new Error('palette rect without colours');
    const indices = await inflateRaw(data, w * h);
    if (indices.length < w * h) throw new Error(`palette rect needs ${w * h} indices, got ${indices.length}`);
    // One RGBA word per palette entry (ImageData is little-endian RGBA on every browser we target).
    const lut = new Uint32Array(256);
    for (let i = 0; i < n; i++) lut[i] = 0xff000000 | (colors[i * 3 + 2] << 16) | (colors[i * 3 + 1] << 8) | colors[i * 3];
    for (let i = n; i < 256; i++) lut[i] = lut[0];
    const image = new ImageData(w, h);
    const out = new Uint32Array(image.data.buffer);
    for (let i = 0; i < w * h; i++) out[i] = lut[indices[i]];
    return (ctx) => ctx.putImageData(image, x, y);
  },
};
