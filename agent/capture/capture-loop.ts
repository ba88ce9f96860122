// Screen streaming paced by the viewer's acks (docs/ARCHITECTURE.md "No loss"): at most N frames in flight, a
// capture only when a slot is free, so a slow link lowers the frame rate instead of queueing
// stale frames. Knows nothing about consent: the session starts it on a grant and stops it on
// revoke; stop() makes any capture already running throw its pixels away.
import { DEFAULT_FRAMES_IN_FLIGHT, type Rect } from '../../protocol/index.ts';
import { frameBytes, Pacer } from './pacing.ts';
import type { RawFrame, ScreenSource } from './screen-source.ts';

/** What agent/encode's FrameEncoder provides, one per display (it keeps the previous frame). */
export interface Encoder {
  /** The rects that changed since the previous call (empty when idle). */
  encode(frame: RawFrame): Promise<{ rects: Rect[]; z?: number }>;
  /** Forget the previous frame: the next encode sends the whole screen. */
  reset(): void;
  /** Bytes a frame may spend on photo-like regions (null: the encoder's default quality). */
  photoBudget?: number | null;
  /** JPEG quality 1..100 for photo-like regions (without `linkBudget`). */
  quality?: number;
  /** Bytes the next encode may spend refining still lossy areas (set before each encode; 0: not now). */
  refineBudget?: number;
  /** Milliseconds until a lossy area is due for refinement (0: now), null when there is none. */
  refineDueMs?(): number | null;
  /** Video-rate regions as `video` rects (docs/ARCHITECTURE.md "Video tier"); absent: never. */
  video?: boolean;
}

export interface OutFrame { seq: number; display: number; w: number; h: number; ts: number; rects: Rect[]; z?: number }

export interface CaptureOptions {
  source: ScreenSource;
  makeEncoder: () => Encoder;
  send: (f: OutFrame) => void;
  /** Paint out what must not be shared (application sharing); called before encoding. True: it painted. */
  mask?: (display: number, frame: RawFrame) => boolean | void;
  /** A fixed number of frames in flight instead of the bandwidth-delay product (tests). */
  framesInFlight?: number;
  /** Pause between polls of an unchanged screen (when there is no change signal). */
  idleMs?: number;
  /** Tells when the screen changed (X11 DAMAGE): an idle screen then costs no captures. */
  changes?: { wait(timeoutMs: number): Promise<void> } | null;
  /**
   * Photo bytes from the link estimate (see adapt()) instead of the older rule (slow acks lower the
   * JPEG quality to 30). Off by default until the bench's shaped-link rows are measured.
   */
  linkBudget?: boolean;
  /** With no ack for this long (or longer, when the bytes in flight need longer to arrive), one probe frame may go past the window. */
  ackTimeoutMs?: number;
}

/** Slack on top of the round trip that an update may lag the screen (docs/ARCHITECTURE.md "Adapting to the link"). */
const LAG_SLACK_MS = 150;
/** A limited budget grows by this factor per ack within the lag target, and lifts above LIFT_BYTES. */
const RELAX = 1.1;
const LIFT_BYTES = 2_000_000;
/**
 * The round trip counted in the lag target is at most this: on a link kept full the shortest
 * measured round trip includes queueing and a large frame's time on the link, and would let the
 * target (and the budget) grow with the backlog.
 */
const MAX_BASE_RTT_MS = 300;
// The older rule: quality 60 (the curve's default) down to 30 on slow acks.
const QUALITY_MAX = 60;
const QUALITY_MIN = 30;

export class CaptureLoop {
  private gen = 0;
  private seq = 0;
  private readonly pacer: Pacer;
  private encoders: Encoder[] = [];
  private wake: (() => void) | null = null;
  /** The loop is blocked on frames in flight: only then does an ack have work for it. */
  private slotWait = false;
  /** Bytes per frame for photo-like areas while the link is the limit; null: not limited. */
  private photoBudget: number | null = null;
  private quality = QUALITY_MAX;
  private rttMs = 0;
  private next = 0;
  private videoOn = false;
  /** Capture failures (logged by the owner; the loop retries once a second). */
  onError: ((e: Error) => void) | null = null;

