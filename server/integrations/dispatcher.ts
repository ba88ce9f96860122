// The delivery loop (docs/ARCHITECTURE.md, "Outbox"): takes due deliveries from the table, at most
// `concurrency` at once, one session's events in order per target (event N+1 waits for N), and
// writes each attempt's outcome back. A failure waits retryBaseMs × 2^(attempts−1), at most
// retryMaxMs, until the event is retryForSec old; then it is failed and the session's next event
// goes. Nothing of the backlog is held in memory: a dead endpoint's events wait in the table.
import type { OutboundEvent } from '../../protocol/index.ts';
import type { Config } from '../config.ts';
import { logError } from '../log.ts';
import type { DueDelivery } from '../store/outbox-queries.ts';
import type { Store } from '../store/store.ts';
import type { Outbox, Target } from './outbox.ts';
import { postWebhook, webhookHeaders, type PostResult } from './webhook.ts';

/** Even with nothing due the loop looks again this often (an endpoint enabled again, a clock jump). */
const IDLE_CHECK_MS = 60_000;
/** How long stop() waits for attempts in progress before the store closes. */
const STOP_WAIT_MS = 2000;

export function retryDelay(cfg: Config['outbox'], attempts: number): number {
  return Math.min(cfg.retryMaxMs, cfg.retryBaseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
}

export class Dispatcher {
  private readonly inflight = new Map<string, { done: Promise<void>; abort: AbortController }>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(private readonly store: Store, private readonly cfg: Config['outbox'], private readonly outbox: Outbox) {}

  /** Picks up where the last run left off: attempts a crash cut short are due again. */
  async start(): Promise<void> {
    await this.store.outbox.resetInFlight(Date.now());
    this.outbox.onWritten(() => this.poke());
    this.poke();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const f of this.inflight.values()) f.abort.abort();
    const all = Promise.allSettled([...this.inflight.values()].map((f) => f.done));
    await Promise.race([all, new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref())]);
  }

  /** Looks for due deliveries now (one round at a time; a poke during a round runs another). */
  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = true;
    this.round().catch(logError).finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.poke();
      }
    });
  }

  private async round(): Promise<void> {
    const keys = this.outbox.targetKeys();
    const free = this.cfg.concurrency - this.inflight.size;
    if (free > 0) {
      for (const d of await this.store.outbox.dueDeliveries(keys, Date.now(), free + this.inflight.size)) {
        if (this.inflight.size >= this.cfg.concurrency) break;
        const key = `${d.target}\n${d.event_id}`;
        if (this.inflight.has(key) || this.stopped) continue;
        const abort = new AbortController();
        const done = this.attempt(d, abort.signal).catch(logError).finally(() => {
          this.inflight.delete(key);
          this.poke();
        });
        this.inflight.set(key, { done, abort });
      }
    }
    if (this.stopped) return;
    // Sleep until the next delivery is due; an attempt finishing or a new event wakes us earlier.
    const next = await this.store.outbox.nextDueAt(keys);
    const wait = next === null ? IDLE_CHECK_MS : Math.min(IDLE_CHECK_MS, Math.max(250, next - Date.now()));
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.poke(), wait);
    this.timer.unref();
  }

  private async attempt(d: DueDelivery, signal: AbortSignal): Promise<void> {
    const target = this.outbox.target(d.target);
    if (!target) return; // disabled or deleted since the query: it waits in the table
    await this.store.outbox.markInFlight(d.target, d.event_id, Date.now());
    const result = await this.send(target, d, signal);
    if (this.stopped) return; // left in flight: the next start tries it again
    const now = Date.now();
    const attempts = d.attempts + 1;
    if (result.error === null) {
      await this.store.outbox.finishAttempt(d.target, d.event_id, { state: 'delivered', attempts, last_status: result.status, last_error: null, delivered_at: now, next_attempt_at: null });
      return;
    }
    const retryAt = now + retryDelay(this.cfg, attempts);
    const failed = retryAt > d.give_up_at;
    await this.store.outbox.finishAttempt(d.target, d.event_id, {
      state: failed ? 'failed' : 'pending', attempts, last_status: result.status, last_error: result.error.slice(0, 200), next_attempt_at: failed ? null : retryAt,
    });
  }

  private async send(target: Target, d: DueDelivery, signal: AbortSignal): Promise<PostResult> {
    if (target.kind === 'endpoint') {
      // Every attempt is signed afresh: receivers reject old timestamps.
      const headers = webhookHeaders(target.secrets(Date.now()), d.event_id, Math.floor(Date.now() / 1000), d.body);
      return postWebhook(target.url, d.body, headers, { timeoutMs: this.cfg.timeoutMs, responseBytes: this.cfg.responseBytes, signal });
    }
    // Past its time the attempt is aborted and awaited: the retry never runs beside it.
    const c = target.connector;
    const late = AbortSignal.timeout(c.timeoutMs);
    try {
      await c.handle(JSON.parse(d.body) as OutboundEvent, AbortSignal.any([signal, late]));
      return { status: null, error: null };
    } catch (e) {
      const why = late.aborted ? `the connector did not finish in ${Math.round(c.timeoutMs / 1000)} s` : (e as Error)?.message || String(e);
      return { status: null, error: why };
    }
  }
}
