// Which other nodes are alive (docs/ARCHITECTURE.md, "Several nodes", "A node dies"): every node
// beats on `bridge.nodes` every `cluster.heartbeatMs`; a node not heard of (beat, hello or
// presence) for `cluster.nodeExpiryMs` is taken for dead, and what it held is forgotten. A node
// heard of again after that is asked to say what it holds (a hello), so a long pause on its side
// costs a re-announcement, never a participant shown offline for good.
export interface LivenessTiming {
  heartbeatMs: number;
  nodeExpiryMs: number;
}

export class NodeLiveness {
  /** When each other node was last heard of. */
  private readonly heard = new Map<string, number>();
  /** Nodes taken for dead: hearing one again means it was only slow. */
  private readonly expired = new Set<string>();
  private beatTimer: ReturnType<typeof setInterval> | null = null;
  private checkTimer: ReturnType<typeof setInterval> | null = null;
  private checkedAt = 0;

  constructor(
    private readonly timing: LivenessTiming,
    private readonly beat: () => void,
    /** A node went silent past the expiry. */
    private readonly dead: (node: string) => void,
    /** A node taken for dead spoke again. */
    private readonly revived: (node: string) => void,
  ) {}

  start(): void {
    this.beatTimer = setInterval(this.beat, this.timing.heartbeatMs);
    // Checked a few times per expiry, so a dead node goes within about 1.25 expiries.
    this.checkedAt = Date.now();
    this.checkTimer = setInterval(() => this.check(), this.checkEvery);
    this.beatTimer.unref();
    this.checkTimer.unref();
  }

  stop(): void {
    if (this.beatTimer) clearInterval(this.beatTimer);
    if (this.checkTimer) clearInterval(this.checkTimer);
  }

  /** Something of this node arrived. */
  alive(node: string): void {
    this.heard.set(node, Date.now());
    if (this.expired.delete(node)) this.revived(node);
  }

  /** The node said bye: gone, and nothing to expire. */
  left(node: string): void {
    this.heard.delete(node);
    this.expired.delete(node);
  }

  private get checkEvery(): number {
    return Math.max(50, Math.round(this.timing.nodeExpiryMs / 4));
  }

  private check(): void {
    const now = Date.now();
    const late = now - this.checkedAt > this.checkEvery + Math.max(this.timing.heartbeatMs, 1000);
    this.checkedAt = now;
    // This process stood still for over a second (CPU starved, a long GC): the others' beats are waiting unread, so
    // their silence says nothing. Count from now.
    if (late) {
      for (const node of this.heard.keys()) this.heard.set(node, now);
      return;
    }
    const limit = now - this.timing.nodeExpiryMs;
    for (const [node, at] of this.heard) {
      if (at >= limit) continue;
      this.heard.delete(node);
      this.expired.add(node);
      this.dead(node);
    }
  }
}