  constructor(private readonly opts: CaptureOptions) {
    this.pacer = new Pacer(opts.framesInFlight ?? DEFAULT_FRAMES_IN_FLIGHT, opts.ackTimeoutMs ?? 3000, opts.framesInFlight === undefined);
  }

  /** Frames and bytes in flight, the measured bandwidth (B/s) and round trip (diagnostics, tests). */
  get pacing(): { frames: number; bytes: number; bandwidth: number; minRttMs: number; windowBytes: number | null; photoBudget: number | null } {
    const p = this.pacer;
    return { frames: p.frames, bytes: p.bytes, bandwidth: p.bandwidth, minRttMs: p.minRttMs, windowBytes: p.windowBytes, photoBudget: this.photoBudget };
  }

  get running(): boolean {
    return this.gen % 2 === 1;
  }

  start(): void {
    if (this.running) return;
    this.gen++;
    this.pacer.clear();
    this.opts.source.invalidate?.();
    this.encoders = this.opts.source.displays().map(() => this.newEncoder());
    void this.run(this.gen).catch((e) => console.error('capture stopped:', (e as Error).message));
  }

  stop(): void {
    if (!this.running) return;
    this.gen++;
    this.pacer.clear();
    this.encoders = [];
    this.wakeUp();
  }

  ack(seq: number): void {
    // Acks are cumulative in effect: anything older than an acked frame was applied too. A late
    // one counts like any other (its round trip is what the link does now).
    const rtt = this.pacer.ack(seq, Date.now());
    if (rtt === null) return;
    this.adapt(rtt);
    // Refinement waits for an empty pipe: the ack that empties it may start the next piece.
    if (this.slotWait || (this.pacer.frames === 0 && this.refineDue() === 0)) this.wakeUp();
  }

  /** The viewer lost its picture: send full frames (of one display or all). */
  refresh(display?: number): void {
    this.opts.source.invalidate?.(display); // and from a fresh full capture, not kept pixels
    this.encoders.forEach((e, i) => { if (display === undefined || display === i) e.reset(); });
    this.pacer.clear();
    this.wakeUp();
  }

  /** Whether every viewer decodes video (agent/session/video-viewers.ts). */
  get video(): boolean { return this.videoOn; }
  set video(on: boolean) {
    this.videoOn = on;
    for (const e of this.encoders) if (e.video !== undefined) e.video = on;
  }

  private newEncoder(): Encoder {
    const e = this.opts.makeEncoder();
    if (this.opts.linkBudget) e.photoBudget = this.photoBudget;
    else if (this.quality !== QUALITY_MAX) e.quality = this.quality;
    if (e.video !== undefined) e.video = this.videoOn;
    return e;
  }

  /**
   * An ack later than 2 round trips + 150 ms means the link is the limit (and then the measured
   * delivery rate is the link's): photo areas get what the link carries in a round trip + 150 ms,
   * so a frame lands within about that of its change; the encoder picks quality and scale for it
   * from its curve. Acks within the target relax the budget step by step, until it lifts.
   */
  private adapt(rtt: number): void {
    if (!this.opts.linkBudget) {
      // The older rule: slow acks → lower JPEG quality; fast acks → raise it again.
      this.rttMs = this.rttMs ? this.rttMs * 0.8 + rtt * 0.2 : rtt;
      if (this.rttMs > 250 && this.quality > QUALITY_MIN) this.quality = Math.max(QUALITY_MIN, this.quality - 10);
      else if (this.rttMs < 80 && this.quality < QUALITY_MAX) this.quality = Math.min(QUALITY_MAX, this.quality + 5);
      if (this.quality !== QUALITY_MAX) for (const e of this.encoders) e.quality = this.quality;
      return;
    }
    const minRtt = Math.min(MAX_BASE_RTT_MS, this.pacer.minRttMs), bw = this.pacer.bandwidth;
    if (rtt > 2 * minRtt + LAG_SLACK_MS && bw > 0) {
      const budget = (bw * (minRtt + LAG_SLACK_MS)) / 1000;
      this.photoBudget = this.photoBudget === null ? budget : Math.min(this.photoBudget, budget);
    } else if (this.photoBudget !== null) {
      this.photoBudget *= RELAX;
      if (this.photoBudget > LIFT_BYTES) this.photoBudget = null;
    }
    for (const e of this.encoders) e.photoBudget = this.photoBudget;
  }

