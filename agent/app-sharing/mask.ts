// Application sharing: everything outside the shared windows is painted black before a frame
// is encoded, so those pixels never leave the machine. Rects are display-relative.
import type { RawFrame } from '../capture/screen-source.ts';

export interface Box { x: number; y: number; w: number; h: number }

export function maskOutside(frame: RawFrame, keep: readonly Box[]): void {
  const { width, height, data } = frame;
  const stride = width * 4;
  const spans: Array<[number, number]> = [];
  for (let y = 0; y < height; y++) {
    spans.length = 0;
    for (const b of keep) {
      if (y < b.y || y >= b.y + b.h) continue;
      const x0 = Math.max(0, b.x), x1 = Math.min(width, b.x + b.w);
      if (x1 > x0) spans.push([x0, x1]);
    }
    spans.sort((a, b) => a[0] - b[0]);
    let x = 0;
    const row = y * stride;
    for (const [s, e] of spans) {
      if (s > x) blacken(data, row + x * 4, row + s * 4);
      x = Math.max(x, e);
    }
    if (x < width) blacken(data, row + x * 4, row + stride);
  }
}

function blacken(data: Buffer, from: number, to: number): void {
  data.fill(0, from, to);
  for (let i = from + 3; i < to; i += 4) data[i] = 255;
}

export function contains(boxes: readonly Box[], x: number, y: number): boolean {
  return boxes.some((b) => x >= b.x && y >= b.y && x < b.x + b.w && y < b.y + b.h);
}
