// `zpal`: a palette rect in the display's stream context (protocol/palette-stream.ts). Decoded in
// rect order, each after the one before (its output is the next one's dictionary). The context is
// checked per frame against `frame.z` (console/viewer/streams.ts); out of step, rects fail.
import { payloadIndices, PaletteStream, storedBlock, STREAM_MAX_COLOURS, type Rect } from '../../../protocol/index.ts';
import { inflateRaw } from './palette.ts';
import type { Paint } from './types.ts';

/** One display's context as a viewer keeps it. */
export class DisplayStream {
  state = new PaletteStream();
  /** False until a frame resets the context (a viewer that joined late), or after a failure. */
  inStep = false;
  /** zpal rects received since the reset (state.count lags while they decode). */
  received = 0;
  private chain: Promise<unknown> = Promise.resolve();

  reset(): void {
    this.state = new PaletteStream(); // decodes still queued for the old context apply to that one
    this.chain = Promise.resolve();
    this.inStep = true;
    this.received = 0;
  }

  decode(rect: Extract<Rect, { k: 'zpal' }>): Promise<Paint> {
    if (!this.inStep) return Promise.reject(new Error('zpal rect while the stream context is out of step'));
    this.received++;
    const state = this.state;
    const run = this.chain.then(() => decodeIn(state, rect));
    this.chain = run.catch(() => { if (this.state === state) this.inStep = false; });
    return run;
  }
}

async function decodeIn(state: PaletteStream, { x, y, w, h, data }: Extract<Rect, { k: 'zpal' }>): Promise<Paint> {
  const dict = state.dictionary();
  const input = new Uint8Array(5 + dict.length + data.length);
  input.set(storedBlock(dict));
  input.set(data, 5 + dict.length);
  const out = await inflateRaw(input, dict.length + 1 + 255 * 3 + w * h);
  const payload = out.subarray(dict.length);
  const at = payloadIndices(payload);
  if (payload.length < 1 || payload.length - at !== w * h) throw new Error(`zpal rect needs ${w * h} indices, got ${payload.length - at}`);
  state.advance(payload);
  const lut = new Uint32Array(STREAM_MAX_COLOURS);
  state.colours.forEach((c, i) => { lut[i] = 0xff000000 | ((c & 0xff) << 16) | (c & 0xff00) | (c >>> 16); });
  const image = new ImageData(w, h);
  const px = new Uint32Array(image.data.buffer);
  for (let i = 0; i < w * h; i++) px[i] = lut[payload[at + i]];
  return (ctx) => ctx.putImageData(image, x, y);
}
