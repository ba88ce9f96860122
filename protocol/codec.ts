// One msgpack value per binary WebSocket message (msgpackr, records on). Sizes are checked
// before decoding, the schema after; every failure is a typed result, never a throw.
import { Packr, Unpackr } from 'msgpackr';
import * as v from 'valibot';
import { ErrorCode } from './errors.ts';
import { KiB, MAX_BULK_BYTES, MAX_CONTROL_BYTES, REP_SCREEN_FRAME_BYTES } from './limits.ts';
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
  png: ['k', 'x', 'y', 'w', 'h', 'data'],
};
// A frame with a stream context (`z`) is a shape of its own, appended: the slots before it keep
// their numbers, so recordings made before it still decode.
const FRAME_Z_KEYS = [...FRAME_KEYS, 'z'];
const SHAPES = [FRAME_KEYS.join(), ...new Set(Object.values(RECT_KEYS).map((k) => k.join())), FRAME_Z_KEYS.join()];
// Each side gets its own copy: msgpackr keeps its structures in the array it is given.
// `isShared` makes msgpackr restore a slot after a message that redefines it inline; without
// it one crafted message would rebind the slot for every later message (measured: it did).
const shared = () => SHAPES.map((k) => Object.assign(k.split(','), { isShared: true }));
const SHARED_COUNT = SHAPES.length;
const packr = new Packr({ useRecords: true, structures: shared(), maxSharedStructures: SHARED_COUNT, moreTypes: false, bundleStrings: false });
const unpackr = new Unpackr({ useRecords: true, structures: shared(), maxSharedStructures: SHARED_COUNT, mapsAsObjects: true, int64AsType: 'number' });

/** Rebuilds an object with its keys in the given order, so it matches a shared record shape. */
function ordered<T extends object>(obj: T, keys: string[]): T {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = (obj as Record<string, unknown>)[k];
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
}

export function encode(msg: MessageT): Uint8Array {
  if (msg.t === 'frame') {
    const rects = msg.rects.map((r) => ordered(r, RECT_KEYS[r.k]));
    return packr.pack({ ...ordered(msg, msg.z === undefined ? FRAME_KEYS : FRAME_Z_KEYS), rects });
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
