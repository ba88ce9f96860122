// One decoder per rect kind (noVNC style): each turns a rect's bytes into a `Paint`, a small
// function that draws it. Decoding may be async and run concurrently (DecompressionStream,
// createImageBitmap); painting is synchronous and happens strictly in rect order, so a `copy`
// sees exactly the pixels the rects before it left behind.
import type { Rect, RectKind } from '../../../protocol/index.ts';
import { fill } from './fill.ts';
import { palette } from './palette.ts';
import { jpeg } from './jpeg.ts';
import { png } from './png.ts';
import { copy } from './copy.ts';
import type { Paint, RectDecoder } from './types.ts';

export type { Paint, RectDecoder };

const registry = new Map<RectKind, RectDecoder>();

export function registerDecoder<K extends RectKind>(d: RectDecoder<K>): void {
  registry.set(d.kind, d as unknown as RectDecoder);
}

export function decodeRect(rect: Rect): Paint | Promise<Paint> {
  const d = registry.get(rect.k);
  if (!d) throw new Error(`no decoder for rect kind ${rect.k}`);
  return d.decode(rect as never);
}

for (const d of [fill, palette, jpeg, png, copy] as RectDecoder[]) registerDecoder(d);
