// The session registry and everything that changes a session: queueing, accept, join,
// transfer, hold, end, orphaning, the agreement timer, the transcript (seq + store + broadcast)
// and what reps and waiting customers are told about queues. All session state of the process
// lives here (no module-level singletons), so a later multi-node design can replace it.
import { ErrorCode, ProtocolError, type Actor, type EventBody, type QueueRef, type SessionInfo } from '../../protocol/index.ts';
import type { Config } from '../config.ts';
import { logError } from '../log.ts';
import { newId } from '../secrets.ts';
import type { EventRow, SessionRow, Store } from '../store/store.ts';
import type { Peer } from '../ws/peer.ts';
import type { Directory } from './directory.ts';
import { eventToMessage, LiveSession, queueKey, type QueueKey } from './live-session.ts';
import { catchUpDeadlines, recordAlive, ALIVE_EVERY_MS } from './deadlines.ts';
import { ScreenRequests } from './screen-requests.ts';

/** Accepts remembered for the wait estimate. */
const ESTIMATE_WINDOW = 20;
const TIMER_CHECK_MS = 500;
/** How often unused expired keys' sessions are closed and idle closed sessions evicted. */
const SWEEP_MS = 30_000;

export class Hub {
  private readonly live = new Map<string, LiveSession>();
  /** Connected rep consoles by rep id. */
  readonly repPeers = new Map<string, Set<Peer>>();
  /** Recent queue→accept waits in ms, newest last. */
  private waits: number[] = [];
  private timers: ReturnType<typeof setInterval>[] = [];
  private repQueuesPending = false;
  private statusPending = false;
  private readonly running = new Set<string>();
  private readonly loading = new Map<string, Promise<LiveSession | undefined>>();
  readonly system: Actor;
  readonly screen = new ScreenRequests(this);

  constructor(readonly config: Config, readonly store: Store, readonly dir: Directory) {
    this.system = { role: 'system', name: config.companyName };
  }

  async start(): Promise<void> {
    const now = Date.now();
    for (const row of await catchUpDeadlines(this.store, await this.store.listOpenSessions(), now)) await this.adopt(row);
    for (const ls of this.live.values()) {
      // Rows queued before deadlines were stored get theirs now.
      if (ls.row.state === 'queued' && ls.row.orphan_at === null) await this.patch(ls, { orphan_at: (ls.row.queued_at ?? now) + this.config.orphan.timeoutSec * 1000 });
      if (ls.row.agreement_at !== null && !(await this.agreementAnswered(ls))) this.startAgreement(ls);
    }
    await recordAlive(this.store, now);
    const accepts = await this.store.recentAccepts(ESTIMATE_WINDOW);
    this.waits = accepts.filter((a) => a.queued_at !== null && a.accepted_at !== null).map((a) => Math.max(0, a.accepted_at! - a.queued_at!)).reverse();
    this.timers.push(setInterval(() => this.once('timers', () => this.checkTimers()), TIMER_CHECK_MS));
    this.timers.push(setInterval(() => this.once('alive', () => recordAlive(this.store, Date.now())), ALIVE_EVERY_MS));
    this.timers.push(setInterval(() => this.queueMessages(), this.config.queueMessageIntervalSec * 1000));
    this.timers.push(setInterval(() => this.once('sweep', () => this.sweep()), SWEEP_MS));
    await this.store.failUnfinishedFiles();
    await this.sweep();
    for (const t of this.timers) t.unref();
  }

  /** Runs a periodic job unless its previous run is still going (a slow store must not stack them). */
  private once(name: string, job: () => Promise<void>): void {
    if (this.running.has(name)) return;
    this.running.add(name);
    job().catch(logError).finally(() => this.running.delete(name));
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    for (const ls of this.live.values()) if (ls.agreementTimer) clearTimeout(ls.agreementTimer);
  }