  /** The soonest refinement due among the displays (0: now), or null. */
  private refineDue(): number | null {
    let due: number | null = null;
    for (const e of this.encoders) { const d = e.refineDueMs?.() ?? null; if (d !== null && (due === null || d < due)) due = d; }
    return due;
  }

  /**
   * Refinement bytes for the next encode: only with nothing in flight (a live change never queues
   * behind one), and about 100 ms of the measured link per piece (256 KB before an estimate).
   */
  private refineBudget(): number {
    if (this.pacer.frames > 0) return 0;
    const bw = this.pacer.bandwidth;
    return bw > 0 ? Math.max(12_000, Math.min(4_000_000, bw / 10)) : 256_000;
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** A sleep that wakeUp() (ack, refresh, stop) ends early; only one at a time. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(t);
        if (this.wake === wake) this.wake = null;
        resolve();
      };
      const t = setTimeout(wake, ms);
      this.wake = wake;
    });
  }

  private async run(gen: number): Promise<void> {
    const idleMs = this.opts.idleMs ?? 50;
    while (this.gen === gen) {
      const now = Date.now();
      if (!this.pacer.canSend(now)) {
        this.slotWait = true;
        await this.sleep(this.pacer.waitMs(now));
        this.slotWait = false;
        continue;
      }
      const n = this.encoders.length;
      if (n === 0) return;
      const display = this.next++ % n;
      const ts = Date.now();
      let raw: RawFrame;
      try {
        raw = await this.opts.source.capture(display);
      } catch (e) {
        // A display unplugged or the screen locked: keep trying, slowly, with fresh encoders.
        if (this.gen !== gen) return;
        this.onError?.(e as Error);
        this.encoders = this.opts.source.displays().map(() => this.newEncoder());
        await this.sleep(1000);
        continue;
      }
      if (this.gen !== gen) return; // revoked while capturing: these pixels stay here
      if (this.opts.mask?.(display, raw)) this.opts.source.painted?.(display);
      const enc = this.encoders[display];
      if (enc.refineDueMs) enc.refineBudget = this.refineBudget();
      const { rects, z } = await enc.encode(raw);
      if (this.gen !== gen) return;
      if (rects.length > 0) {
        const seq = ++this.seq;
        this.pacer.sent(seq, frameBytes(rects), Date.now());
        this.opts.send({ seq, display, w: raw.width, h: raw.height, ts, rects, ...(z === undefined ? {} : { z }) });
      }
      const changes = this.opts.changes;
      // With a change signal, capture again only once it fired (at once if it fired during this
      // capture): a full capture right after every frame sent found nothing most of the time and
      // cost as much as the first (≈ 18 ms CPU per 1080p). Without one, poll while idle.
      if (display === n - 1 && (rects.length === 0 || changes)) {
        // A lossy area due for refinement wakes the loop (when due, or on the ack that empties the pipe).
        const due = this.refineDue();
        const wait = due === null || (due === 0 && this.pacer.frames > 0) ? 1000 : Math.min(1000, due);
        if (changes) {
          await Promise.race([changes.wait(wait), this.sleep(wait)]);
          this.wakeUp(); // end the sleep if the change came first
        } else await this.sleep(idleMs);
      }
    }
  }
}
