// The browser's own image decoder, off the main thread (jpeg, png).
import type { Paint } from './types.ts';

export async function decodeImage(data: Uint8Array, type: string, x: number, y: number, w: number, h: number): Promise<Paint> {
  const bitmap = await createImageBitmap(new Blob([data as Uint8Array<ArrayBuffer>], { type }));
  return (ctx) => {
    ctx.drawImage(bitmap, x, y, w, h);
    bitmap.close();
  };
}
