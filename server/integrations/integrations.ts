// Help-desk integration wired into the server (docs/ARCHITECTURE.md, "Help-desk integration"):
// the outbox, its dispatcher, where events come from, and the endpoint management the routes use.
// Built before the hub starts (so no event of the start is missed), started once the connectors
// exist, stopped before the store closes.
import type { ServerConfig } from '../config.ts';
import type { LiveSettings } from '../settings/live-settings.ts';
import type { Hub } from '../core/hub.ts';
import type { Directory } from '../core/directory.ts';
import { DAY_MS, housekeeping, type Chore } from '../housekeeping.ts';
import { logError } from '../log.ts';
import type { Store } from '../store/store.ts';
import type { Connector } from './connector.ts';
import { Dispatcher } from './dispatcher.ts';
import { EventEndpoints } from './endpoints.ts';
import { EventSource } from './event-source.ts';
import { Outbox } from './outbox.ts';

export class Integrations {
  readonly outbox: Outbox;
  readonly dispatcher: Dispatcher;
  readonly events: EventSource;
  readonly endpoints: EventEndpoints;
  private pruning: Chore | null = null;

  constructor(private readonly config: ServerConfig, settings: LiveSettings, private readonly store: Store, hub: Hub, dir: Directory) {
    this.outbox = new Outbox(store, config.outbox);
    this.dispatcher = new Dispatcher(store, config.outbox, this.outbox);
    this.events = new EventSource(this.outbox, store, dir, hub.views, settings);
    this.endpoints = new EventEndpoints(store, config.outbox, this.outbox, this.dispatcher);
    // After the transcript and the queues: an event goes out after the lines and views it reports.
    // Reporting must never fail what it reports on.
    hub.events.subscribe((e) => this.events.onSessionEvent(e).catch(logError));
    hub.transcript.onAppend((ls, row) => this.events.onTranscript(ls, row).catch(logError));
  }

  /** Loads the endpoints (so events are recorded from here on), then resumes delivering. */
  async load(connectors: Connector[]): Promise<void> {
    await this.outbox.start(connectors);
  }

  start(): Promise<void> {
    this.pruning = housekeeping(() => this.pruneDone());
    return this.dispatcher.start();
  }

  stop(): Promise<void> {
    this.pruning?.stop();
    return this.dispatcher.stop();
  }

  /** Delivered (or given-up) events are kept `outbox.keepDays` for the delivery log, then go. */
  private async pruneDone(): Promise<void> {
    const days = this.config.outbox.keepDays;
    const n = await this.store.outbox.pruneDone(Date.now() - days * DAY_MS);
    if (n > 0) console.log(`[bridge] ${n} outbound events deleted: delivered more than ${days} days ago (outbox.keepDays)`);
  }
}
