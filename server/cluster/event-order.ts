// Transcript lines delivered to this node's participants in seq order, wherever they were
// written (docs/ARCHITECTURE.md, "Several nodes"). Two nodes append to one session side by side,
// so line 8 from here may be ready before line 7 from another node arrives; clients take a seq at
// or below the last one they saw as a repeat, so a line delivered late would be lost to them.
// Lines wait here until the one before them came; a hole that lasts is filled from the store
// (every line is stored before it is sent), and one the store never gets (a failed write) is
// skipped after HOLE_MS.
import { eventToMessage, type LiveSession } from '../core/live-session.ts';
import { logError } from '../log.ts';
import { encodeOut } from '../outgoing.ts';
import type { EventRow, Store } from '../store/store.ts';

/** How long a hole waits for its line before the store is asked. */
const FILL_MS = 100;
/** How long a hole may last before it is taken for a line never written. */
const HOLE_MS = 2000;

export class EventOrder {
  private delivered: number;
  private readonly ahead = new Map<number, EventRow>();
  private holeSince = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly ls: LiveSession, private readonly store: Store) {
    this.delivered = ls.loadedSeq;
  }

  offer(row: EventRow): void {
    if (row.seq >= this.ls.nextSeq) this.ls.nextSeq = row.seq + 1;
    if (row.seq <= this.delivered) return;
    if (this.ls.peers.size === 0) {
      // Nobody here to tell: whoever connects later gets the transcript from the store.
      this.delivered = row.seq;
      this.ahead.clear();
      return;
    }
    this.ahead.set(row.seq, row);
    this.drain();
  }

  private drain(): void {
    for (let next = this.ahead.get(this.delivered + 1); next; next = this.ahead.get(this.delivered + 1)) {
      this.ahead.delete(next.seq);
      this.delivered = next.seq;
      this.ls.sendHere(encodeOut(eventToMessage(next)));
    }
    if (this.ahead.size === 0) {
      this.holeSince = 0;
      return;
    }
    this.holeSince ||= Date.now();
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.fill().catch(logError);
    }, FILL_MS);
  }

  private async fill(): Promise<void> {
    if (this.ahead.size === 0) return;
    const upTo = Math.max(...this.ahead.keys());
    for (const row of await this.store.eventsAfter(this.ls.id, this.delivered)) {
      if (row.seq > upTo) break;
      if (row.seq > this.delivered && !this.ahead.has(row.seq)) this.ahead.set(row.seq, row);
    }
    if (!this.ahead.has(this.delivered + 1) && Date.now() - this.holeSince > HOLE_MS) {
      this.delivered = Math.min(...this.ahead.keys()) - 1;
    }
    this.drain();
  }
}
