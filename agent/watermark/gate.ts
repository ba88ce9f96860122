// The lifecycle's say over the watermark. The session asks for it to follow consent; the
// lifecycle (agent/run-agent.ts) closes the gate while nothing is shared although consent stands:
// the server is unreachable (no frames can leave), or the session is over (the window may stay
// open for the survey, the watermark must not). Calls reach the platform watermark one at a
// time, so a show() still connecting can't bring the label back after a hide().
import type { Watermark } from './types.ts';

export class WatermarkGate implements Watermark {
  private wanted: string | null = null;
  private open = true;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly inner: Watermark) {}

  private run(op: () => Promise<void>): Promise<void> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => {});
    return next;
  }

  show(text: string): Promise<void> {
    this.wanted = text;
    return this.run(() => (this.open && this.wanted !== null ? this.inner.show(this.wanted) : Promise.resolve()));
  }

  hide(): Promise<void> {
    this.wanted = null;
    return this.run(() => this.inner.hide());
  }

  /** Closed: hidden now and until reopened; reopened: what the session last asked for returns. */
  setOpen(open: boolean): Promise<void> {
    if (this.open === open) return this.chain;
    this.open = open;
    return this.run(() => (open && this.wanted !== null ? this.inner.show(this.wanted) : this.inner.hide()));
  }

  close(): Promise<void> {
    this.open = false;
    return this.run(() => this.inner.close());
  }
}
