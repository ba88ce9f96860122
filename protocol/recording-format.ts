// The session recording file (docs/ARCHITECTURE.md, "Recording"), shared by the server that
// writes it and whatever replays it: a header line, then records one after another, each
// [kind u8][at f64 ms, little-endian][length u32][payload]. Frames are the exact bytes the server
// relayed (no re-encoding); events are transcript event messages in the protocol's encoding; a
// refresh record marks where the server asked for a full picture (replay seeks from there). A
// record cut short by a crash is the end of the recording.
import { decode } from './codec.ts';
import type { Message } from './messages/index.ts';

export const RECORDING_MAGIC = new TextEncoder().encode('BRIDGE-RECORDING 1\n');
const HEAD = 1 + 8 + 4;
/** One record at most (more than the protocol's largest frame). */
export const MAX_RECORD_BYTES = 32 * 1024 * 1024;

export const RecordKind = { frame: 1, event: 2, refresh: 3 } as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

export interface RecordingEntry { kind: RecordKind; at: number; payload: Uint8Array }

export function encodeRecord(kind: RecordKind, at: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEAD + payload.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, kind);
  view.setFloat64(1, at, true);
  view.setUint32(9, payload.length, true);
  out.set(payload, HEAD);
  return out;
}

function hasMagic(file: Uint8Array): boolean {
  if (file.length < RECORDING_MAGIC.length) return false;
  return RECORDING_MAGIC.every((b, i) => file[i] === b);
}

/** Every whole record; stops at a truncated or unknown one (a crash mid-write). */
export function* readRecords(file: Uint8Array): Generator<RecordingEntry> {
  if (!hasMagic(file)) return;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let at = RECORDING_MAGIC.length;
  while (at + HEAD <= file.length) {
    const kind = view.getUint8(at);
    const time = view.getFloat64(at + 1, true);
    const len = view.getUint32(at + 9, true);
    if (kind < 1 || kind > 3 || len > MAX_RECORD_BYTES || at + HEAD + len > file.length) return;
    yield { kind: kind as RecordKind, at: time, payload: file.subarray(at + HEAD, at + HEAD + len) };
    at += HEAD + len;
  }
}

/** A frame's or event's message, validated as any message is; null for a refresh mark or bad bytes. */
export function recordMessage(e: RecordingEntry): Message | null {
  if (e.kind === RecordKind.refresh) return null;
  const r = decode(e.payload, { now: Math.round(e.at) }); // a compact frame's ts is near its record time
  return r.ok ? r.msg : null;
}
