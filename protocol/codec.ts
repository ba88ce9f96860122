// One msgpack value per binary WebSocket message (msgpackr, records on). Sizes are checked
// before decoding, the schema after; every failure is a typed result, never a throw.
import { Packr, Unpackr } from 'msgpackr';
import { decodeWith, type Catalogue, type DecodeOptions, type DecodeResult } from './decode.ts';
import { MAX_RECTS } from './limits.ts';
import { Message, MESSAGE_TYPES, type Message as MessageT, type RectKind } from './messages/index.ts';

// Records whose definitions are fixed at build time for the hot path (a frame and its rects),
// inline definitions for everything else. Nothing is learned per connection, so any message
// decodes alone and the server relays frames without per-stream state. The fixed shapes cut a
// typed glyph's frame from 180 to ~110 bytes (the key names were most of it).
const FRAME_KEYS = ['t', 'sessionId', 'seq', 'display', 'w', 'h', 'ts', 'rects'];
const RECT_KEYS: Record<RectKind, string[]> = {
  fill: ['k', 'x', 'y', 'w', 'h', 'c'],
  palette: ['k', 'x', 'y', 'w', 'h', 'colors', 'data'],
  jpeg: ['k', 'x', 'y', 'w', 'h', 'data'],
  copy: ['k', 'x', 'y', 'w', 'h', 'sx', 'sy'],
  zpal: ['k', 'x', 'y', 'w', 'h', 'data'],
  video: ['k', 'x', 'y', 'w', 'h', 'codec', 'n', 'cw', 'ch', 'data'],
  png: ['k', 'x', 'y', 'w', 'h', 'data'],
};
// A frame with a stream context (`z`) is a shape of its own, appended: the slots before it keep
// their numbers, so recordings made before it still decode.
const FRAME_Z_KEYS = [...FRAME_KEYS, 'z'];
// A frame whose rects are all `zpal` or `fill` (a typed glyph, the cursor) has a shape of its own,
// appended (docs/ARCHITECTURE.md "Stream context", compact frame shape): no `t` (the shape says it
// is a frame), `w`/`h` as one number, `ts` as its low 32 bits (the decoder puts back the high ones
// from its own clock or DecodeOptions.now, exact while clocks differ by under 24 days), and the
// rects flat in `zr`, four slots each: x·65536+y, w, h, then the zpal data (bytes) or the fill
// colour (a number); a server-made session id (16 base64url characters) as its 12 bytes. ≈ 21 of a
// keystroke frame's ≈ 63 fixed bytes; decode() expands it back.
const FRAME_ZR_KEYS = ['sessionId', 'seq', 'display', 'wh', 'tl', 'z', 'zr'];
const ZR_SLOTS = 4;
const P16 = 65536;
const P32 = 2 ** 32;
// Likewise the `video` rect (docs/ARCHITECTURE.md "Video tier"), after the compact frame.
const FIRST_RECTS: RectKind[] = ['fill', 'palette', 'jpeg', 'copy', 'zpal'];
const SHAPES = [FRAME_KEYS.join(), ...new Set(FIRST_RECTS.map((k) => RECT_KEYS[k].join())), FRAME_Z_KEYS.join(), FRAME_ZR_KEYS.join(), RECT_KEYS.video.join()];
// Each side gets its own copy: msgpackr keeps its structures in the array it is given.
// `isShared` makes msgpackr restore a slot after a message that redefines it inline; without
// it one crafted message would rebind the slot for every later message (measured: it did).
const shared = () => SHAPES.map((k) => Object.assign(k.split(','), { isShared: true }));
const SHARED_COUNT = SHAPES.length;
// Records only for the frame and its rects (the shapes above); every other message is a plain
// map, so the customer chat decodes its messages with a plain MessagePack reader instead of
// msgpackr (docs/ARCHITECTURE.md "Web chat" → "Size").
const recorded = new WeakSet<object>();
const packr = new Packr({ useRecords: (o: object) => recorded.has(o), structures: shared(), maxSharedStructures: SHARED_COUNT, moreTypes: false, bundleStrings: false });
const unpackr = new Unpackr({ useRecords: true, structures: shared(), maxSharedStructures: SHARED_COUNT, mapsAsObjects: true, int64AsType: 'number' });

/** Rebuilds an object with its keys in the given order, so it matches a shared record shape. */
function ordered<T extends object>(obj: T, keys: string[]): T {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = (obj as Record<string, unknown>)[k];
  recorded.add(out);
  return out as T;
}

