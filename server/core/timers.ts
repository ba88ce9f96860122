// Everything a session waits for: the deadlines kept in the rows (orphaned queues, unanswered
// screen requests, the agreement), "alive at" for restarts (deadlines.ts), the periodic queue
// message, and the sweep of keys that expired unused. Each periodic job runs alone (a slow store
// must not stack them); what a deadline ends goes through the lifecycle's one end path.
import { AGREEMENT_EXTENSIONS, ErrorCode, ProtocolError, type Actor } from '../../protocol/index.ts';
import type { LiveSettings } from '../settings/live-settings.ts';
import { logError } from '../log.ts';
import type { Store } from '../store/store.ts';
import { catchUpDeadlines, deadlinesMovedOn, downtime, recordAlive, ALIVE_EVERY_MS } from './deadlines.ts';
import type { SessionLifecycle } from './lifecycle.ts';
import type { LiveSession } from './live-session.ts';
import type { Queues } from './queues.ts';
import type { Reboots } from './reboots.ts';
import type { SessionRegistry } from './registry.ts';
import type { ScreenRequests } from './screen-requests.ts';
import type { SessionEvent } from './session-events.ts';

const TIMER_CHECK_MS = 500;
/** How often unused expired keys' sessions are closed and idle closed sessions evicted. */
const SWEEP_MS = 30_000;
/**
 * With several nodes every one writes "alive at"; a lease taken while another node was alive finds
 * it at most ALIVE_EVERY_MS old. Older than this, no node was up: the whole cluster was down.
 */
const CLUSTER_DOWN_MS = 2 * ALIVE_EVERY_MS;

/**
 * With several nodes, the one that runs the deadlines (docs/ARCHITECTURE.md, "Several nodes"):
 * absent on one node, which always runs them.
 */
export interface TimerLease {
  /** Whether this node runs the deadlines now. */
  readonly held: boolean;
  /** Takes the lease when it is free, now and from then on; `taken` runs each time this node gets it. */
  start(taken: () => Promise<void>): Promise<void>;
}

export class SessionTimers {
  private intervals: ReturnType<typeof setInterval>[] = [];
  private readonly running = new Set<string>();
  private queueMessages: ReturnType<typeof setInterval> | null = null;
  private lease: TimerLease | null = null;

  constructor(
    private readonly settings: LiveSettings,
    private readonly store: Store,
    private readonly registry: SessionRegistry,
    private readonly lifecycle: SessionLifecycle,
    private readonly queues: Queues,
    private readonly screen: ScreenRequests,
    private readonly reboots: Reboots,
    private readonly system: Actor,
  ) {}

  /** Several nodes: deadlines run only while this node holds `lease`. Call before start(). */
  shareWith(lease: TimerLease): void {
    this.lease = lease;
  }

  /** Loads every open session with its deadlines moved on by the outage, then starts the clocks. */
  async start(): Promise<void> {
    const now = Date.now();
    const rows = await this.store.listOpenSessions();
    // Several nodes: the outage is caught up by whoever takes the lease (tookOver), not by every node that starts.
    for (const row of this.lease ? rows : await catchUpDeadlines(this.store, rows, now)) await this.registry.adopt(row);
    for (const ls of this.registry.all()) {
      // Rows queued before deadlines were stored get theirs now.
      if (ls.row.state === 'queued' && ls.row.orphan_at === null) await this.registry.patch(ls, { orphan_at: (ls.row.queued_at ?? now) + this.settings.get().orphan.timeoutSec * 1000 });
      if (ls.row.agreement_at !== null && !(await this.agreementAnswered(ls))) this.startAgreement(ls);
    }
    await this.lease?.start(() => this.tookOver());
    await recordAlive(this.store, now);
    await this.queues.load(this.store);
    this.intervals.push(setInterval(() => this.once('timers', () => this.checkDeadlines()), TIMER_CHECK_MS));
    this.intervals.push(setInterval(() => this.once('alive', () => recordAlive(this.store, Date.now())), ALIVE_EVERY_MS));
    this.startQueueMessages();
    this.settings.onChange((_now, changed) => {
      if (changed.includes('queueMessageIntervalSec')) this.startQueueMessages();
    });
    this.intervals.push(setInterval(() => this.once('sweep', () => this.sweep()), SWEEP_MS));
    if (!this.lease) await this.store.failUnfinishedFiles();
    await this.sweep();
    for (const t of this.intervals) t.unref();
  }

  stop(): void {
    for (const t of this.intervals) clearInterval(t);
    if (this.queueMessages) clearInterval(this.queueMessages);
    this.queueMessages = null;
    for (const ls of this.registry.all()) this.clearAgreement(ls);
  }

  /** The periodic queue message, at the interval the settings say now (restarted when it changes). */
  private startQueueMessages(): void {
    if (this.queueMessages) clearInterval(this.queueMessages);
    this.queueMessages = setInterval(() => this.queues.queueMessages(), this.settings.get().queueMessageIntervalSec * 1000);
    this.queueMessages.unref();
  }

