// Remote diagnostics (docs/ARCHITECTURE.md, "Remote diagnostics"): a rep in the session asks, the
// agent shows the customer what it would collect and collects only after their OK, each time.
import * as v from 'valibot';
import { DIAG_MAX_SECTIONS, DIAG_SECTION_TEXT_CHARS } from '../limits.ts';
import { Id, repRequestTo, SessionId, ShortText, Time, UInt } from './common.ts';

export const DIAG_STATUSES = ['ok', 'timeout', 'error', 'unavailable'] as const;
export type DiagStatus = (typeof DIAG_STATUSES)[number];

/** Plain JSON only (what the store keeps and the download gives back), at most 12 levels deep. */
export function isJsonValue(x: unknown, depth = 0): boolean {
  if (depth > 12) return false;
  if (x === null || typeof x === 'string' || typeof x === 'boolean') return true;
  if (typeof x === 'number') return Number.isFinite(x);
  if (Array.isArray(x)) return x.every((e) => isJsonValue(e, depth + 1));
  if (typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) return Object.values(x as object).every((e) => isJsonValue(e, depth + 1));
  return false;
}

/** One part of the report: what one OS tool or file said, structured (`data`) and as read (`text`). */
export const DiagnosticsSection = v.object({
  id: Id,
  title: ShortText,
  status: v.picklist(DIAG_STATUSES),
  /** How long the step took. */
  ms: UInt,
  data: v.pipe(v.unknown(), v.check(isJsonValue, 'data must be plain JSON')),
  text: v.pipe(v.string(), v.maxLength(DIAG_SECTION_TEXT_CHARS)),
});
export type DiagnosticsSection = v.InferOutput<typeof DiagnosticsSection>;

export const DiagnosticsReport = v.object({
  collectedAt: Time,
  /** `linux`, `win32`, `darwin` (Node's names). */
  platform: ShortText,
  sections: v.pipe(v.array(DiagnosticsSection), v.maxLength(DIAG_MAX_SECTIONS)),
});
export type DiagnosticsReport = v.InferOutput<typeof DiagnosticsReport>;

/** Rep → server (`id` for errors) → agent (with `requestId` and `from` set by the server). */
export const DiagRequest = repRequestTo('diag.request');
/** Agent → server: the customer's answer in the agent (window or terminal). */
export const DiagAnswer = v.object({ t: v.literal('diag.answer'), sessionId: SessionId, requestId: Id, allowed: v.boolean() });
/** Agent → server → reps of the session: what was collected after the customer allowed it. */
export const DiagReport = v.object({ t: v.literal('diag.report'), sessionId: SessionId, requestId: Id, report: DiagnosticsReport });
