// A recording read once into a timeline (docs/ARCHITECTURE.md "Recording"): every record's kind,
// time from the start and bytes (views into the file, no copies), the transcript events, the
// grant changes, and the seek points: frames that paint the whole picture (the one that answers
// a refresh mark, or the first of the file), from which replay can start without what came
// before. Frames are decoded only when played; here only the few after each refresh mark.
import { grantText, readRecords, recordMessage, RecordKind, type Event, type Msg, type RecordingEntry } from '../../protocol/index.ts';
import { eventWords } from '../i18n.ts';

export interface TimelineRecord { kind: RecordKind; /** ms since the recording's first record */ at: number; payload: Uint8Array }
export interface SeekPoint { index: number; at: number }
export interface GrantMark { at: number; grant: 'none' | 'view' | 'control'; text: string }
export interface TimedEvent { at: number; event: Event }

/** How many frames after a refresh mark may come before its full picture (frames in flight when it was asked). */
const FULL_FRAME_WITHIN = 16;

/**
 * True when the frame's pixel rects cover its whole screen (a refresh's answer does) and it
 * starts its stream context afresh (z 0 or none), so the frames after it decode without the ones before.
 */
export function paintsWholeScreen(f: Msg<'frame'>): boolean {
  if (f.z !== undefined && f.z !== 0) return false;
  let area = 0;
  for (const r of f.rects) if (r.k !== 'copy') area += r.w * r.h;
  return area >= f.w * f.h;
}

export class Timeline {
  readonly records: TimelineRecord[] = [];
  readonly events: TimedEvent[] = [];
  readonly grants: GrantMark[] = [];
  readonly seekPoints: SeekPoint[] = [];
  /** Server time (ms since epoch) of the first record. */
  readonly startedAt: number;
  readonly duration: number;
  readonly frameCount: number;

  constructor(file: Uint8Array) {
    const entries: RecordingEntry[] = [...readRecords(file)];
    this.startedAt = entries[0]?.at ?? 0;
    let frames = 0;
    let lookFor = 1; // frames left to look at for a full picture (the file's first ones count too)
    for (const e of entries) {
      const at = Math.max(0, e.at - this.startedAt);
      const index = this.records.length;
      this.records.push({ kind: e.kind, at, payload: e.payload });
      if (e.kind === RecordKind.refresh) lookFor = FULL_FRAME_WITHIN;
      else if (e.kind === RecordKind.frame) {
        frames++;
        if (lookFor > 0) {
          lookFor--;
          const f = this.frame(index);
          if (f && paintsWholeScreen(f)) { this.seekPoints.push({ index, at }); lookFor = 0; }
        }
      } else {
        const m = recordMessage(e);
        if (m?.t !== 'event') continue;
        this.events.push({ at, event: m });
        if (m.body.kind === 'grant') this.grants.push({ at, grant: m.body.grant, text: grantText(m.body, eventWords()) });
      }
    }
    this.frameCount = frames;
    this.duration = this.records.length ? this.records[this.records.length - 1].at : 0;
  }

  /** The frame at a record index (decoded and validated now); null for other records or bad bytes. */
  frame(index: number): Msg<'frame'> | null {
    const r = this.records[index];
    if (r?.kind !== RecordKind.frame) return null;
    const m = recordMessage({ kind: r.kind, at: r.at, payload: r.payload });
    return m?.t === 'frame' ? m : null;
  }

  /** Index of the first record later than `at` (records.length when none is). */
  indexAfter(at: number): number {
    return upperBound(this.records, at);
  }

  /** The last seek point at or before `at`, or null (then replay starts from the beginning). */
  seekPointAt(at: number): SeekPoint | null {
    const i = upperBound(this.seekPoints, at);
    return i > 0 ? this.seekPoints[i - 1] : null;
  }

  /** How many transcript events happened at or before `at`. */
  eventsUntil(at: number): number {
    return upperBound(this.events, at);
  }
}

/** First index whose `at` is greater than `at` (the list is in time order). */
function upperBound(list: readonly { at: number }[], at: number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].at <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
