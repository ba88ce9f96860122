// Which node runs the cluster's deadlines (docs/ARCHITECTURE.md, "Several nodes", "Timers once
// cluster-wide"): one lease in JetStream key-value, the key `timers` of the bucket `bridge_leases`,
// whose entries expire LEASE_TTL_MS after their last write. The holder renews it every RENEW_MS
// with a conditional update (its own revision); every other node tries to create it as often, which
// succeeds only once the holder's entry expired (it died or stalled) or was deleted (it stopped).
import type { KV } from 'nats';
import type { TimerLease } from '../core/timers.ts';
import { logError } from '../log.ts';
import type { Bus } from './connection.ts';

export const LEASE_BUCKET = 'bridge_leases';
const KEY = 'timers';
/** How long a lease outlives its holder's last renewal: a dead node's deadlines move within this plus RENEW_MS. */
export const LEASE_TTL_MS = 3000;
const RENEW_MS = 1000;
/**
 * The holder believes it holds the lease only this long after it sent its last successful renewal
 * (the entry expires no sooner than LEASE_TTL_MS after that), so a node whose event loop stalled
 * stops acting before another can take over.
 */
const TRUST_MS = LEASE_TTL_MS - RENEW_MS;

export class TimerOwnerLease implements TimerLease {
  private revision = 0;
  private renewedAt = 0;
  private interval: ReturnType<typeof setInterval> | null = null;
  private busy = false;

  private constructor(private readonly kv: KV, private readonly nodeId: string) {}

  static async open(bus: Bus): Promise<TimerOwnerLease> {
    return new TimerOwnerLease(await bus.keyValue(LEASE_BUCKET, LEASE_TTL_MS), bus.nodeId);
  }

  get held(): boolean {
    return this.revision > 0 && Date.now() - this.renewedAt < TRUST_MS;
  }

  async start(taken: () => Promise<void>): Promise<void> {
    const tick = async () => {
      if (this.busy) return;
      this.busy = true;
      try {
        if (await this.renewOrTake()) await taken();
      } catch (e) {
        logError(e);
      } finally {
        this.busy = false;
      }
    };
    await tick();
    this.interval = setInterval(() => void tick(), RENEW_MS);
    this.interval.unref();
  }

  /** Renews a held lease or tries to take a free one; true when this node just took it. */
  private async renewOrTake(): Promise<boolean> {
    const sentAt = Date.now();
    const had = this.revision > 0;
    try {
      this.revision = had ? await this.kv.update(KEY, this.nodeId, this.revision) : await this.kv.create(KEY, this.nodeId);
      this.renewedAt = sentAt;
      if (!had) console.log(`bridge: node ${this.nodeId} now runs the cluster's deadlines`);
      return !had;
    } catch {
      // Another node holds it (or took it over after this one stalled): wait for it to expire.
      this.revision = 0;
      return false;
    }
  }

  /** Stops renewing and, if held, lets the lease go at once so another node takes over without waiting for it to expire. */
  async stop(): Promise<void> {
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
    if (this.revision > 0) await this.kv.delete(KEY, { previousSeq: this.revision }).catch(() => undefined);
    this.revision = 0;
  }
}