  private async adopt(row: SessionRow): Promise<LiveSession> {
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

  openSessions(): LiveSession[] {
    return [...this.live.values()].filter((s) => !s.closed);
  }

  async createSession(fields: Partial<SessionRow> & { queue: QueueRef }): Promise<LiveSession> {
    const { queue, ...rest } = fields;
    const now = Date.now();
    const row: SessionRow = {
      id: newId(), state: 'pending', queue_kind: queue.kind, queue_id: queue.kind === 'general' ? null : queue.id ?? null,
      customer_name: '', company: '', issue: '', description: '', platform: '', primary_rep_id: null, rep_ids: '[]',
      team_id: queue.kind === 'team' ? queue.id ?? null : null, external_key: null, created_by: null, created_at: now,
      queued_at: null, accepted_at: null, ended_at: null, end_reason: null, redirect_url: null, file_count: 0,
      screen_request: null, orphan_at: null, agreement_at: null,
      ...rest,
    };
    await this.store.createSession(row);
    return this.adopt(row);
  }

  async patch(ls: LiveSession, patch: Partial<SessionRow>): Promise<void> {
    ls.row = { ...ls.row, ...patch };
    await this.store.updateSession(ls.id, patch);
  }

  // ---- transcript

  /** Stores an event under the next seq and broadcasts it; a known client id returns the stored one. */
  async append(ls: LiveSession, from: Actor, body: EventBody, clientId?: string): Promise<{ row: EventRow; dup: boolean }> {
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
    const write = this.store.appendEvent(row).then(() => row);
    if (clientId) ls.inflight.set(clientId, write);
    try {
      await write;
    } finally {
      if (clientId) ls.inflight.delete(clientId);
    }
    ls.broadcast(eventToMessage(row));
    return { row, dup: false };
  }

  systemEvent(ls: LiveSession, code: string, text: string): Promise<unknown> {
    return this.append(ls, this.system, { kind: 'system', code, text });
  }

  /** A system line about one rep ("Ana joined the session."), told by that rep, so a reader
   *  (the agent narrowing its grant) knows whom it is about. */
  private repLine(ls: LiveSession, repId: string, code: 'rep.joined' | 'rep.left', text: string): Promise<unknown> {
    return this.append(ls, { role: 'rep', id: repId, name: this.dir.repName(repId) }, { kind: 'system', code, text: `${this.dir.repName(repId)} ${text}` });
  }

  /** Tells everyone in the chat that these reps left (after the line that says why). */
  private async announceLeft(ls: LiveSession, repIds: readonly string[]): Promise<void> {
    for (const id of repIds) await this.repLine(ls, id, 'rep.left', 'left the session.');
  }

  /** `sinceAt`: an agent's transcript starts at its key's issue time (docs/ARCHITECTURE.md). */
  async replay(peer: Peer, ls: LiveSession, afterSeq: number, sinceAt: number | null = null): Promise<void> {
    for (const row of await this.store.eventsAfter(ls.id, afterSeq, sinceAt)) peer.send(eventToMessage(row));
  }

  // ---- views

  queueName(ref: QueueRef): string {
    if (ref.kind === 'general') return 'General queue';
    if (ref.kind === 'team') return this.dir.teamName(ref.id);
    return `${this.dir.repName(ref.id ?? '').slice(0, 185)} (personal)`;
  }

  info(ls: LiveSession): SessionInfo {
    return ls.info((id) => this.dir.repName(id), this.queueName(ls.queueRef));
  }

  /** Tells every participant the session's current state. */
  sendSession(ls: LiveSession): void {
    ls.broadcast({ t: 'session', session: this.info(ls) });
  }

  repCanSeeQueue(repId: string, ref: QueueRef): boolean {
    const rep = this.dir.reps.get(repId);
    if (!rep) return false;
    if (rep.is_admin === 1 || ref.kind === 'general') return true;
    if (ref.kind === 'personal') return ref.id === repId;
    return this.dir.teamsOf(repId).includes(ref.id ?? '');
  }

  /** Waiting sessions per queue, oldest first: computed once per change, not per customer. */
  private waitingByQueue(states: readonly string[] = ['queued']): Map<QueueKey, LiveSession[]> {
    const by = new Map<QueueKey, LiveSession[]>();
    for (const s of this.live.values()) {
      if (!states.includes(s.row.state)) continue;
      const key = queueKey(s.queueRef);
      if (!by.has(key)) by.set(key, []);
      by.get(key)!.push(s);
    }
    for (const list of by.values()) list.sort((a, b) => (a.row.queued_at ?? 0) - (b.row.queued_at ?? 0));
    return by;
  }

  position(ls: LiveSession): number {
    return (this.waitingByQueue().get(queueKey(ls.queueRef)) ?? []).indexOf(ls) + 1;
  }

  /** Mean of recent queue→accept waits times the position; null without history. */
  estimateSec(position: number): number | null {
    if (this.waits.length === 0 || position < 1) return null;
    const mean = this.waits.reduce((a, b) => a + b, 0) / this.waits.length;
    return Math.max(1, Math.round((mean * position) / 1000));
  }

  sendQueueStatus(ls: LiveSession, message?: string, position = this.position(ls)): void {
    if (ls.row.state !== 'queued') return;
    ls.lastPosition = position;
    const estimatedWaitSec = this.estimateSec(position);
    const msg = { t: 'queue.status' as const, sessionId: ls.id, position, estimatedWaitSec, ...(message ? { message } : {}) };
    for (const p of ls.customerPeers()) p.send(msg);
  }

  private queueMessages(): void {
    for (const list of this.waitingByQueue().values()) {
      list.forEach((ls, i) => {
        const est = this.estimateSec(i + 1);
        const wait = est === null ? '' : ` Estimated wait: ${waitText(est)}.`;
        this.sendQueueStatus(ls, `Thank you for waiting. You are number ${i + 1} in line.${wait} A representative will be with you shortly.`, i + 1);
      });
    }
  }

  /** Queue positions changed: tell waiting customers whose position moved, and every rep console. */
  queuesChanged(): void {
    if (!this.statusPending) {
      this.statusPending = true;
      setImmediate(() => {
        this.statusPending = false;
        for (const list of this.waitingByQueue().values()) {
          list.forEach((ls, i) => { if (ls.lastPosition !== i + 1) this.sendQueueStatus(ls, undefined, i + 1); });
        }
      });
    }
    this.scheduleRepQueues();
  }

  scheduleRepQueues(): void {
    if (this.repQueuesPending) return;
    this.repQueuesPending = true;
    setImmediate(() => {
      this.repQueuesPending = false;
      if (this.repPeers.size === 0) return;
      const snap = this.queueSnapshot();
      for (const [repId, peers] of this.repPeers) {
        const msg = this.repQueues(repId, snap);
        for (const p of peers) p.send(msg);
      }
    });
  }

  /** What every rep.queues message is cut from, built once per change. */
  private queueSnapshot() {
    const queues = new Map<QueueKey, SessionInfo[]>();
    for (const [key, list] of this.waitingByQueue(['queued', 'held'])) queues.set(key, list.map((s) => this.info(s)));
    const mine = new Map<string, SessionInfo[]>();
    for (const s of this.live.values()) {
      if (s.row.state !== 'active') continue;
      const info = this.info(s);
      for (const id of s.repIds) {
        if (!mine.has(id)) mine.set(id, []);
        mine.get(id)!.push(info);
      }
    }
    return { queues, mine, reps: this.dir.repList() };
  }

  repQueues(repId: string, snap = this.queueSnapshot()) {
    const rep = this.dir.reps.get(repId);
    const refs: QueueRef[] = [{ kind: 'personal', id: repId }];
    const teamIds = rep?.is_admin === 1 ? [...this.dir.teams.keys()] : this.dir.teamsOf(repId);
    for (const id of teamIds) refs.push({ kind: 'team', id });
    refs.push({ kind: 'general' });
    if (rep?.is_admin === 1) for (const id of this.dir.reps.keys()) if (id !== repId) refs.push({ kind: 'personal', id });
    const queues = refs.map((ref) => ({ ref, name: this.queueName(ref), sessions: snap.queues.get(queueKey(ref)) ?? [] }));
    return { t: 'rep.queues' as const, queues, mine: snap.mine.get(repId) ?? [], reps: snap.reps };
  }

  // ---- peers

  attach(peer: Peer, ls: LiveSession): void {
    const had = ls.peers.has(peer);
    ls.peers.add(peer);
    if (!had && peer.role !== 'rep') this.sendSession(ls);
  }

  detach(peer: Peer): void {
    if (peer.role === 'rep' && peer.repId) {
      const set = this.repPeers.get(peer.repId);
      set?.delete(peer);
      if (set && set.size === 0) this.repPeers.delete(peer.repId);
      this.dir.disconnected(peer.repId);
      this.scheduleRepQueues();
    }
    for (const ls of this.live.values()) {
      if (!ls.peers.delete(peer)) continue;
      if (peer.role === 'agent' && ls.agentPeers().length === 0) ls.dropGrant();
      if (peer.role !== 'rep' && !ls.closed) {
        this.sendSession(ls);
        this.scheduleRepQueues();
      }
      if (ls.closed && ls.peers.size === 0) this.live.delete(ls.id);
    }
  }

  addRepPeer(peer: Peer): void {
    const repId = peer.repId!;
    if (!this.repPeers.has(repId)) this.repPeers.set(repId, new Set());
    this.repPeers.get(repId)!.add(peer);
    this.dir.connected(repId);
    for (const ls of this.openSessions()) if (ls.repIds.includes(repId)) ls.peers.add(peer);
    this.scheduleRepQueues();
  }

  /** A logout ends that login's consoles at once. */
  closeLogin(loginHash: string): void {
    for (const peers of this.repPeers.values()) for (const p of peers) if (p.loginHash === loginHash) p.ws.close(4401, 'logged out');
  }

  /** Sessions a rep console follows right now. */
  sessionsOfRep(repId: string): LiveSession[] {
    return this.openSessions().filter((s) => s.repIds.includes(repId));
  }

  // ---- lifecycle

  async enqueue(ls: LiveSession, ref: QueueRef): Promise<void> {
    await this.patch(ls, {
      state: 'queued', queue_kind: ref.kind, queue_id: ref.kind === 'general' ? null : ref.id ?? null, queued_at: Date.now(),
      orphan_at: Date.now() + this.config.orphan.timeoutSec * 1000,
      ...(ref.kind === 'team' ? { team_id: ref.id ?? null } : {}),
    });
    this.sendSession(ls);
    this.queuesChanged();
  }

  private async addRep(ls: LiveSession, repId: string): Promise<void> {
    const ids = ls.repIds;
    if (!ids.includes(repId)) ids.push(repId);
    await this.patch(ls, { rep_ids: JSON.stringify(ids) });
    const part = await this.store.getRepParticipant(ls.id, repId);
    if (!part) {
      await this.store.createParticipant({ id: newId(), session_id: ls.id, role: 'rep', rep_id: repId, name: this.dir.repName(repId), token_hash: null, resume_token_hash: null, resume_expires_at: null, joined_at: Date.now(), left_at: null });
    } else if (part.left_at !== null) {
      await this.store.updateParticipant(part.id, { left_at: null }); // back after a hold or transfer
    }
    for (const p of this.repPeers.get(repId) ?? []) {
      ls.peers.add(p);
      p.send({ t: 'session', session: this.info(ls) });
      await this.replay(p, ls, 0);
      if (ls.sysinfo) p.sendBytes(ls.sysinfo);
      if (ls.grant) p.sendBytes(ls.grant);
    }
  }

  /** Takes reps out of the session; returns who left (the caller announces them). */
  private async removeReps(ls: LiveSession, keep: (id: string) => boolean = () => false): Promise<string[]> {
    const leaving = ls.repIds.filter((id) => !keep(id));
    await this.patch(ls, { rep_ids: JSON.stringify(ls.repIds.filter(keep)) });
    const info = { t: 'session' as const, session: this.info(ls) };
    for (const p of ls.repPeers()) {
      if (p.repId && leaving.includes(p.repId)) {
        p.send(info);
        ls.peers.delete(p);
      }
    }
    for (const id of leaving) ls.uncover(id);
    await this.screen.dropUnlessRepIn(ls);
    // The record shows when each rep left (hold, transfer); the end time covers the rest.
    const now = Date.now();
    for (const id of leaving) {
      const part = await this.store.getRepParticipant(ls.id, id);
      if (part) await this.store.updateParticipant(part.id, { left_at: now });
    }
    return leaving;
  }

  requireRepInSession(peer: Peer, ls: LiveSession): void {
    if (!peer.repId || !ls.repIds.includes(peer.repId)) throw new ProtocolError(ErrorCode.Forbidden, 'you are not in this session');
  }

  async accept(peer: Peer, ls: LiveSession): Promise<void> {
    const repId = peer.repId!;
    if (ls.row.state !== 'queued' && ls.row.state !== 'held') throw new ProtocolError(ErrorCode.Conflict, `the session is ${ls.row.state}, not waiting`);
    if (!this.repCanSeeQueue(repId, ls.queueRef)) throw new ProtocolError(ErrorCode.Forbidden, 'that queue is not yours');
    const now = Date.now();
    const first = ls.row.accepted_at === null;
    const wasHeld = ls.row.state === 'held';
    if (ls.row.state === 'queued' && ls.row.queued_at !== null) {
      this.waits.push(now - ls.row.queued_at);
      if (this.waits.length > ESTIMATE_WINDOW) this.waits.shift();
    }
    const team = ls.row.team_id ?? this.dir.teamsOf(repId)[0] ?? null;
    await this.patch(ls, { state: 'active', primary_rep_id: repId, accepted_at: first ? now : ls.row.accepted_at, team_id: team, orphan_at: null });
    await this.addRep(ls, repId);
    this.sendSession(ls);
    const resumed = wasHeld;
    await this.systemEvent(ls, resumed ? 'resumed' : 'accepted', `${this.dir.repName(repId)} ${resumed ? 'took the session off hold' : 'accepted the session'}.`);
    this.queuesChanged();
  }

  /**
   * Who may join a session someone else is working on (docs/ARCHITECTURE.md, "Who may join"):
   * an admin, or a member of the session's team (the queue's team, else the accepting rep's
   * first team). Being able to see the general queue is not enough once the session is taken;
   * anyone else needs a transfer from a rep in it.
   */
  mayJoin(repId: string, ls: LiveSession): boolean {
    const rep = this.dir.reps.get(repId);
    if (!rep) return false;
    if (rep.is_admin === 1) return true;
    return ls.row.team_id !== null && this.dir.teamsOf(repId).includes(ls.row.team_id);
  }

  async joinRep(peer: Peer, ls: LiveSession): Promise<void> {
    const repId = peer.repId!;
    if (ls.row.state !== 'active') throw new ProtocolError(ErrorCode.Conflict, `the session is ${ls.row.state}: only an active session can be joined (accept it from its queue instead)`);
    if (ls.repIds.includes(repId)) return;
    if (!this.mayJoin(repId, ls)) {
      throw new ProtocolError(ErrorCode.Forbidden, 'only the session\'s team and administrators may join it: ask a representative in the session to transfer it to you');
    }
    await this.addRep(ls, repId);
    this.sendSession(ls);
    await this.repLine(ls, repId, 'rep.joined', 'joined the session.');
    this.scheduleRepQueues();
  }

  async transfer(peer: Peer, ls: LiveSession, to: { kind: 'rep'; id: string } | { kind: 'team'; id: string } | { kind: 'general' }): Promise<void> {
    this.requireRepInSession(peer, ls);
    if (ls.closed) throw new ProtocolError(ErrorCode.Ended, 'the session has ended');
    let ref: QueueRef;
    let text: string;
    if (to.kind === 'rep') {
      if (!this.dir.reps.has(to.id)) throw new ProtocolError(ErrorCode.NotFound, 'no such representative');
      ref = { kind: 'personal', id: to.id };
      text = `The session was transferred to ${this.dir.repName(to.id)}.`;
    } else if (to.kind === 'team') {
      if (!this.dir.teams.has(to.id)) throw new ProtocolError(ErrorCode.NotFound, 'no such team');
      ref = { kind: 'team', id: to.id };
      text = `The session was transferred to ${this.dir.teamName(to.id)}.`;
    } else {
      ref = { kind: 'general' };
      text = 'The session was transferred to the general queue.';
    }
    const left = await this.removeReps(ls);
    await this.patch(ls, { primary_rep_id: null });
    await this.enqueue(ls, ref);
    await this.systemEvent(ls, 'transferred', `${text} Please wait for a representative.`);
    await this.announceLeft(ls, left);
  }

  async hold(peer: Peer, ls: LiveSession): Promise<void> {
    this.requireRepInSession(peer, ls);
    if (ls.row.state !== 'active') throw new ProtocolError(ErrorCode.Conflict, `the session is ${ls.row.state}`);
    const repId = peer.repId!;
    const left = await this.removeReps(ls);
    await this.patch(ls, { state: 'held', queue_kind: 'personal', queue_id: repId });
    this.sendSession(ls);
    await this.systemEvent(ls, 'held', `${this.dir.repName(repId)} put the session on hold. Please stay connected.`);
    await this.announceLeft(ls, left);
    this.queuesChanged();
  }

  async end(ls: LiveSession, by: Actor, reason: string): Promise<void> {
    if (ls.closed) return;
    if (ls.agreementTimer) clearTimeout(ls.agreementTimer);
    await this.systemEvent(ls, 'ended', `The session was ended${by.role === 'system' ? '' : ` by ${by.name}`} (${reason}).`);
    await this.patch(ls, { state: 'ended', ended_at: Date.now(), end_reason: reason, orphan_at: null, agreement_at: null });
    await this.screen.dropUnlessRepIn(ls);
    this.sendSession(ls);
    this.queuesChanged();
  }

  /** Closes sessions whose key expired unused; forgets closed sessions nobody is connected to. */
  private async sweep(): Promise<void> {
    for (const id of await this.store.expiredPendingSessions(Date.now())) {
      const ls = this.live.get(id);
      if (ls) ls.row = { ...ls.row, state: 'ended', ended_at: Date.now(), end_reason: 'key expired unused' };
      await this.store.updateSession(id, { state: 'ended', ended_at: Date.now(), end_reason: 'key expired unused' });
    }
    for (const ls of this.live.values()) if (ls.closed && ls.peers.size === 0) this.live.delete(ls.id);
  }

  /** Deadlines kept in the session rows: orphaned queues and unanswered screen requests. */
  private async checkTimers(): Promise<void> {
    const now = Date.now();
    for (const ls of this.openSessions()) {
      await this.screen.expire(ls, now);
      if (ls.row.state === 'queued' && ls.row.orphan_at !== null && ls.row.orphan_at <= now) await this.orphan(ls);
    }
  }

  private async orphan(ls: LiveSession): Promise<void> {
    await this.systemEvent(ls, 'orphaned', 'No representative is available to take your session right now. Please try again later.');
    await this.patch(ls, { state: 'orphaned', ended_at: Date.now(), end_reason: 'orphaned', redirect_url: this.config.orphan.redirectUrl, orphan_at: null, agreement_at: null });
    if (ls.agreementTimer) clearTimeout(ls.agreementTimer);
    await this.screen.dropUnlessRepIn(ls);
    this.sendSession(ls);
    this.queuesChanged();
  }

  /**
   * The customer side must accept the site's agreement within its timeout, or the session ends.
   * The deadline is kept in the row, so a restart carries on with the time that was left.
   */
  startAgreement(ls: LiveSession): void {
    const a = this.config.agreement;
    if (!a || ls.agreementDecided || ls.agreementTimer || ls.closed) return;
    const deadline = ls.row.agreement_at ?? Date.now() + a.timeoutSec * 1000;
    if (ls.row.agreement_at === null) void this.patch(ls, { agreement_at: deadline }).catch(logError);
    ls.agreementTimer = setTimeout(() => {
      ls.agreementTimer = null;
      if (!ls.agreementDecided) void this.end(ls, this.system, 'agreement not accepted in time').catch(logError);
    }, Math.max(0, deadline - Date.now()));
    ls.agreementTimer.unref();
  }

  async agreementDecision(ls: LiveSession, accepted: boolean, by: Actor): Promise<void> {
    ls.agreementDecided = true;
    if (ls.agreementTimer) clearTimeout(ls.agreementTimer);
    ls.agreementTimer = null;
    if (ls.row.agreement_at !== null) await this.patch(ls, { agreement_at: null });
    if (!accepted) await this.end(ls, by, 'agreement declined');
  }

  /** Has this session's customer side already answered the agreement? (survives restarts) */
  async agreementAnswered(ls: LiveSession): Promise<boolean> {
    if (ls.agreementDecided) return true;
    ls.agreementDecided = await this.store.hasEventKind(ls.id, 'agreement');
    return ls.agreementDecided;
  }
}

/** A wait in words a customer reads at a glance ("less than a minute", "about 3 minutes"). */
export function waitText(sec: number): string {
  if (sec < 60) return 'less than a minute';
  const min = Math.round(sec / 60);
  return min === 1 ? 'about 1 minute' : `about ${min} minutes`;
}
