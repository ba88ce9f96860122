// The customer's own pointer wins: while remote control is on, poll the real pointer; when it
// moves somewhere the agent did not put it, remote input pauses for a few seconds so the
// customer can always reach END SCREEN SHARE.
import { nut } from './native.ts';

export interface PointerGuardOptions {
  injected: () => ReadonlyArray<{ x: number; y: number; at: number }>;
  onCustomerMove: (untilMs: number) => void;
  pollMs?: number;
  pauseMs?: number;
}

export class PointerGuard {
  private timer: ReturnType<typeof setInterval> | null = null;
  private last: { x: number; y: number } | null = null;
  private pausedUntil = 0;
  private busy = false;

  constructor(private readonly opts: PointerGuardOptions) {}

  get paused(): boolean {
    return Date.now() < this.pausedUntil;
  }

  start(): void {
    if (this.timer) return;
    this.last = null;
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs ?? 50);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.pausedUntil = 0;
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const p = await nut().mouse.getPosition();
      const prev = this.last;
      this.last = { x: p.x, y: p.y };
      if (!prev || (prev.x === p.x && prev.y === p.y)) return;
      const ours = this.opts.injected().some((q) => q.x === p.x && q.y === p.y);
      if (ours) return;
      this.pausedUntil = Date.now() + (this.opts.pauseMs ?? 2500);
      this.opts.onCustomerMove(this.pausedUntil);
    } catch {
      // The display went away; the session notices that elsewhere.
    } finally {
      this.busy = false;
    }
  }
}
