// The per-display context of `zpal` rects (docs/ARCHITECTURE.md "Frame encoding", "Stream
// context"): a colour table and the recent uncompressed payloads, which the agent and every
// decoder keep in step by applying the same rects in the same order. Compression (zlib on the
// agent, DecompressionStream in the console) is each side's own; the rules are here, once.
//
// A rect's uncompressed payload: [n] [n × RGB new colours] [w×h indices into the table]. It is
// deflate-raw with the history as a preset dictionary. New colours are appended to the table; when
// they don't fit in 256 the table is cleared first (the encoder then sends all the rect's colours).

/** Deflate's window: a longer history could not be referred to. */
export const STREAM_HISTORY_BYTES = 32 * 1024;
export const STREAM_MAX_COLOURS = 256;
/** Rects since the reset wrap here by a reset (frame.z stays ≤ 3 bytes of msgpack). */
export const STREAM_MAX_RECTS = 0xffff;

export class PaletteStream {
  /** 0xRRGGBB by table index. */
  readonly colours: number[] = [];
  /** zpal rects applied since the reset: what `frame.z` of the next frame must say. */
  count = 0;
  private hist = new Uint8Array(STREAM_HISTORY_BYTES);
  private histLen = 0;

  reset(): void {
    this.colours.length = 0;
    this.count = 0;
    this.histLen = 0;
  }

  /** The preset dictionary for the next rect (a view; copy it if you keep it past advance()). */
  dictionary(): Uint8Array {
    return this.hist.subarray(0, this.histLen);
  }

  /** Whether `n` new colours need the table cleared first. */
  overflows(n: number): boolean {
    return this.colours.length + n > STREAM_MAX_COLOURS;
  }

  /** Applies one rect's uncompressed payload: its new colours, then the history. */
  advance(payload: Uint8Array): void {
    const n = payload[0];
    if (this.overflows(n)) this.colours.length = 0;
    for (let i = 0; i < n; i++) this.colours.push((payload[1 + i * 3] << 16) | (payload[2 + i * 3] << 8) | payload[3 + i * 3]);
    const keep = Math.min(payload.length, STREAM_HISTORY_BYTES);
    const old = Math.min(this.histLen, STREAM_HISTORY_BYTES - keep);
    this.hist.copyWithin(0, this.histLen - old, this.histLen);
    this.hist.set(payload.subarray(payload.length - keep), old);
    this.histLen = old + keep;
    this.count++;
  }
}

/** Where the indices start in a payload. */
export const payloadIndices = (payload: Uint8Array): number => 1 + payload[0] * 3;

/**
 * A deflate stored block (not final) holding `dict`: put before a rect's data, it makes an
 * inflater without preset-dictionary support (DecompressionStream) see the history first.
 */
export function storedBlock(dict: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + dict.length);
  const n = dict.length;
  out[0] = 0; out[1] = n & 0xff; out[2] = n >>> 8; out[3] = ~n & 0xff; out[4] = (~n >>> 8) & 0xff;
  out.set(dict, 5);
  return out;
}
