// The durable outbox (docs/ARCHITECTURE.md, "Help-desk integration" → "Outbox"): each outbound
// event is written with its per-session sequence and one pending delivery per target that wants
// its type, in one transaction, before anything is sent. The targets are the enabled webhook
// endpoints and the running connectors; a site with neither writes nothing at all.
import type { OutboundEvent } from '../../protocol/index.ts';
import type { Config } from '../config.ts';
import { newId } from '../secrets.ts';
import type { EndpointRow } from '../store/outbox-queries.ts';
import type { Store } from '../store/store.ts';
import type { Connector } from './connector.ts';

export interface EndpointTarget {
  kind: 'endpoint';
  key: string;
  url: string;
  types: ReadonlySet<string>;
  /** The secrets that sign an attempt now (two during a rotation's overlap). */
  secrets(now: number): string[];
}
export interface ConnectorTarget {
  kind: 'connector';
  key: string;
  types: ReadonlySet<string>;
  connector: Connector;
}
export type Target = EndpointTarget | ConnectorTarget;

export const endpointTarget = (id: string) => `endpoint:${id}`;
export const connectorTarget = (name: string) => `connector:${name}`;

/** What the event source hands in: the envelope without its id and sequence. */
export type NewEvent = Omit<OutboundEvent, 'id' | 'sequence'>;

function toTarget(row: EndpointRow): EndpointTarget {
  return {
    kind: 'endpoint',
    key: endpointTarget(row.id),
    url: row.url,
    types: new Set(JSON.parse(row.event_types) as string[]),
    secrets: (now) => (row.previous_secret && (row.previous_secret_until ?? 0) > now ? [row.secret, row.previous_secret] : [row.secret]),
  };
}

export class Outbox {
  private targets = new Map<string, Target>();
  private connectors: Connector[] = [];
  private readonly written: (() => void)[] = [];

  constructor(private readonly store: Store, private readonly config: Config['outbox']) {}

  /** Loads the endpoints and takes the running connectors; call again (`reload`) after endpoint changes. */
  async start(connectors: Connector[]): Promise<void> {
    this.connectors = connectors;
    await this.reload();
  }

  async reload(): Promise<void> {
    const targets = new Map<string, Target>();
    for (const row of await this.store.outbox.listEndpoints()) if (row.enabled === 1) targets.set(endpointTarget(row.id), toTarget(row));
    for (const c of this.connectors) targets.set(connectorTarget(c.name), { kind: 'connector', key: connectorTarget(c.name), types: new Set(c.eventTypes), connector: c });
    this.targets = targets;
  }

  /** Whether anything would receive events: when not, nothing is stored or computed. */
  get active(): boolean {
    return this.targets.size > 0;
  }
  target(key: string): Target | undefined {
    return this.targets.get(key);
  }
  targetKeys(): string[] {
    return [...this.targets.keys()];
  }
  /** Called after each write that created deliveries (the dispatcher's wake-up). */
  onWritten(fn: () => void): void {
    this.written.push(fn);
  }

  /**
   * Stores the event under its session's next sequence with a delivery per target that wants its
   * type. With targets but none for this type the event is still numbered and kept, so the
   * sequence counts every event of the session (docs/INTEGRATIONS.md, "Outbound events").
   */
  async record(e: NewEvent): Promise<void> {
    if (!this.active) return;
    const wanted = [...this.targets.values()].filter((t) => t.types.has(e.type)).map((t) => t.key);
    const id = `evt_${newId()}`;
    const body = (sequence: number) => JSON.stringify({ id, type: e.type, sessionId: e.sessionId, sequence, occurredAt: e.occurredAt, externalKey: e.externalKey, data: e.data } satisfies OutboundEvent);
    await this.store.outbox.addEvent({ id, sessionId: e.sessionId, type: e.type, occurredAt: e.occurredAt, body }, wanted, e.occurredAt + this.config.retryForSec * 1000);
    if (wanted.length) for (const fn of this.written) fn();
  }
}