export type { DecodeError, DecodeOptions, DecodeResult } from './decode.ts';
export { toBytes } from './decode.ts';

export function encode(msg: MessageT): Uint8Array {
  if (msg.t === 'frame' && compactable(msg)) {
    const zr = msg.rects.flatMap((r) => (r.k === 'zpal' ? [r.x * P16 + r.y, r.w, r.h, r.data] : r.k === 'fill' ? [r.x * P16 + r.y, r.w, r.h, r.c] : []));
    const compact = { sessionId: idBytes(msg.sessionId) ?? msg.sessionId, seq: msg.seq, display: msg.display, wh: msg.w * P16 + msg.h, tl: msg.ts % P32, z: msg.z, zr };
    recorded.add(compact);
    return packr.pack(compact);
  }
  if (msg.t === 'frame') {
    const rects = msg.rects.map((r) => ordered(r, RECT_KEYS[r.k]));
    return packr.pack(ordered({ ...msg, rects }, msg.z === undefined ? FRAME_KEYS : FRAME_Z_KEYS));
  }
  return packr.pack(msg);
}

/** The catalogue of every message type (the server, the console, the agent). */
const EVERY: Catalogue<MessageT> = { unpack: (b) => unpackr.unpack(b), schema: Message, types: MESSAGE_TYPES, expandFrame: expandZr };

/** Bytes from the network → a validated message, or a typed error. */
export function decode(bytes: Uint8Array, opts: DecodeOptions = {}): DecodeResult {
  return decodeWith(EVERY, bytes, opts);
}

const u16 = (n: number) => Number.isInteger(n) && n >= 0 && n < P16;

/** Whether the frame fits the compact shape (else it goes as it is). */
function compactable(f: Extract<MessageT, { t: 'frame' }>): boolean {
  return f.z !== undefined && f.rects.length > 0 && Number.isInteger(f.ts) && u16(f.w) && u16(f.h) &&
    f.rects.every((r) => (r.k === 'zpal' || r.k === 'fill') && u16(r.x) && u16(r.y));
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A 16-character base64url id (the server's newId) → its 12 bytes; null for any other string. */
function idBytes(id: string): Uint8Array | null {
  if (id.length !== 16) return null;
  const out = new Uint8Array(12);
  for (let i = 0, o = 0; i < 16; i += 4, o += 3) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const d = B64URL.indexOf(id[i + k]);
      if (d < 0) return null;
      n = (n << 6) | d;
    }
    out[o] = n >>> 16; out[o + 1] = (n >>> 8) & 0xff; out[o + 2] = n & 0xff;
  }
  return out;
}

function idString(b: Uint8Array): string {
  let s = '';
  for (let o = 0; o < 12; o += 3) {
    const n = (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
    s += B64URL[n >>> 18] + B64URL[(n >>> 12) & 63] + B64URL[(n >>> 6) & 63] + B64URL[n & 63];
  }
  return s;
}

/** The compact frame shape → the frame it stands for (schema-checked after), or null. */
function expandZr(raw: Record<string, unknown>, now: number): Record<string, unknown> | null {
  const { zr, wh, tl, sessionId, ...rest } = raw;
  if (!Array.isArray(zr) || zr.length === 0 || zr.length % ZR_SLOTS !== 0 || zr.length > MAX_RECTS * ZR_SLOTS) return null;
  if (typeof wh !== 'number' || typeof tl !== 'number' || !Number.isInteger(now)) return null;
  const rects = [];
  for (let i = 0; i < zr.length; i += ZR_SLOTS) {
    const xy = zr[i], last = zr[i + 3];
    if (typeof xy !== 'number') return null;
    const box = { x: Math.floor(xy / P16), y: xy % P16, w: zr[i + 1], h: zr[i + 2] };
    rects.push(typeof last === 'number' ? { k: 'fill', ...box, c: last } : { k: 'zpal', ...box, data: last });
  }
  // The ts nearest `now` with these low 32 bits.
  let d = (((tl - (now % P32)) % P32) + P32) % P32;
  if (d >= P32 / 2) d -= P32;
  return { t: 'frame', sessionId: sessionId instanceof Uint8Array && sessionId.length === 12 ? idString(sessionId) : sessionId, ...rest, w: Math.floor(wh / P16), h: wh % P16, ts: now + d, rects };
}
