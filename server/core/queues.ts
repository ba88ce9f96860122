// Queues: which sessions wait where, in what order, how long a customer may wait, and the views
// of them that waiting customers (`queue.status`) are sent; rep consoles' views are the QueueBoard's.
// Positions are computed once per change, not per customer (docs/ARCHITECTURE.md, "Queues").
import type { QueueRef } from '../../protocol/index.ts';
import type { Peer } from '../ws/peer.ts';
import type { Store } from '../store/store.ts';
import type { Directory } from './directory.ts';
import { QueueBoard } from './queue-board.ts';
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
  private statusPending = false;
  private readonly board: QueueBoard;

  constructor(
    private readonly registry: SessionRegistry,
    private readonly dir: Directory,
    private readonly views: SessionViews,
    consoles: RepConsoles,
  ) {
    this.board = new QueueBoard(registry, dir, views, consoles, (repId, ref) => this.repCanSeeQueue(repId, ref));
    // Whatever participants are told about a session, its queue entry may show too.
    views.onSent((ls) => this.board.touch(ls.id));
  }

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

  /** Queue positions changed: tell waiting customers whose position moved (consoles follow session events). */
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
  }

  /** Something every console shows changed (a rep's presence): the next flush sends it as a delta. */
  scheduleRepQueues(): void {
    this.board.schedule();
  }

  /** A console connected or asked again: everything its rep may see. */
  sendRepSnapshot(peer: Peer): void {
    this.board.sendSnapshot(peer);
  }

  /** Reps or teams changed: who may see which queue, and names, may be different. */
  directoryChanged(): void {
    this.board.directoryChanged();
  }

  /** Every transition may change what consoles show; customers' positions change when someone
   *  joins or leaves a queue (not for a rep joining, nor a key that expired unused). */
  onSessionEvent(e: SessionEvent): void {
    this.board.touch(e.session.id);
    if (e.type === 'session.queued' || e.type === 'session.accepted' || e.type === 'session.held') this.queuesChanged();
    else if (e.type === 'session.ended' && e.from !== 'pending') this.queuesChanged();
  }
}

/** A wait in words a customer reads at a glance ("less than a minute", "about 3 minutes"). */
function waitText(sec: number): string {
  if (sec < 60) return 'less than a minute';
  const min = Math.round(sec / 60);
  return min === 1 ? 'about 1 minute' : `about ${min} minutes`;
}
