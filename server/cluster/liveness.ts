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
    this.checkTimer = setInterval(() => this.check(), Math.max(50, Math.round(this.timing.nodeExpiryMs / 4)));
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

  private check(): void {
    const limit = Date.now() - this.timing.nodeExpiryMs;
    for (const [node, at] of this.heard) {
      if (at >= limit) continue;
      this.heard.delete(node);
      this.expired.add(node);
      this.dead(node);
    }
  }
}
