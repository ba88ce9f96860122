// What a help-desk connector is (docs/ARCHITECTURE.md, "Help-desk integration"): a module that
// turns outbound events into actions in one help desk. The outbox hands each connector the events
// it wants, one session's events in order, and keeps an event until `handle` returns: a throw is
// retried later with backoff, so `handle` must be safe to run again for the same event id.
import type { OutboundEvent, OutboundEventType } from '../../protocol/api/events.ts';

export interface Connector {
  /** Short and stable: names the connector in the delivery log and in the configuration. */
  readonly name: string;
  /** The event types it acts on; the others never reach it. */
  readonly eventTypes: readonly OutboundEventType[];
  handle(event: OutboundEvent): Promise<void>;
}
