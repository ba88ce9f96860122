// Managing webhook endpoints and their delivery logs (docs/INTEGRATIONS.md, "Outbound events").
// The admin routes call these, and so can any other front door (API accounts with scope
// `events`): authentication stays with the caller, the rules live here.
import {
  ErrorCode, OUTBOUND_EVENT_TYPES,
  type CreateEventEndpointRequest, type DeliveriesPage, type DeliveriesQuery, type EventDelivery, type EventEndpoint, type EventEndpointWithSecret, type UpdateEventEndpointRequest,
} from '../../protocol/index.ts';
import type { Config } from '../config.ts';
import { HttpFail } from '../http/errors.ts';
import { newId } from '../secrets.ts';
import type { DeliveryLogRow, EndpointRow } from '../store/outbox-queries.ts';
import type { Store } from '../store/store.ts';
import type { Dispatcher } from './dispatcher.ts';
import { connectorTarget, endpointTarget, type Outbox } from './outbox.ts';
import { newWebhookSecret } from './webhook.ts';

/** After a rotation the old secret keeps signing this long, so receivers can switch without a gap. */
const ROTATION_OVERLAP_MS = 24 * 3600_000;

function view(row: EndpointRow): EventEndpoint {
  return {
    id: row.id, url: row.url, eventTypes: JSON.parse(row.event_types) as EventEndpoint['eventTypes'], description: row.description,
    enabled: row.enabled === 1, createdAt: row.created_at, updatedAt: row.updated_at,
    previousSecretUntil: row.previous_secret && row.previous_secret_until && row.previous_secret_until > Date.now() ? row.previous_secret_until : null,
  };
}

function deliveryView(r: DeliveryLogRow): EventDelivery {
  return {
    eventId: r.event_id, type: r.type as EventDelivery['type'], sessionId: r.session_id, sequence: r.sequence, state: r.state as EventDelivery['state'],
    attempts: r.attempts, lastStatus: r.last_status, lastError: r.last_error, lastAttemptAt: r.last_attempt_at,
    nextAttemptAt: r.state === 'pending' ? r.next_attempt_at : null, deliveredAt: r.delivered_at, createdAt: r.created_at,
  };
}

export class EventEndpoints {
  constructor(
    private readonly store: Store,
    private readonly config: Config['outbox'],
    private readonly outbox: Outbox,
    private readonly dispatcher: Dispatcher,
  ) {}

  async list(): Promise<EventEndpoint[]> {
    return (await this.store.outbox.listEndpoints()).map(view);
  }

  async get(id: string): Promise<EventEndpoint> {
    return view(await this.row(id));
  }

  async create(body: CreateEventEndpointRequest): Promise<EventEndpointWithSecret> {
    const now = Date.now();
    const secret = newWebhookSecret();
    const id = newId();
    await this.store.outbox.createEndpoint({
      id, url: body.url, description: body.description ?? '', event_types: JSON.stringify(body.eventTypes ?? OUTBOUND_EVENT_TYPES),
      enabled: body.enabled === false ? 0 : 1, secret, previous_secret: null, previous_secret_until: null, created_at: now, updated_at: now,
    });
    await this.outbox.reload();
    return { endpoint: await this.get(id), secret };
  }

