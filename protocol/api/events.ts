// The help-desk events Bridge sends out (docs/INTEGRATIONS.md has the catalogue with examples).
// One envelope for every type: webhook receivers and connectors read the same shape.
import * as v from 'valibot';
import { SessionId, ShortText, Time, UInt } from '../messages/index.ts';

export const OUTBOUND_EVENT_TYPES = [
  'session.started', 'session.queued', 'session.accepted', 'session.transferred', 'session.held',
  'customer.left', 'screen.granted', 'screen.ended', 'file.transferred', 'session.ended',
  'survey.customer', 'survey.rep',
] as const;
export const OutboundEventType = v.picklist(OUTBOUND_EVENT_TYPES);
export type OutboundEventType = v.InferOutput<typeof OutboundEventType>;

export const OutboundEvent = v.object({
  /** The same on every redelivery: receivers keep it to act once per event. */
  id: v.pipe(v.string(), v.maxLength(64)),
  type: OutboundEventType,
  sessionId: SessionId,
  /** Increases by one per event of the session: receivers that see a gap or a repeat know it. */
  sequence: UInt,
  occurredAt: Time,
  /** The help desk's own reference for the session (a ticket or incident number), when it has one. */
  externalKey: v.nullable(ShortText),
  /** What happened, per type (docs/INTEGRATIONS.md, "Event catalogue"). */
  data: v.record(v.string(), v.unknown()),
});
export type OutboundEvent = v.InferOutput<typeof OutboundEvent>;
