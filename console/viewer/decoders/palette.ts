// `palette`: ≤ 256 RGB colours and deflate-raw of one index byte per pixel. Lossless (text).
import type { RectDecoder } from './index.ts';

async function inflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export const palette: RectDecoder<'palette'> = {
  kind: 'palette',
  async decode({ x, y, w, h, colors, data }) {
    const n = Math.min(256, Math.floor(colors.length / 3));
    if (n === 0) throw new Error('palette rect without colours');
    const indices = await inflateRaw(data);
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
