// The customer's own pointer wins: while remote control is on, the guard knows where the pointer
// should be (where the agent last put it, or where it was last seen). When it is anywhere else,
// the customer moved it: remote input pauses for a few seconds so the customer can always reach
// END SCREEN SHARE. Checked by polling and right before every injected move, so a rep streaming
// moves can't overwrite the customer's move before the poll sees it.
import { nut } from '../runtime/native-addons.ts';

export interface PointerGuardOptions {
  onCustomerMove: (untilMs: number) => void;
  pollMs?: number;
  pauseMs?: number;
}

export class PointerGuard {
  private timer: ReturnType<typeof setInterval> | null = null;
  private expected: { x: number; y: number } | null = null;
  private pausedUntil = 0;
  private busy = false;

  constructor(private readonly opts: PointerGuardOptions) {}

  get paused(): boolean {
    return Date.now() < this.pausedUntil;
  }

  start(): void {
    if (this.timer) return;
    this.expected = null;
    this.timer = setInterval(() => { if (!this.busy) void this.check(); }, this.opts.pollMs ?? 40);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.pausedUntil = 0;
    this.expected = null;
  }

  /** The agent is about to put the pointer here (call right before setPosition). */
  expect(p: { x: number; y: number }): void {
    this.expected = { x: p.x, y: p.y };
  }

  /** True when the customer moved the pointer (and input is now paused). */
  async check(): Promise<boolean> {
    if (!this.timer) return false;
    this.busy = true;
    try {
      const p = await nut().mouse.getPosition();
      const e = this.expected;
      this.expected = { x: p.x, y: p.y };
      if (!e || (e.x === p.x && e.y === p.y)) return this.paused;
      this.pausedUntil = Date.now() + (this.opts.pauseMs ?? 2500);
      this.opts.onCustomerMove(this.pausedUntil);
      return true;
    } catch {
      return false; // the display went away; the session notices that elsewhere
    } finally {
      this.busy = false;
    }
  }
}
