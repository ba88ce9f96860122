// Rate limit for transcript messages (docs/SECURITY.md: volume abuse): a token bucket of
// `rateLimit.messageBurst`, refilled at `rateLimit.messagesPerMin`, per sender (a customer,
// agent or rep login), so reconnecting doesn't refill it. A message costs one token per started
// 4 KiB, so a paste of 24 KB counts as six short lines.
//
// A message over budget is paid for anyway and told when it is due (`retryAfterMs`); its resend
// passes then without paying again. Later messages queue behind it, and a resend never passes an
// earlier one still due, so resends keep their order whatever the link does to the replies.
import { KiB } from '../../protocol/index.ts';

export const BYTES_PER_TOKEN = 4 * KiB;
/** Messages one sender may have waiting for their turn; beyond that they are refused unpaid. */
const MAX_DUE = 100;
/** A resend this early is let through (timers fire a little early or late). */
const SLACK_MS = 50;
/** How long a due resend waits for an earlier one to come first, and how often it asks again. */
const ORDER_WAIT_MS = 5000;
const ORDER_RETRY_MS = 25;
/** A due message not resent this long after its turn is forgotten (its sender went away). */
const FORGET_MS = 60_000;

export class TokenBucket {
  private tokens: number;
  private at = Date.now();
  private readonly due = new Map<string, number>();
  private lastDue = 0;

  constructor(private readonly burst: number, private readonly perMin: number) {
    this.tokens = burst;
  }

  /** Tokens a message of `bytes` costs (never more than the burst, so any message can pass). */
  cost(bytes: number): number {
    return Math.min(this.burst, Math.max(1, Math.ceil(bytes / BYTES_PER_TOKEN)));
  }

  /** 0: message `id` may be stored now; otherwise the ms after which its resend will be. */
  take(id: string, cost: number, now = Date.now()): number {
    this.refill(now);
    const dueAt = this.due.get(id);
    if (dueAt !== undefined) {
      if (dueAt > now + SLACK_MS) return dueAt - now;
      // A resend overtaking an earlier one (its reply was delayed more on a busy link) waits for
      // it, so messages are stored in the order sent; one not resent within ORDER_WAIT_MS is gone.
      for (const [k, at] of this.due) if (k !== id && at < dueAt && at + ORDER_WAIT_MS > now) return ORDER_RETRY_MS;
      this.due.delete(id);
      return 0;
    }
    for (const [k, at] of this.due) if (at + FORGET_MS < now) this.due.delete(k);
    const readyAt = Math.max(this.due.size ? this.lastDue : 0, now + this.msFor(-(this.tokens - cost)));
    if (readyAt <= now && this.due.size === 0) {
      this.tokens -= cost;
      return 0;
    }
    if (this.due.size >= MAX_DUE) return Math.max(1, readyAt - now);
    this.tokens -= cost;
    this.due.set(id, readyAt);
    this.lastDue = readyAt;
    return Math.max(1, readyAt - now);
  }

  /** Gives back what a message took when it turned out to cost nothing (a resend already stored). */
  refund(cost: number): void {
    this.tokens = Math.min(this.burst, this.tokens + cost);
  }

  /** Full and with nothing waiting: the same as a new bucket, so it can be forgotten. */
  idle(now = Date.now()): boolean {
    this.refill(now);
    return this.tokens >= this.burst && this.due.size === 0;
  }

  private msFor(tokens: number): number {
    return tokens <= 0 ? 0 : Math.ceil((tokens * 60_000) / this.perMin);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.perMin) / 60_000);
    this.at = now;
  }
}

/** One bucket per sender, forgotten once it is full again. */
export class MessageBudgets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly burst: number, private readonly perMin: number) {}

  of(sender: string): TokenBucket {
    let b = this.buckets.get(sender);
    if (!b) {
      if (this.buckets.size > 1000) this.sweep();
      b = new TokenBucket(this.burst, this.perMin);
      this.buckets.set(sender, b);
    }
    return b;
  }

  sweep(): void {
    const now = Date.now();
    for (const [k, b] of this.buckets) if (b.idle(now)) this.buckets.delete(k);
  }
}
