// One rate-limit memory for all routes. @fastify/rate-limit keeps a separate counter per route by
// default, which gave a key guesser a fresh budget on every route that checks a session key
// (join, portal submit, both download routes). Routes tagged with the same `groupId` now share one
// counter per address (IPv6 per /64, the plugin's default), routes without one count alone.
// With several nodes the counts are the cluster's (`SharedCounts`), so a guesser spreading over
// nodes spends one budget; if the shared count fails, this node counts alone meanwhile.
import type { SharedCounts } from '../core/shared-counts.ts';
import { logError } from '../log.ts';

type Entry = { current: number; start: number; ttl: number };
type Cb = (err: Error | null, res: { current: number; ttl: number }) => void;

/** Addresses remembered; the oldest are forgotten first (as the plugin's own LRU store does). */
const MAX_KEYS = 10_000;

export class SharedRateStore {
  private readonly entries = new Map<string, Entry>();
  /** The cluster's counts (several nodes), else null: set by rateStore(). */
  protected shared: SharedCounts | null = null;

  incr(key: string, cb: Cb, timeWindow: number, _max: number): void {
    if (!this.shared) return this.incrHere(key, cb, timeWindow);
    this.shared.incr(key, timeWindow).then((r) => cb(null, r), (e: unknown) => {
      logError(e);
      this.incrHere(key, cb, timeWindow);
    });
  }

  private incrHere(key: string, cb: Cb, timeWindow: number): void {
    const now = Date.now();
    let e = this.entries.get(key);
    if (!e || e.start + timeWindow <= now) e = { current: 0, start: now, ttl: timeWindow };
    e.current++;
    e.ttl = timeWindow - (now - e.start);
    this.entries.delete(key);
    this.entries.set(key, e);
    if (this.entries.size > MAX_KEYS) this.entries.delete(this.entries.keys().next().value!);
    cb(null, { current: e.current, ttl: e.ttl });
  }

  read(key: string, cb: Cb, timeWindow: number): void {
    const e = this.entries.get(key);
    const now = Date.now();
    if (!e || e.start + timeWindow <= now) return cb(null, { current: 0, ttl: timeWindow });
    cb(null, { current: e.current, ttl: timeWindow - (now - e.start) });
  }

  /**
   * The plugin asks for a child per route. A route in a group shares this store (the plugin puts
   * the group in the key); any other route counts alone, under its method and URL, as the header
   * says (before, every route without a group shared one count per address: logins, password
   * changes and token requests spent one budget).
   */
  child(params: { groupId?: string; routeInfo?: { method?: string | string[]; url?: string } } = {}): SharedRateStore | RouteCounts {
    if (params.groupId || !params.routeInfo?.url) return this;
    return new RouteCounts(this, `${String(params.routeInfo.method ?? '')} ${params.routeInfo.url}|`);
  }
}

/** One route's counts inside the shared store: its keys carry the route. */
class RouteCounts {
  constructor(private readonly store: SharedRateStore, private readonly prefix: string) {}
  incr(key: string, cb: Cb, timeWindow: number, max: number): void { this.store.incr(this.prefix + key, cb, timeWindow, max); }
  read(key: string, cb: Cb, timeWindow: number): void { this.store.read(this.prefix + key, cb, timeWindow); }
  child(params?: Parameters<SharedRateStore['child']>[0]): SharedRateStore | RouteCounts { return this.store.child(params); }
}

/** The store class the plugin makes its one store from: counting in the cluster's `shared` counts when given. */
export function rateStore(shared: SharedCounts | null): typeof SharedRateStore {
  if (!shared) return SharedRateStore;
  return class ClusterRateStore extends SharedRateStore {
    protected override shared = shared;
  };
}

/** The group of every route that tells a valid session key from an invalid one. */
export const KEY_CHECK_GROUP = 'session-key';
