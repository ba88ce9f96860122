// The one small interface of the rect decoders (one per file; the registry is in index.ts).
import type { Rect, RectKind } from '../../../protocol/index.ts';

/** Draws a decoded rect; painting is synchronous and happens strictly in rect order. */
export type Paint = (ctx: CanvasRenderingContext2D) => void;

export interface RectDecoder<K extends RectKind = RectKind> {
  readonly kind: K;
  decode(rect: Extract<Rect, { k: K }>): Paint | Promise<Paint>;
}