  async update(id: string, body: UpdateEventEndpointRequest): Promise<EventEndpoint> {
    await this.row(id);
    await this.store.outbox.updateEndpoint(id, {
      ...(body.url !== undefined ? { url: body.url } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.eventTypes !== undefined ? { event_types: JSON.stringify(body.eventTypes) } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled ? 1 : 0 } : {}),
      updated_at: Date.now(),
    });
    await this.outbox.reload();
    // Enabled again: what waited for it goes now.
    this.dispatcher.poke();
    return this.get(id);
  }

  /** The endpoint goes with its delivery log; events waiting for it are dropped. */
  async remove(id: string): Promise<void> {
    await this.row(id);
    await this.store.outbox.deleteEndpoint(id, endpointTarget(id));
    await this.outbox.reload();
  }

  /** A new secret, shown once; the old one still signs (second signature) for a day. */
  async rotateSecret(id: string): Promise<EventEndpointWithSecret> {
    const old = await this.row(id);
    const secret = newWebhookSecret();
    const now = Date.now();
    await this.store.outbox.updateEndpoint(id, { secret, previous_secret: old.secret, previous_secret_until: now + ROTATION_OVERLAP_MS, updated_at: now });
    await this.outbox.reload();
    return { endpoint: await this.get(id), secret };
  }

  async deliveries(id: string, q: DeliveriesQuery): Promise<DeliveriesPage> {
    await this.row(id);
    return this.deliveriesOf(endpointTarget(id), q);
  }

  /** Sends the event to this endpoint again (same id and body), whatever its state; a new retry window starts. */
  async redeliver(id: string, eventId: string): Promise<EventDelivery> {
    await this.row(id);
    return this.redeliverTo(endpointTarget(id), eventId);
  }

  /** The connectors running here, for their delivery logs. */
  connectors(): { name: string; eventTypes: string[] }[] {
    return this.outbox.targetKeys().flatMap((k) => {
      const t = this.outbox.target(k);
      return t?.kind === 'connector' ? [{ name: t.connector.name, eventTypes: [...t.connector.eventTypes] }] : [];
    });
  }

  async connectorDeliveries(name: string, q: DeliveriesQuery): Promise<DeliveriesPage> {
    return this.deliveriesOf(this.connectorKey(name), q);
  }

  /** Runs the connector on the event again; connectors look before they act, so nothing happens twice. */
  async connectorRedeliver(name: string, eventId: string): Promise<EventDelivery> {
    return this.redeliverTo(this.connectorKey(name), eventId);
  }

  private connectorKey(name: string): string {
    const key = connectorTarget(name);
    if (!this.outbox.target(key)) throw new HttpFail(404, ErrorCode.NotFound, 'no such connector here: GET the connectors list for the configured ones');
    return key;
  }

  private async deliveriesOf(target: string, q: DeliveriesQuery): Promise<DeliveriesPage> {
    const limit = q.limit ?? 50;
    const before = q.before ? parseCursor(q.before) : undefined;
    const rows = await this.store.outbox.deliveryLog(target, { limit: limit + 1, ...(before ? { before } : {}), ...(q.state ? { state: q.state } : {}) });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { deliveries: page.map(deliveryView), next: rows.length > limit && last ? `${last.created_at}.${last.event_id}` : null };
  }

  private async redeliverTo(target: string, eventId: string): Promise<EventDelivery> {
    const d = await this.store.outbox.getDelivery(target, eventId);
    if (!d) throw new HttpFail(404, ErrorCode.NotFound, 'no delivery of that event here: its id is in the delivery log');
    if (!(d.state === 'pending' && d.in_flight === 1)) {
      const now = Date.now();
      await this.store.outbox.finishAttempt(target, eventId, { state: 'pending', next_attempt_at: now, give_up_at: now + this.config.retryForSec * 1000 });
      this.dispatcher.poke();
    }
    return deliveryView((await this.store.outbox.getDelivery(target, eventId))!);
  }

  private async row(id: string): Promise<EndpointRow> {
    const row = await this.store.outbox.getEndpoint(id);
    if (!row) throw new HttpFail(404, ErrorCode.NotFound, 'no such event endpoint');
    return row;
  }
}

function parseCursor(s: string): { createdAt: number; eventId: string } {
  const m = /^(\d{1,16})\.([A-Za-z0-9_-]{1,64})$/.exec(s);
  if (!m) throw new HttpFail(400, ErrorCode.Invalid, 'invalid request at before: not a cursor from a previous page');
  return { createdAt: Number(m[1]), eventId: m[2]! };
}
