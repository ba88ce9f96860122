// Frames in flight from the viewer's acks (docs/ARCHITECTURE.md "Customer agent runtime", "Pacing"):
// the delivery rate and round trip are measured from acks (BBR's way: bytes delivered between a
// frame's send and its ack over that time; the fastest rate and the shortest round trip of the
// last 10 s), and a new frame may leave while the bytes in flight are under twice their product.
// Every unacked frame counts until acked (a late ack counts too), so the backlog is bounded: at
// most MAX_FRAMES frames, and past the window only one probe per stall (an ack lost with a frame
// the server dropped) — never a new frame per timeout as the link falls behind.
import type { Rect } from '../../protocol/index.ts';

/** Hard bound on frames in flight, whatever the estimate. */
export const MAX_FRAMES = 16;
const FILTER_MS = 10_000;
/** Bytes in flight may reach this multiple of the bandwidth-delay product (room to find more bandwidth). */
const GAIN = 2;

/** Wire size of a frame, near enough: payloads plus small headers (like the viewer's figure). */
export function frameBytes(rects: readonly Rect[]): number {
  let n = 64;
  for (const r of rects) n += 24 + ('data' in r ? r.data.byteLength : 0) + ('colors' in r ? r.colors.byteLength : 0);
  return n;
}

interface Sent { at: number; bytes: number; deliveredAtSend: number }
interface Sample { at: number; value: number }

export class Pacer {
  private readonly inFlight = new Map<number, Sent>();
  private bytesInFlight = 0;
  private delivered = 0;
  private rates: Sample[] = [];
  private rtts: Sample[] = [];
  /** Last time the window moved (an ack, a probe, or the first frame into an empty window). */
  private progressAt = 0;

  /**
   * @param fixed frames in flight without an estimate (and always, when `bdp` is false)
   * @param stallMs the least time without an ack before one probe frame may go past the window
   */
  constructor(private readonly fixed: number, private readonly stallMs: number, private readonly bdp = true) {}

  get frames(): number { return this.inFlight.size; }
  get bytes(): number { return this.bytesInFlight; }
  /** Bytes per second, or 0 before the first ack. */
  get bandwidth(): number { return Math.max(0, ...this.rates.map((s) => s.value)); }
  get minRttMs(): number { return this.rtts.length ? Math.min(...this.rtts.map((s) => s.value)) : 0; }
  /** Bytes that may be in flight, or null while there is no estimate (then `fixed` frames). */
  get windowBytes(): number | null {
    if (!this.bdp || this.rates.length === 0) return null;
    return GAIN * this.bandwidth * (this.minRttMs / 1000);
  }

  sent(seq: number, bytes: number, now: number): void {
    if (this.inFlight.size === 0 || !this.withinWindow()) this.progressAt = now; // a first frame, or a probe
    this.inFlight.set(seq, { at: now, bytes, deliveredAtSend: this.delivered });
    this.bytesInFlight += bytes;
  }

  /** The viewer applied `seq` (and so everything before it). Returns the round trip, or null for an ack of nothing in flight. */
  ack(seq: number, now: number): number | null {
    const f = this.inFlight.get(seq);
    if (!f) return null;
    for (const [s, x] of this.inFlight) {
      if (s > seq) continue;
      this.inFlight.delete(s);
      this.bytesInFlight -= x.bytes;
      this.delivered += x.bytes;
    }
    const rtt = Math.max(1, now - f.at);
    this.push(this.rtts, now, rtt);
    this.push(this.rates, now, ((this.delivered - f.deliveredAtSend) * 1000) / rtt);
    this.progressAt = now;
    return rtt;
  }

  /** May a new frame leave now? */
  canSend(now: number): boolean {
    if (this.inFlight.size === 0) return true;
    if (this.withinWindow()) return true;
    return this.inFlight.size < MAX_FRAMES && now - this.progressAt >= this.stallAfter();
  }

  /** How long to wait (at most) before canSend() may change without an ack. */
  waitMs(now: number): number {
    return Math.max(1, this.progressAt + this.stallAfter() - now);
  }

  /** The viewer starts afresh (refresh, stop): frames in flight no longer matter; estimates stay. */
  clear(): void {
    this.inFlight.clear();
    this.bytesInFlight = 0;
  }

  private withinWindow(): boolean {
    const w = this.windowBytes;
    if (w === null) return this.inFlight.size < this.fixed;
    return this.inFlight.size < MAX_FRAMES && this.bytesInFlight < w;
  }

  /** Longer than the bytes in flight need to arrive at the measured rate, and never under stallMs. */
  private stallAfter(): number {
    const bw = this.bandwidth;
    const drain = bw > 0 ? (this.bytesInFlight * 1000) / bw + this.minRttMs : 0;
    return Math.max(this.stallMs, 2 * drain);
  }

  private push(list: Sample[], at: number, value: number): void {
    list.push({ at, value });
    while (list.length > 1 && at - list[0].at > FILTER_MS) list.shift();
  }
}
