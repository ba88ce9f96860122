// The persisted, sequenced transcript of a session (chat plus system messages) and the
// client messages that produce entries in it. Every producing message carries a client
// `id`; the server answers `ack {id, seq}` once the entry is stored, and dedupes resends.
import * as v from 'valibot';
import { Actor, ClientId, Grant, Id, NoControl, SessionId, ShortText, Text, Time, UInt, Url } from './common.ts';

export const EventBody = v.variant('kind', [
  v.object({ kind: v.literal('chat'), text: Text }),
  /** A system line; `code` lets clients style or translate it (joined, left, accepted, held, ...). */
  v.object({ kind: v.literal('system'), code: ShortText, text: Text }),
  v.object({ kind: v.literal('nudge') }),
  v.object({ kind: v.literal('url'), url: Url }),
  v.object({ kind: v.literal('notice'), text: Text, leaveAllowed: v.boolean() }),
  /** The customer's choice in the agent; `reps`: names of the reps it covers (absent in old records). */
  v.object({ kind: v.literal('grant'), grant: Grant, reps: v.optional(v.array(ShortText)) }),
  v.object({ kind: v.literal('agreement'), accepted: v.boolean() }),
  v.object({ kind: v.literal('recording'), allowed: v.boolean() }),
  v.object({
    kind: v.literal('file'),
    fileId: Id,
    name: ShortText,
    size: UInt,
    status: v.picklist(['offered', 'accepted', 'declined', 'done', 'failed']),
  }),
]);
export type EventBody = v.InferOutput<typeof EventBody>;

export const Event = v.object({
  t: v.literal('event'),
  sessionId: SessionId,
  seq: UInt,
  at: Time,
  /** The client id of the message that produced it, so the sender can match its pending copy. */
  id: v.optional(ClientId),
  from: Actor,
  body: EventBody,
});
export type Event = v.InferOutput<typeof Event>;

export const Ack = v.object({ t: v.literal('ack'), sessionId: SessionId, id: ClientId, seq: UInt });

export const Chat = v.object({ t: v.literal('chat'), sessionId: SessionId, id: ClientId, text: v.pipe(Text, v.minLength(1), NoControl) });
export const Nudge = v.object({ t: v.literal('nudge'), sessionId: SessionId, id: ClientId });
export const PushUrl = v.object({ t: v.literal('url.push'), sessionId: SessionId, id: ClientId, url: Url });
export const Notice = v.object({ t: v.literal('notice'), sessionId: SessionId, id: ClientId, text: v.pipe(Text, v.minLength(1), NoControl), leaveAllowed: v.optional(v.boolean()) });
export const Agreement = v.object({ t: v.literal('agreement'), sessionId: SessionId, id: ClientId, accepted: v.boolean() });
/**
 * The customer asks for more time to answer the agreement (WCAG 2.2.1): the server restarts the
 * countdown at the full timeout, at most AGREEMENT_EXTENSIONS times. Not persisted.
 */
export const AgreementMore = v.object({ t: v.literal('agreement.more'), sessionId: SessionId });
export const Recording = v.object({ t: v.literal('recording'), sessionId: SessionId, id: ClientId, allowed: v.boolean() });

/** Not persisted: "is typing" both ways. The server sets `from`. */
export const Typing = v.object({ t: v.literal('typing'), sessionId: SessionId, active: v.boolean(), from: v.optional(Actor) });