  /** Runs a periodic job unless its previous run is still going. */
  private once(name: string, job: () => Promise<void>): void {
    if (this.running.has(name)) return;
    this.running.add(name);
    job().catch(logError).finally(() => this.running.delete(name));
  }

  /**
   * This node took the timer lease. If no node was alive for a while (the whole cluster was down),
   * the deadlines move on by that time, as one node does at its start; a takeover from a node that
   * died while others ran moves nothing (its people were served meanwhile).
   */
  private async tookOver(): Promise<void> {
    const down = await downtime(this.store, Date.now());
    if (down < CLUSTER_DOWN_MS) return;
    for (const ls of this.registry.openSessions()) {
      const patch = deadlinesMovedOn(ls.row, down);
      if (patch) await this.registry.patch(ls, patch);
    }
    await this.store.failUnfinishedFiles();
  }

  /** Deadlines kept in the session rows: orphaned queues, unanswered screen requests, restarts that never came back. */
  private async checkDeadlines(): Promise<void> {
    if (this.lease && !this.lease.held) return;
    const now = Date.now();
    for (const ls of this.registry.openSessions()) {
      // Several nodes: the agreement's deadline is checked here, by the lease holder, not by a timer on one node.
      if (this.lease && ls.row.agreement_at !== null && ls.row.agreement_at <= now && !(await this.agreementAnswered(ls))) {
        await this.lifecycle.end(ls, this.system, 'agreement not accepted in time');
        continue;
      }
      await this.screen.expire(ls, now);
      await this.reboots.expire(ls, now);
      if (ls.row.state === 'queued' && ls.row.orphan_at !== null && ls.row.orphan_at <= now) {
        await this.lifecycle.close(ls, { state: 'orphaned', reason: 'orphaned', by: this.system, redirectUrl: this.settings.get().orphan.redirectUrl });
      }
    }
  }

  /** Closes sessions whose key expired unused; forgets closed sessions nobody is connected to. */
  private async sweep(): Promise<void> {
    for (const id of this.lease && !this.lease.held ? [] : await this.store.expiredPendingSessions(Date.now())) {
      const ls = await this.registry.load(id);
      if (ls) await this.lifecycle.close(ls, { state: 'ended', reason: 'key expired unused', by: this.system });
    }
    for (const ls of this.registry.all()) this.registry.forgetIfIdle(ls);
  }

  /**
   * The customer side must accept the site's agreement within its timeout, or the session ends.
   * The deadline is kept in the row, so a restart carries on with the time that was left.
   */
  startAgreement(ls: LiveSession): void {
    const a = this.settings.get().agreement;
    if (!a || ls.agreementDecided || ls.agreementTimer || ls.closed) return;
    const deadline = ls.row.agreement_at ?? Date.now() + a.timeoutSec * 1000;
    if (ls.row.agreement_at === null) void this.registry.patch(ls, { agreement_at: deadline }).catch(logError);
    if (this.lease) return; // the lease holder's deadline check ends it
    ls.agreementTimer = setTimeout(() => {
      ls.agreementTimer = null;
      if (!ls.agreementDecided) void this.lifecycle.end(ls, this.system, 'agreement not accepted in time').catch(logError);
    }, Math.max(0, deadline - Date.now()));
    ls.agreementTimer.unref();
  }

  /** More time on the agreement: the countdown starts again at the full timeout. */
  async extendAgreement(ls: LiveSession): Promise<void> {
    const a = this.settings.get().agreement;
    if (!a || ls.closed || ls.agreementDecided || (await this.agreementAnswered(ls))) return;
    if (ls.agreementExtensions >= AGREEMENT_EXTENSIONS) throw new ProtocolError(ErrorCode.Conflict, 'No more time can be added: please accept or decline the agreement.');
    ls.agreementExtensions += 1;
    this.clearAgreement(ls);
    await this.registry.patch(ls, { agreement_at: Date.now() + a.timeoutSec * 1000 });
    this.startAgreement(ls);
  }

  async agreementDecision(ls: LiveSession, accepted: boolean, by: Actor): Promise<void> {
    ls.agreementDecided = true;
    this.clearAgreement(ls);
    if (ls.row.agreement_at !== null) await this.registry.patch(ls, { agreement_at: null });
    if (!accepted) await this.lifecycle.end(ls, by, 'agreement declined');
  }

  /** Has this session's customer side already answered the agreement? (survives restarts) */
  async agreementAnswered(ls: LiveSession): Promise<boolean> {
    if (ls.agreementDecided) return true;
    ls.agreementDecided = await this.store.hasEventKind(ls.id, 'agreement');
    return ls.agreementDecided;
  }

  private clearAgreement(ls: LiveSession): void {
    if (ls.agreementTimer) clearTimeout(ls.agreementTimer);
    ls.agreementTimer = null;
  }

  /** An ended session waits for nothing any more (its row's deadlines were cleared with it). */
  onSessionEvent(e: SessionEvent): void {
    if (e.type === 'session.ended') this.clearAgreement(e.session);
  }
}
