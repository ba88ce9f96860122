// System lines as a code and parameters (docs/ARCHITECTURE.md, "Languages" → "System events"):
// the transcript stores what happened, not a sentence, so every reader renders it in their own
// language from the `events` catalogue. Rows from before this carry an English `text` and no
// `params`; readers show that text as it is.
import * as v from 'valibot';
import { ShortText, UInt } from './messages/common.ts';

const Want = v.picklist(['view', 'control']);
const Name = ShortText;

/** Why a session ended, as a code a reader can translate; `other` shows the stored reason as it is. */
export const EndReason = v.picklist(['rep', 'customer', 'declined', 'timeout', 'helpdesk', 'orphaned', 'expired', 'other']);
export type EndReason = v.InferOutput<typeof EndReason>;

/** The server's own end reasons (stored in the session row as these words) and their codes. */
export const END_REASON_TEXT: Record<Exclude<EndReason, 'other'>, string> = {
  rep: 'ended by the representative',
  customer: 'ended by the customer',
  declined: 'agreement declined',
  timeout: 'agreement not accepted in time',
  helpdesk: 'ended from the help desk',
  orphaned: 'orphaned',
  expired: 'key expired unused',
};

export function endReasonCode(reason: string): EndReason {
  const hit = Object.entries(END_REASON_TEXT).find(([, text]) => text === reason);
  return hit ? (hit[0] as EndReason) : 'other';
}

/** Any system line's parameters, as the wire carries them (each code's own shape is checked below). */
export const SystemParamsRecord = v.record(v.pipe(v.string(), v.maxLength(32)), v.union([ShortText, UInt]));

/** Each code's parameters. Names are user text (readers isolate them where the text is plain). */
export const SYSTEM_PARAMS = {
  accepted: v.strictObject({ rep: Name }),
  resumed: v.strictObject({ rep: Name }),
  held: v.strictObject({ rep: Name }),
  'rep.joined': v.strictObject({ rep: Name }),
  'rep.left': v.strictObject({ rep: Name }),
  /** `to`: where the session went; `unavailable`: its rep was disabled and it went back to a queue. */
  transferred: v.strictObject({ to: v.picklist(['rep', 'team', 'general', 'unavailable']), name: Name }),
  orphaned: v.strictObject({}),
  /** `by` is empty when the system ended it; `reasonText` is the stored reason (shown for `other`). */
  ended: v.strictObject({ by: Name, reason: EndReason, reasonText: ShortText }),
  'screen.requested': v.strictObject({ rep: Name, want: Want }),
  'screen.cancelled': v.strictObject({ rep: Name, want: Want }),
  'screen.declined': v.strictObject({ want: Want }),
  'screen.timeout': v.strictObject({ want: Want }),
  'diagnostics.requested': v.strictObject({ rep: Name }),
  'diagnostics.allowed': v.strictObject({}),
  'diagnostics.refused': v.strictObject({}),
  'diagnostics.collected': v.strictObject({ sections: UInt }),
  'reboot.requested': v.strictObject({ rep: Name }),
  'reboot.confirmed': v.strictObject({ answer: v.picklist(['restart', 'logout']) }),
  'reboot.declined': v.strictObject({}),
  'reboot.reconnected': v.strictObject({}),
  'reboot.failed': v.strictObject({ why: v.picklist(['timeout', 'ended']) }),
  'repscreen.started': v.strictObject({ rep: Name }),
  'repscreen.stopped': v.strictObject({ rep: Name }),
  'repscreen.closed': v.strictObject({ rep: Name }),
} as const;

export type SystemCode = keyof typeof SYSTEM_PARAMS;
export type SystemParams<C extends SystemCode> = v.InferOutput<(typeof SYSTEM_PARAMS)[C]>;
export const SYSTEM_CODES = Object.keys(SYSTEM_PARAMS) as SystemCode[];

export const isSystemCode = (code: string): code is SystemCode => Object.hasOwn(SYSTEM_PARAMS, code);

/** A stored system line's parameters fit its code (an unknown code has none to check). */
export function validSystemParams(code: string, params: unknown): boolean {
  return !isSystemCode(code) || v.is(SYSTEM_PARAMS[code], params);
}

/** A system line as stored: code and params, no words. */
export interface StoredSystemBody<C extends SystemCode = SystemCode> {
  kind: 'system';
  code: C;
  params: SystemParams<C>;
}

/** The body of a system line, typed by its code. */
export function systemBody<C extends SystemCode>(code: C, params: SystemParams<C>): StoredSystemBody<C> {
  return { kind: 'system', code, params };
}
