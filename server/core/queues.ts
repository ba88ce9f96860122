// Queues: which sessions wait where, in what order, how long a customer may wait, and the views
// of them that waiting customers (`queue.status`) and rep consoles (`rep.queues`) are sent.
// Positions are computed once per change, not per customer (docs/ARCHITECTURE.md, "Queues").
import type { QueueRef, SessionInfo } from '../../protocol/index.ts';
import type { Store } from '../store/store.ts';
import type { Directory } from './directory.ts';
import { queueKey, type LiveSession, type QueueKey } from './live-session.ts';
import type { RepConsoles } from './rep-consoles.ts';
import type { SessionRegistry } from './registry.ts';
import type { SessionEvent } from './session-events.ts';
import type { SessionViews } from './views.ts';

/** Accepts remembered for the wait estimate. */
const ESTIMATE_WINDOW = 20;

export class Queues {
  /** Recent queue→accept waits in ms, newest last. */
  private waits: number[] = [];
  private repQueuesPending = false;
  private statusPending = false;

  constructor(
    private readonly registry: SessionRegistry,
    private readonly dir: Directory,
    private readonly views: SessionViews,
    private readonly consoles: RepConsoles,
  ) {}

  /** The wait estimate starts from the accepts the store remembers. */
  async load(store: Store): Promise<void> {
    const accepts = await store.recentAccepts(ESTIMATE_WINDOW);
    this.waits = accepts.filter((a) => a.queued_at !== null && a.accepted_at !== null).map((a) => Math.max(0, a.accepted_at! - a.queued_at!)).reverse();
  }

  /** A waiting session was accepted after waiting `ms`. */
  recordWait(ms: number): void {
    this.waits.push(ms);
    if (this.waits.length > ESTIMATE_WINDOW) this.waits.shift();
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
    for (const s of this.registry.all()) {
      if (!states.includes(s.row.state)) continue;
      const key = queueKey(s.queueRef);
      if (!by.has(key)) by.set(key, []);
      by.get(key)!.push(s);
    }
    for (const list of by.values()) list.sort((a, b) => (a.row.queued_at ?? 0) - (b.row.queued_at ?? 0));
    return by;
  }

  /** Customers waiting in one queue now. */
  waiting(ref: QueueRef): number {
    return this.waitingByQueue().get(queueKey(ref))?.length ?? 0;
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

  /** The periodic "thank you for waiting" line to every waiting customer. */
  queueMessages(): void {
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
      if (this.consoles.size === 0) return;
      const snap = this.queueSnapshot();
      for (const [repId, peers] of this.consoles.byRep()) {
        const msg = this.repQueues(repId, snap);
        for (const p of peers) p.send(msg);
      }
    });
  }

  /** What every rep.queues message is cut from, built once per change. */
  private queueSnapshot() {
    const queues = new Map<QueueKey, SessionInfo[]>();
    for (const [key, list] of this.waitingByQueue(['queued', 'held'])) queues.set(key, list.map((s) => this.views.info(s)));
    const mine = new Map<string, SessionInfo[]>();
    for (const s of this.registry.all()) {
      if (s.row.state !== 'active') continue;
      const info = this.views.info(s);
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
    const queues = refs.map((ref) => ({ ref, name: this.views.queueName(ref), sessions: snap.queues.get(queueKey(ref)) ?? [] }));
    return { t: 'rep.queues' as const, queues, mine: snap.mine.get(repId) ?? [], reps: snap.reps };
  }

  /** Every transition changes what the queues show, except a rep joining (only consoles'
   *  "mine" lists) and a key that expired unused (it never waited in a queue). */
  onSessionEvent(e: SessionEvent): void {
    if (e.type === 'session.joined') this.scheduleRepQueues();
    else if (e.type === 'session.queued' || e.type === 'session.accepted' || e.type === 'session.held') this.queuesChanged();
    else if (e.type === 'session.ended' && e.from !== 'pending') this.queuesChanged();
  }
}

/** A wait in words a customer reads at a glance ("less than a minute", "about 3 minutes"). */
function waitText(sec: number): string {
  if (sec < 60) return 'less than a minute';
  const min = Math.round(sec / 60);
  return min === 1 ? 'about 1 minute' : `about ${min} minutes`;
}
