// Reboot and reconnect (docs/ARCHITECTURE.md, "Reboot and reconnect"): a rep in the session asks
// to restart the customer's computer; the customer confirms in the agent (restart, only log out,
// or not now); the server then gives that agent one short-lived credential that lets the agent
// started after the restart rejoin this session, and nothing else.
import * as v from 'valibot';
import { Id, repRequestTo, SessionId, Time } from './common.ts';

/** What the customer chose: restart the computer, only log out and back in, or not now. */
export const REBOOT_ANSWERS = ['restart', 'logout', 'decline'] as const;
export type RebootAnswerKind = (typeof REBOOT_ANSWERS)[number];

/** The session record's field, as the reference help desks keep it. */
export const RebootOutcome = v.picklist(['no', 'successful', 'failed']);
export type RebootOutcome = v.InferOutput<typeof RebootOutcome>;

/** Inside SessionInfo once a restart was confirmed: the outcome, and while waiting until when. */
export const RebootState = v.object({ outcome: RebootOutcome, waitingUntil: v.nullable(Time) });
export type RebootState = v.InferOutput<typeof RebootState>;

/** Rep → server (`id` for errors) → agent (with `requestId` and `from` set by the server). */
export const RebootRequest = repRequestTo('reboot.request');
/** Agent → server: the customer's answer in the agent's window. */
export const RebootAnswer = v.object({ t: v.literal('reboot.answer'), sessionId: SessionId, requestId: Id, answer: v.picklist(REBOOT_ANSWERS) });
/** Server → the agent that confirmed: the credential that rejoins this session once, until `expiresAt`. */
export const RebootTicket = v.object({
  t: v.literal('reboot.ticket'),
  sessionId: SessionId,
  requestId: Id,
  answer: v.picklist(['restart', 'logout']),
  credential: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  expiresAt: Time,
});
