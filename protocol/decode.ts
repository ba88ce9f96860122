// The checks every decoded message passes (docs/ARCHITECTURE.md "No loss"): sizes before
// decoding, then a map with a known type, its size bound, the schema. Shared by codec.ts (every
// message type, msgpackr) and codec-customer.ts (what the customer chat receives, plain
// MessagePack), so both refuse the same way; every failure is a typed result, never a throw.
import * as v from 'valibot';
import { ErrorCode } from './errors.ts';
import { KiB, MAX_BULK_BYTES, MAX_CONTROL_BYTES, REP_SCREEN_FRAME_BYTES } from './limits.ts';
import { BULK_TYPES, type Message } from './messages/index.ts';

export interface DecodeError { code: ErrorCode; message: string; ref?: string }
export type DecodeResult<M = Message> = { ok: true; msg: M } | { ok: false; error: DecodeError };

export interface DecodeOptions {
  /** Upper bound for any message; defaults to MAX_BULK_BYTES. */
  maxBytes?: number;
  /** Upper bound for non-bulk messages; defaults to MAX_CONTROL_BYTES. */
  maxControlBytes?: number;
  /** A time near the message's (a recording's record time): puts back a compact frame's `ts`; defaults to now. */
  now?: number;
}

/** What one side decodes: its MessagePack reader and the messages it accepts. */
export interface Catalogue<M> {
  unpack: (bytes: Uint8Array) => unknown;
  schema: v.GenericSchema<unknown, M>;
  types: ReadonlySet<string>;
  /** Turns the compact frame shape (no `t`) back into a frame; null when it is malformed. */
  expandFrame?: (raw: Record<string, unknown>, now: number) => Record<string, unknown> | null;
}

/** Types with a tighter bound than the control limit: a rep's screen chunk (its envelope is small). */
const TYPE_MAX_BYTES: Partial<Record<string, number>> = { 'repscreen.frame': REP_SCREEN_FRAME_BYTES + KiB };

function fail(code: ErrorCode, message: string, ref?: string): { ok: false; error: DecodeError } {
  return { ok: false, error: ref === undefined ? { code, message } : { code, message, ref } };
}

/** Bytes from the network → a message of the catalogue, or a typed error. */
export function decodeWith<M>(cat: Catalogue<M>, bytes: Uint8Array, opts: DecodeOptions = {}): DecodeResult<M> {
  const maxBytes = opts.maxBytes ?? MAX_BULK_BYTES;
  const maxControl = opts.maxControlBytes ?? MAX_CONTROL_BYTES;
  if (!(bytes instanceof Uint8Array)) return fail(ErrorCode.Malformed, 'message must be binary');
  if (bytes.byteLength > maxBytes) return fail(ErrorCode.TooLarge, `message of ${bytes.byteLength} bytes exceeds the limit of ${maxBytes}`);
  if (bytes.byteLength === 0) return fail(ErrorCode.Malformed, 'empty message');
  let raw: unknown;
  try {
    raw = cat.unpack(bytes);
  } catch (e) {
    return fail(ErrorCode.Malformed, `not a msgpack value: ${(e as Error).message?.slice(0, 120) ?? 'decode failed'}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(ErrorCode.Malformed, 'message must be a map');
  if (cat.expandFrame && 'zr' in raw && !('t' in raw)) {
    const frame = cat.expandFrame(raw as Record<string, unknown>, opts.now ?? Date.now());
    if (!frame) return fail(ErrorCode.Invalid, 'invalid frame at zr: expected x·65536+y, w, h, data or colour per rect', 'frame');
    raw = frame;
  }
  const t = (raw as { t?: unknown }).t;
  if (typeof t !== 'string' || !cat.types.has(t)) return fail(ErrorCode.UnknownType, `unknown message type ${JSON.stringify(String(t)).slice(0, 60)}`);
  if (bytes.byteLength > maxControl && !BULK_TYPES.has(t)) return fail(ErrorCode.TooLarge, `a ${t} message may be at most ${maxControl} bytes`, t);
  const typeMax = TYPE_MAX_BYTES[t];
  if (typeMax !== undefined && bytes.byteLength > typeMax) return fail(ErrorCode.TooLarge, `a ${t} message may be at most ${typeMax} bytes`, t);
  const parsed = v.safeParse(cat.schema, raw);
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
