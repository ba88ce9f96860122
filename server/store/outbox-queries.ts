// The outbox's queries (docs/ARCHITECTURE.md, "Help-desk integration" → "Outbox"): endpoints,
// events numbered per session, and deliveries with their retry state. Reached as `store.outbox`.
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, EventDeliveriesTable, EventEndpointsTable, OutboxEventsTable } from './schema.ts';

export type EndpointRow = Selectable<EventEndpointsTable>;
export type OutboxEventRow = Selectable<OutboxEventsTable>;
export type DeliveryRow = Selectable<EventDeliveriesTable>;
/** A delivery with the body it sends. */
export type DueDelivery = DeliveryRow & { body: string };
export type DeliveryLogRow = DeliveryRow & { type: string };

export interface NewOutboxEvent {
  id: string;
  sessionId: string;
  type: string;
  occurredAt: number;
  /** Builds the body once the sequence is known. */
  body: (sequence: number) => string;
}

export class OutboxQueries {
  constructor(private readonly db: Kysely<Database>) {}

  // ---- endpoints
  listEndpoints(): Promise<EndpointRow[]> {
    return this.db.selectFrom('event_endpoints').selectAll().orderBy('created_at').execute();
  }
  getEndpoint(id: string): Promise<EndpointRow | undefined> {
    return this.db.selectFrom('event_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async createEndpoint(row: Insertable<EventEndpointsTable>): Promise<void> {
    await this.db.insertInto('event_endpoints').values(row).execute();
  }
  async updateEndpoint(id: string, patch: Updateable<EventEndpointsTable>): Promise<void> {
    await this.db.updateTable('event_endpoints').set(patch).where('id', '=', id).execute();
  }
  /** The endpoint and its delivery log. */
  async deleteEndpoint(id: string, target: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('event_deliveries').where('target', '=', target).execute();
      await trx.deleteFrom('event_endpoints').where('id', '=', id).execute();
    });
  }

  // ---- events
  /**
   * Writes the event under its session's next sequence and one pending delivery per target, in
   * one transaction: nothing is sent before both are stored. Returns the sequence.
   */
  addEvent(e: NewOutboxEvent, targets: readonly string[], giveUpAt: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const last = await trx.selectFrom('outbox_events').select((eb) => eb.fn.max('sequence').as('m')).where('session_id', '=', e.sessionId).executeTakeFirst();
      const sequence = Number(last?.m ?? 0) + 1;
      await trx.insertInto('outbox_events').values({ id: e.id, session_id: e.sessionId, sequence, type: e.type, occurred_at: e.occurredAt, body: e.body(sequence) }).execute();
      for (const target of targets) {
        // Behind an earlier pending event of its session it is not due at all (no time): it is
        // released when that one is done, so a dead endpoint's backlog is never scanned.
        const behind = await trx.selectFrom('event_deliveries').select('event_id')
          .where('target', '=', target).where('session_id', '=', e.sessionId).where('state', '=', 'pending').limit(1).executeTakeFirst();
        await trx.insertInto('event_deliveries').values({
          target, event_id: e.id, session_id: e.sessionId, sequence, state: 'pending', next_attempt_at: behind ? null : e.occurredAt, give_up_at: giveUpAt, created_at: e.occurredAt,
        }).execute();
      }
      return sequence;
    });
  }

  /**
   * Removes the events (and their deliveries) of sessions whose last event is older than `before`
   * and that have nothing left to deliver. Whole sessions only, so a session's sequence never
   * starts again while its events are still kept. Returns how many events went.
   */
  async pruneDone(before: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const old = trx.selectFrom('outbox_events').select('session_id').groupBy('session_id').having((eb) => eb.fn.max('occurred_at'), '<', before);
      const r = await trx.deleteFrom('outbox_events')
        .where('session_id', 'in', old)
        .where(({ not, exists, selectFrom }) => not(exists(
          selectFrom('event_deliveries as p').select('p.event_id').whereRef('p.session_id', '=', 'outbox_events.session_id').where('p.state', '=', 'pending'),
        )))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }

  // ---- deliveries
  /** At start nothing is in flight: attempts a crash interrupted are due again now. */
  async resetInFlight(now: number): Promise<void> {
    await this.db.updateTable('event_deliveries').set({ in_flight: 0, next_attempt_at: now }).where('in_flight', '=', 1).execute();
  }
  /**
   * Due deliveries to these targets that are first in line: no earlier event of the same
   * session is still pending for the same target (in flight or waiting for its retry).
   */
  dueDeliveries(targets: readonly string[], now: number, limit: number): Promise<DueDelivery[]> {
    if (!targets.length) return Promise.resolve([]);
    return this.firstInLine(targets).innerJoin('outbox_events as e', 'e.id', 'd.event_id')
      .selectAll('d').select('e.body').where('d.next_attempt_at', '<=', now)
      .orderBy('d.next_attempt_at').limit(limit).execute();
  }
  /** When the next delivery first in line is due (null: none waits), so the loop sleeps till then. */
  async nextDueAt(targets: readonly string[]): Promise<number | null> {
    if (!targets.length) return null;
    const r = await this.firstInLine(targets).select((eb) => eb.fn.min('d.next_attempt_at').as('t')).executeTakeFirst();
    return r?.t == null ? null : Number(r.t);
  }
  /** Pending deliveries, not in flight, with no earlier pending event of their session for their target. */
  private firstInLine(targets: readonly string[]) {
    return this.db.selectFrom('event_deliveries as d')
      .where('d.state', '=', 'pending').where('d.in_flight', '=', 0).where('d.target', 'in', [...targets])
      .where(({ not, exists, selectFrom }) => not(exists(
        selectFrom('event_deliveries as p').select('p.event_id')
          .whereRef('p.target', '=', 'd.target').whereRef('p.session_id', '=', 'd.session_id')
          .where('p.state', '=', 'pending').whereRef('p.sequence', '<', 'd.sequence'),
      )));
  }
  async markInFlight(target: string, eventId: string, now: number): Promise<void> {
    await this.db.updateTable('event_deliveries').set({ in_flight: 1, last_attempt_at: now }).where('target', '=', target).where('event_id', '=', eventId).execute();
  }
  /** Writes an attempt's outcome; one that is done (delivered or failed) releases its session's next event for the target. */
  async finishAttempt(target: string, eventId: string, patch: Updateable<EventDeliveriesTable>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('event_deliveries').set({ ...patch, in_flight: 0 })
        .where('target', '=', target).where('event_id', '=', eventId).returning(['session_id', 'state']).executeTakeFirst();
      if (!row || row.state === 'pending') return;
      const pending = trx.selectFrom('event_deliveries').where('target', '=', target).where('session_id', '=', row.session_id).where('state', '=', 'pending');
      const head = await pending.select(['event_id', 'next_attempt_at']).orderBy('sequence').limit(1).executeTakeFirst();
      if (head && head.next_attempt_at === null) {
        await trx.updateTable('event_deliveries').set({ next_attempt_at: Date.now() }).where('target', '=', target).where('event_id', '=', head.event_id).execute();
      }
    });
  }
  getDelivery(target: string, eventId: string): Promise<DeliveryLogRow | undefined> {
    return this.db.selectFrom('event_deliveries as d').innerJoin('outbox_events as e', 'e.id', 'd.event_id')
      .selectAll('d').select('e.type').where('d.target', '=', target).where('d.event_id', '=', eventId).executeTakeFirst();
  }
  /** The log of one target, newest first, from before (createdAt, eventId) on. */
  deliveryLog(target: string, opts: { limit: number; before?: { createdAt: number; eventId: string }; state?: string }): Promise<DeliveryLogRow[]> {
    let q = this.db.selectFrom('event_deliveries as d').innerJoin('outbox_events as e', 'e.id', 'd.event_id')
      .selectAll('d').select('e.type').where('d.target', '=', target);
    if (opts.state) q = q.where('d.state', '=', opts.state);
    const b = opts.before;
    if (b) q = q.where((eb) => eb.or([eb('d.created_at', '<', b.createdAt), eb.and([eb('d.created_at', '=', b.createdAt), eb('d.event_id', '<', b.eventId)])]));
    return q.orderBy('d.created_at', 'desc').orderBy('d.event_id', 'desc').limit(opts.limit).execute();
  }
}
