// The transcript: every event gets the session's next seq, is stored, then broadcast
// (docs/ARCHITECTURE.md, "No loss"). The system lines that say what happened to a session
// (accepted, held, transferred, ended, who joined and left) are written here, from the lifecycle's
// event stream, so every way a session changes reads the same.
import { endReasonCode, systemBody, type Actor, type EventBody, type StoredSystemBody, type SystemCode, type SystemParams } from '../../protocol/index.ts';
import { isUniqueViolation } from '../store/dialect.ts';
import type { EventRow, Store } from '../store/store.ts';
import type { Peer } from '../ws/peer.ts';
import type { Directory } from './directory.ts';
import { encodeOut } from '../outgoing.ts';
import { eventToMessage, type LiveSession } from './live-session.ts';
import type { SessionEvent } from './session-events.ts';

/** Told of every line once it is stored and broadcast (help-desk integrations read grants and files here). */
export type AppendListener = (ls: LiveSession, row: EventRow) => void | Promise<void>;

export class Transcript {
  private readonly listeners: AppendListener[] = [];

  constructor(private readonly store: Store, private readonly dir: Directory, private readonly system: Actor) {}

  /** Listeners run in order after each new line (not for a resend); they must not throw. */
  onAppend(listener: AppendListener): void {
    this.listeners.push(listener);
  }

  /** Stores an event under the next seq and broadcasts it; a known client id returns the stored one. */
  async append(ls: LiveSession, from: Actor, body: EventBody | StoredSystemBody, clientId?: string): Promise<{ row: EventRow; dup: boolean }> {
    if (clientId) {
      const pending = ls.inflight.get(clientId);
      if (pending) return { row: await pending, dup: true };
      const existing = await this.store.getEventByClientId(ls.id, clientId);
      if (existing) return { row: existing, dup: true };
      if (ls.inflight.has(clientId)) return { row: await ls.inflight.get(clientId)!, dup: true };
    }
    const row: EventRow = {
      session_id: ls.id, seq: ls.nextSeq++, client_id: clientId ?? null, at: Date.now(),
      from_role: from.role, from_id: from.id ?? null, from_name: from.name, kind: body.kind, body: JSON.stringify(body),
    };
    const write = ls.link ? this.writeShared(ls, row) : this.store.appendEvent(row).then(() => row);
    if (clientId) ls.inflight.set(clientId, write);
    let stored: EventRow;
    try {
      stored = await write;
    } finally {
      if (clientId) ls.inflight.delete(clientId);
    }
    if (stored !== row) return { row: stored, dup: true };
    // Several nodes: the link delivers here and elsewhere in seq order ("Several nodes").
    if (ls.link) ls.link.eventStored(ls, row);
    else ls.broadcast(eventToMessage(row));
    for (const l of this.listeners) await l(ls, row);
    return { row, dup: false };
  }

  /**
   * Several nodes write one session's transcript: the seq this node counted may be taken by
   * another node's line (the events' primary key refuses it), so it takes the next free one and
   * tries again; the same client id stored by another node (a resend that moved) is that line.
   */
  private async writeShared(ls: LiveSession, row: EventRow): Promise<EventRow> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.appendEvent(row);
        return row;
      } catch (e) {
        if (!isUniqueViolation(e) || attempt >= 20) throw e;
        if (row.client_id) {
          const existing = await this.store.getEventByClientId(ls.id, row.client_id);
          if (existing) return existing;
        }
        row.seq = Math.max(ls.nextSeq, (await this.store.maxSeq(ls.id)) + 1);
        ls.nextSeq = row.seq + 1;
      }
    }
  }

  /** A system line as a code and its parameters (docs/ARCHITECTURE.md, "Languages" → "System events"). */
  systemEvent<C extends SystemCode>(ls: LiveSession, code: C, params: SystemParams<C>): Promise<unknown> {
    return this.append(ls, this.system, systemBody(code, params));
  }

  /** `sinceAt`: an agent's transcript starts at its key's issue time (docs/ARCHITECTURE.md). */
  async replay(peer: Peer, ls: LiveSession, afterSeq: number, sinceAt: number | null = null): Promise<void> {
    // The peer is in the session's peers already: live lines wait until the stored ones are out.
    peer.hold();
    let rows: EventRow[] = [];
    try {
      rows = await this.store.eventsAfter(ls.id, afterSeq, sinceAt);
    } finally {
      peer.release(rows.map((row) => encodeOut(eventToMessage(row))));
    }
  }

  /** The lines each lifecycle event puts in the transcript, in the order readers see them. */
  async onSessionEvent(e: SessionEvent): Promise<void> {
    const ls = e.session;
    const name = (id: string) => this.dir.repName(id);
    switch (e.type) {
      case 'session.accepted':
        return void (await this.systemEvent(ls, e.resumed ? 'resumed' : 'accepted', { rep: name(e.repId) }));
      case 'session.joined':
        return this.repLine(ls, e.repId, 'rep.joined');
      case 'session.transferred':
        await this.systemEvent(ls, 'transferred', { to: e.unavailable ? 'unavailable' : e.to.kind === 'personal' ? 'rep' : e.to.kind, name: e.toName });
        return this.announceLeft(ls, e.left);
      case 'session.held':
        await this.systemEvent(ls, 'held', { rep: name(e.repId) });
        return this.announceLeft(ls, e.left);
      case 'session.left':
        return this.announceLeft(ls, e.left);
      case 'session.ended':
        return void (await this.endLine(ls, e));
      default:
        return;
    }
  }

  private endLine(ls: LiveSession, e: Extract<SessionEvent, { type: 'session.ended' }>): Promise<unknown> | undefined {
    // A key that expired before anyone joined leaves no line: nobody was there to read it.
    if (e.from === 'pending') return undefined;
    if (e.ending.state === 'orphaned') return this.systemEvent(ls, 'orphaned', {});
    const by = e.ending.by;
    const reason = e.ending.reason.slice(0, 200);
    return this.systemEvent(ls, 'ended', { by: by.role === 'system' ? '' : by.name, reason: endReasonCode(reason), reasonText: reason });
  }

  /** A system line about one rep ("Ana joined the session."), told by that rep, so a reader
   *  (the agent narrowing its grant) knows whom it is about. */
  private async repLine(ls: LiveSession, repId: string, code: 'rep.joined' | 'rep.left'): Promise<void> {
    const rep = this.dir.repName(repId);
    await this.append(ls, { role: 'rep', id: repId, name: rep }, systemBody(code, { rep }));
  }

  /** Tells everyone in the chat that these reps left (after the line that says why). */
  private async announceLeft(ls: LiveSession, repIds: readonly string[]): Promise<void> {
    for (const id of repIds) await this.repLine(ls, id, 'rep.left');
  }
}
