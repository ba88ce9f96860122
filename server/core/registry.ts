// The registry of live sessions: every open session of this process (loaded from the store at
// start, so a restart carries on) and ended ones while someone still reads them. The one place
// that creates a LiveSession, so one session never gets two seq counters.
import type { Msg, QueueRef } from '../../protocol/index.ts';
import { encodeOut } from '../outgoing.ts';
import { newId } from '../secrets.ts';
import type { SessionRow, Store } from '../store/store.ts';
import { LiveSession, type ClusterLink } from './live-session.ts';

export class SessionRegistry {
  private readonly live = new Map<string, LiveSession>();
  private readonly loading = new Map<string, Promise<LiveSession | undefined>>();

  /** Set when this node is one of several (docs/ARCHITECTURE.md, "Several nodes"). */
  private link: ClusterLink | null = null;

  constructor(private readonly store: Store) {}

  /** From now on every session (those loaded already too) tells other nodes what changes here. */
  linkTo(link: ClusterLink): void {
    this.link = link;
    for (const ls of this.live.values()) ls.link = link;
  }

  async adopt(row: SessionRow): Promise<LiveSession> {
    const ls = new LiveSession(row);
    ls.link = this.link;
    ls.loadedSeq = await this.store.maxSeq(row.id);
    ls.nextSeq = ls.loadedSeq + 1;
    ls.agreementDecided = false;
    // Several nodes: the agent may be on another node, which sent its sysinfo before this node held the session.
    const sys = this.link ? await this.store.getSysinfo(row.id) : undefined;
    if (sys) ls.sysinfo = encodeOut({ t: 'sysinfo', sessionId: row.id, info: JSON.parse(sys.info) as Msg<'sysinfo'>['info'] });
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
    const ls = await this.adopt(row);
    this.link?.rowChanged(ls, row);
    return ls;
  }

  async patch(ls: LiveSession, patch: Partial<SessionRow>): Promise<void> {
    ls.row = { ...ls.row, ...patch };
    await this.store.updateSession(ls.id, patch);
    ls.link?.rowChanged(ls, patch);
  }

  /**
   * Closes the session's record once, whoever closes it: on several nodes two may end one session
   * at the same moment (a person on each, or a deadline seen by both), and only the first write
   * wins. False (and the record as the winner left it) for the second.
   */
  async closeOnce(ls: LiveSession, patch: Partial<SessionRow>): Promise<boolean> {
    if (!(await this.store.closeSession(ls.id, patch))) {
      const now = await this.store.getSession(ls.id);
      if (now) ls.row = now;
      return false;
    }
    ls.row = { ...ls.row, ...patch };
    ls.link?.rowChanged(ls, patch);
    return true;
  }

  /**
   * Another node changed a session's record (already in the store): the copy here follows, and a
   * session this node hasn't loaded yet is loaded (every node holds every open session, as after
   * a restart). Returns the session, or undefined for a closed one nobody here holds.
   */
  async applyRemote(id: string, patch: Partial<SessionRow>): Promise<LiveSession | undefined> {
    const ls = this.live.get(id);
    if (ls) {
      ls.row = { ...ls.row, ...patch };
      return ls;
    }
    if (patch.state === 'ended' || patch.state === 'orphaned') return undefined;
    return this.load(id);
  }

  /** A closed session leaves memory once nobody is connected to it. */
  forgetIfIdle(ls: LiveSession): void {
    if (ls.closed && ls.peers.size === 0) this.live.delete(ls.id);
  }
}
