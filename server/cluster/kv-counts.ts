// Rate-limit counts shared by all nodes (docs/ARCHITECTURE.md, "Several nodes", "Shared rate
// limits"): one JetStream key-value entry per limited key, `{start, count}` of its current window,
// in the bucket `bridge_counts`. Adding reads the entry and writes it back conditionally on the
// revision it read (compare-and-set); a node that lost the race to another reads again, so no call
// goes uncounted. Each node has at most one write per key in flight and adds the calls that
// arrived meanwhile in one go, so a flood of calls on one key costs a few round trips, and races
// are only ever between nodes. Entries expire COUNT_TTL_MS after their last write, so the bucket
// holds only addresses seen lately.
import { createHash } from 'node:crypto';
import type { KV } from 'nats';
import type { SharedCounts, WindowCount } from '../core/shared-counts.ts';
import type { Bus } from './connection.ts';

export const COUNT_BUCKET = 'bridge_counts';
/** The longest window counted (every limit today is per minute); an entry lives this long after its last call. */
export const COUNT_TTL_MS = 60_000;
/** Compare-and-set attempts before giving up (each loss means another node counted meanwhile). */
const ATTEMPTS = 20;

interface Window { start: number; count: number }
interface Waiting { span: number; calls: { resolve: (c: WindowCount) => void; reject: (e: unknown) => void }[] }

export class KvCounts implements SharedCounts {
  /** Calls per entry key waiting for the write in flight to finish. */
  private readonly waiting = new Map<string, Waiting>();
  private readonly writing = new Set<string>();

  private constructor(private readonly kv: KV) {}

  static async open(bus: Bus): Promise<KvCounts> {
    return new KvCounts(await bus.keyValue(COUNT_BUCKET, COUNT_TTL_MS));
  }

  incr(key: string, windowMs: number): Promise<WindowCount> {
    // Keys hold addresses (IPv6 colons) and group names; KV keys take only [-/_=.A-Za-z0-9].
    const k = createHash('sha256').update(key).digest('base64url');
    return new Promise((resolve, reject) => {
      let w = this.waiting.get(k);
      if (!w) this.waiting.set(k, (w = { span: Math.min(windowMs, COUNT_TTL_MS), calls: [] }));
      w.calls.push({ resolve, reject });
      if (!this.writing.has(k)) void this.drain(k);
    });
  }

  /** Adds the calls waiting on `k`, batch after batch, one write in flight. */
  private async drain(k: string): Promise<void> {
    this.writing.add(k);
    for (let batch = this.waiting.get(k); batch; batch = this.waiting.get(k)) {
      this.waiting.delete(k);
      try {
        const { before, ttl } = await this.add(k, batch.calls.length, batch.span);
        batch.calls.forEach((c, i) => c.resolve({ current: before + i + 1, ttl }));
      } catch (e) {
        for (const c of batch.calls) c.reject(e);
      }
    }
    this.writing.delete(k);
  }

  private async add(k: string, n: number, span: number): Promise<{ before: number; ttl: number }> {
    for (let i = 0; i < ATTEMPTS; i++) {
      const entry = await this.kv.get(k);
      const live = entry?.operation === 'PUT' ? entry : null;
      const now = Date.now();
      let w = live ? (JSON.parse(live.string()) as Window) : null;
      if (!w || w.start + span <= now) w = { start: now, count: 0 };
      const value = JSON.stringify({ start: w.start, count: w.count + n } satisfies Window);
      const written = await (live ? this.kv.update(k, value, live.revision) : this.kv.create(k, value)).then(() => true, () => false);
      if (written) return { before: w.count, ttl: w.start + span - now };
      // Another node wrote between the read and the write: let it finish, a little apart.
      await new Promise((r) => setTimeout(r, Math.random() * 2 * (i + 1)));
    }
    throw new Error(`rate-limit count for one key kept changing under ${ATTEMPTS} attempts`);
  }
}
