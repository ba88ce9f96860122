// One msgpack value per binary WebSocket message (msgpackr, records on). Sizes are checked
// before decoding, the schema after; every failure is a typed result, never a throw.
import { Packr, Unpackr } from 'msgpackr';
import * as v from 'valibot';
import { ErrorCode } from './errors.ts';
import { KiB, MAX_BULK_BYTES, MAX_CONTROL_BYTES, MAX_RECTS, REP_SCREEN_FRAME_BYTES } from './limits.ts';
import { BULK_TYPES, Message, MESSAGE_TYPES, type Message as MessageT, type RectKind } from './messages/index.ts';

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

/** Types with a tighter bound than the control limit: a rep's screen chunk (its envelope is small). */
const TYPE_MAX_BYTES: Partial<Record<string, number>> = { 'repscreen.frame': REP_SCREEN_FRAME_BYTES + KiB };

export interface DecodeError { code: ErrorCode; message: string; ref?: string }
export type DecodeResult = { ok: true; msg: MessageT } | { ok: false; error: DecodeError };

export interface DecodeOptions {
  /** Upper bound for any message; defaults to MAX_BULK_BYTES. */
  maxBytes?: number;
  /** Upper bound for non-bulk messages; defaults to MAX_CONTROL_BYTES. */
  maxControlBytes?: number;
  /** A time near the message's (a recording's record time): puts back a compact frame's `ts`; defaults to now. */
  now?: number;
}

export function encode(msg: MessageT): Uint8Array {
  if (msg.t === 'frame' && compactable(msg)) {
    const zr = msg.rects.flatMap((r) => (r.k === 'zpal' ? [r.x * P16 + r.y, r.w, r.h, r.data] : r.k === 'fill' ? [r.x * P16 + r.y, r.w, r.h, r.c] : []));
    return packr.pack({ sessionId: idBytes(msg.sessionId) ?? msg.sessionId, seq: msg.seq, display: msg.display, wh: msg.w * P16 + msg.h, tl: msg.ts % P32, z: msg.z, zr });
  }
  if (msg.t === 'frame') {
    const rects = msg.rects.map((r) => ordered(r, RECT_KEYS[r.k]));
    return packr.pack(ordered({ ...msg, rects }, msg.z === undefined ? FRAME_KEYS : FRAME_Z_KEYS));
  }
  return packr.pack(msg);
}

function fail(code: ErrorCode, message: string, ref?: string): DecodeResult {
  return { ok: false, error: ref === undefined ? { code, message } : { code, message, ref } };
}

/** Bytes from the network → a validated message, or a typed error. */
export function decode(bytes: Uint8Array, opts: DecodeOptions = {}): DecodeResult {
  const maxBytes = opts.maxBytes ?? MAX_BULK_BYTES;
  const maxControl = opts.maxControlBytes ?? MAX_CONTROL_BYTES;
  if (!(bytes instanceof Uint8Array)) return fail(ErrorCode.Malformed, 'message must be binary');
  if (bytes.byteLength > maxBytes) return fail(ErrorCode.TooLarge, `message of ${bytes.byteLength} bytes exceeds the limit of ${maxBytes}`);
  if (bytes.byteLength === 0) return fail(ErrorCode.Malformed, 'empty message');
  let raw: unknown;
  try {
    raw = unpackr.unpack(bytes);
  } catch (e) {
    return fail(ErrorCode.Malformed, `not a msgpack value: ${(e as Error).message?.slice(0, 120) ?? 'decode failed'}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(ErrorCode.Malformed, 'message must be a map');
  if ('zr' in raw && !('t' in raw)) {
    const frame = expandZr(raw as Record<string, unknown>, opts.now ?? Date.now());
    if (!frame) return fail(ErrorCode.Invalid, 'invalid frame at zr: expected x·65536+y, w, h, data or colour per rect', 'frame');
    raw = frame;
  }
  const t = (raw as { t?: unknown }).t;
  if (typeof t !== 'string' || !MESSAGE_TYPES.has(t)) return fail(ErrorCode.UnknownType, `unknown message type ${JSON.stringify(String(t)).slice(0, 60)}`);
  if (bytes.byteLength > maxControl && !BULK_TYPES.has(t)) return fail(ErrorCode.TooLarge, `a ${t} message may be at most ${maxControl} bytes`, t);
  const typeMax = TYPE_MAX_BYTES[t];
  if (typeMax !== undefined && bytes.byteLength > typeMax) return fail(ErrorCode.TooLarge, `a ${t} message may be at most ${typeMax} bytes`, t);
  const parsed = v.safeParse(Message, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
    // A message with a client id is refused by that id, so the sender's outbox drops it for good
    // (a resend would be just as invalid) instead of resending it after every reconnect.
    const id = (raw as { id?: unknown }).id;
    const ref = typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : t;
    return fail(ErrorCode.Invalid, `invalid ${t}${path ? ` at ${path}` : ''}: ${issue.message}`.slice(0, 300), ref);
  }
  return { ok: true, msg: parsed.output };
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

/** WebSocket data (Buffer, ArrayBuffer, Buffer[] or a text frame) → bytes, or null for text. */
export function toBytes(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data) && data.every((d) => d instanceof Uint8Array)) {
    const total = data.reduce((n, d: Uint8Array) => n + d.byteLength, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const d of data as Uint8Array[]) { out.set(d, o); o += d.byteLength; }
    return out;
  }
  return null;
}
