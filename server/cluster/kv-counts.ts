// Rate-limit counts shared by all nodes (docs/ARCHITECTURE.md, "Several nodes", "Shared rate
// limits"): one JetStream key-value entry per limited key, `{start, count}` of its current window,
// in the bucket `bridge_counts`. A call reads the entry and writes it back conditionally on the
// revision it read (compare-and-set); a node that lost the race to another reads again, so no call
// goes uncounted. Entries expire COUNT_TTL_MS after their last write, so the bucket holds only
// addresses seen lately.
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

export class KvCounts implements SharedCounts {
  private constructor(private readonly kv: KV) {}

  static async open(bus: Bus): Promise<KvCounts> {
    return new KvCounts(await bus.keyValue(COUNT_BUCKET, COUNT_TTL_MS));
  }

  async incr(key: string, windowMs: number): Promise<WindowCount> {
    // Keys hold addresses (IPv6 colons) and group names; KV keys take only [-/_=.A-Za-z0-9].
    const k = createHash('sha256').update(key).digest('base64url');
    const span = Math.min(windowMs, COUNT_TTL_MS);
    for (let i = 0; i < ATTEMPTS; i++) {
      const entry = await this.kv.get(k);
      const live = entry?.operation === 'PUT' ? entry : null;
      const now = Date.now();
      let w = live ? (JSON.parse(live.string()) as Window) : null;
      if (!w || w.start + span <= now) w = { start: now, count: 0 };
      w.count += 1;
      const value = JSON.stringify(w);
      const written = await (live ? this.kv.update(k, value, live.revision) : this.kv.create(k, value)).then(() => true, () => false);
      if (written) return { current: w.count, ttl: w.start + span - now };
    }
    throw new Error(`rate-limit count for one key kept changing under ${ATTEMPTS} attempts`);
  }
}
