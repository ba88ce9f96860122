// What a help-desk connector is (docs/ARCHITECTURE.md, "Help-desk integration"): a module that
// turns outbound events into actions in one help desk. The outbox hands each connector the events
// it wants, one session's events in order, and keeps an event until `handle` returns: a throw is
// retried later with backoff, so `handle` must be safe to run again for the same event id. An
// attempt is not retried before the last one has returned, so two never run at once.
import type { OutboundEvent, OutboundEventType } from '../../protocol/api/events.ts';

export interface Connector {
  /** Short and stable: names the connector in the delivery log and in the configuration. */
  readonly name: string;
  /** The event types it acts on; the others never reach it. */
  readonly eventTypes: readonly OutboundEventType[];
  /** How long one `handle` may take; after it the attempt is aborted and retried later. */
  readonly timeoutMs: number;
  /** `signal` aborts when the attempt is given up (too slow, or the server stops): stop then. */
  handle(event: OutboundEvent, signal: AbortSignal): Promise<void>;
}
