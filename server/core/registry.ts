// The registry of live sessions: every open session of this process (loaded from the store at
// start, so a restart carries on) and ended ones while someone still reads them. The one place
// that creates a LiveSession, so one session never gets two seq counters.
import type { QueueRef } from '../../protocol/index.ts';
import { newId } from '../secrets.ts';
import type { SessionRow, Store } from '../store/store.ts';
import { LiveSession } from './live-session.ts';

export class SessionRegistry {
  private readonly live = new Map<string, LiveSession>();
  private readonly loading = new Map<string, Promise<LiveSession | undefined>>();

  constructor(private readonly store: Store) {}

  async adopt(row: SessionRow): Promise<LiveSession> {
    const ls = new LiveSession(row);
    ls.nextSeq = (await this.store.maxSeq(row.id)) + 1;
    ls.agreementDecided = false;
    this.live.set(row.id, ls);
    return ls;
  }

  get(id: string): LiveSession | undefined {
    return this.live.get(id);
  }

  /** The live session, loading it (even an ended one) from the store when needed. */
  async load(id: string): Promise<LiveSession | undefined> {
    const ls = this.live.get(id);
    if (ls) return ls;
    // One load per id at a time: two LiveSessions for one session would hand out the same seq.
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.store.getSession(id).then((row) => (row ? this.live.get(id) ?? this.adopt(row) : undefined));
      this.loading.set(id, pending);
      void pending.finally(() => this.loading.delete(id)).catch(() => {});
    }
    return pending;
  }

  all(): IterableIterator<LiveSession> {
    return this.live.values();
  }

  openSessions(): LiveSession[] {
    return [...this.live.values()].filter((s) => !s.closed);
  }

  /** Sessions a rep is in right now. */
  sessionsOfRep(repId: string): LiveSession[] {
    return this.openSessions().filter((s) => s.repIds.includes(repId));
  }

  async create(fields: Partial<SessionRow> & { queue: QueueRef }): Promise<LiveSession> {
    const { queue, ...rest } = fields;
    const now = Date.now();
    const row: SessionRow = {
      id: newId(), state: 'pending', queue_kind: queue.kind, queue_id: queue.kind === 'general' ? null : queue.id ?? null,
      customer_name: '', company: '', issue: '', description: '', platform: '', primary_rep_id: null, rep_ids: '[]',
      team_id: queue.kind === 'team' ? queue.id ?? null : null, external_key: null, created_by: null, created_at: now,
      queued_at: null, accepted_at: null, ended_at: null, end_reason: null, redirect_url: null, file_count: 0,
      screen_request: null, orphan_at: null, agreement_at: null, email: '', language: null, change_seq: 0, embed: null, reboot: 'no', reboot_wait: null,
      ...rest,
    };
    await this.store.createSession(row);
    return this.adopt(row);
  }

  async patch(ls: LiveSession, patch: Partial<SessionRow>): Promise<void> {
    ls.row = { ...ls.row, ...patch };
    await this.store.updateSession(ls.id, patch);
  }

  /** A closed session leaves memory once nobody is connected to it. */
  forgetIfIdle(ls: LiveSession): void {
    if (ls.closed && ls.peers.size === 0) this.live.delete(ls.id);
  }
}
