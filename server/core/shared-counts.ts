// Counts over a time window that every node adds to (docs/ARCHITECTURE.md, "Several nodes",
// "Shared rate limits"): the rate limits' and key-guessing budgets' memory when several nodes
// share the work. One node keeps its counts in memory and has none of this.

export interface WindowCount {
  /** Calls counted in the window so far, this one included. */
  current: number;
  /** Ms until the window ends and the count starts again. */
  ttl: number;
}

export interface SharedCounts {
  /** Counts one call for `key` in a fixed window of `windowMs` that starts with the first call. */
  incr(key: string, windowMs: number): Promise<WindowCount>;
}
