// The screen-sharing protocol of one session (noVNC's rfb.js): asks for access, follows the
// customer's grant, decodes frames in order onto the Display, acks each one after it is drawn,
// keeps fps/bandwidth/latency figures, and is the only gate remote input passes through.
import { signal } from '@preact/signals';
import type { InputMessage, Msg, SessionInfo } from '../../protocol/index.ts';
import { Display } from './display.ts';
import { decodeFrame, paintFrame } from './frame-paint.ts';
import { RequestState, type Send } from './request.ts';
import { ViewerStreams } from './streams.ts';
import { videoCodecs } from './decoders/video.ts';

export type { Send };

export interface ScreenStats { fps: number; kbps: number; latencyMs: number | null; frames: number; errors: number }

/** Rough wire size of a rect: payload bytes plus a small header. Good enough for a bandwidth figure. */
function rectBytes(r: Msg<'frame'>['rects'][number]): number {
  let n = 24;
  if ('data' in r) n += r.data.byteLength;
  if ('colors' in r) n += r.colors.byteLength;
  return n;
}

/** A refresh's full frame is normally here well within this; until then don't ask again. */
const REFRESH_AGAIN_MS = 1000;

export class ScreenSession {
  readonly display = new Display();
  /** The latest `grant` from the agent (null: none seen yet). */
  readonly grant = signal<Msg<'grant'> | null>(null);
  /** The outstanding screen request and how the last one ended. */
  readonly req: RequestState;
  /** Remote input paused by the customer until this time (ms since epoch). */
  readonly pausedUntil = signal(0);
  readonly stats = signal<ScreenStats>({ fps: 0, kbps: 0, latencyMs: null, frames: 0, errors: 0 });
  /** Remote size once a frame arrived. */
  readonly size = signal<{ w: number; h: number } | null>(null);
  /** Listeners told when control is lost (the input layer releases held keys). */
  readonly onControlLost = new Set<() => void>();

  private chain: Promise<void> = Promise.resolve();
  private displayIndex = 0;
  private window: { at: number; bytes: number; latency: number }[] = [];
  private frames = 0;
  private errors = 0;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private readonly streams = new ViewerStreams();
  /** When this viewer last asked for a full frame (healing asks at most once a second). */
  private refreshedAt = 0;

  constructor(
    readonly sessionId: string,
    private readonly repId: string,
    private readonly send: Send,
  ) {
    this.req = new RequestState(sessionId, repId, send);
  }

  /** True only while the latest grant is `control` and names this rep. */
  get controlAllowed(): boolean {
    const g = this.grant.value;
    return g !== null && g.grant === 'control' && g.reps.includes(this.repId);
  }

  get viewing(): boolean {
    const g = this.grant.value;
    return g !== null && g.grant !== 'none' && g.reps.includes(this.repId);
  }

  request(want: 'view' | 'control'): void {
    this.req.ask(want);
  }

  /** Index of the customer's display being shown (sysinfo.displays). */
  get displayShown(): number { return this.displayIndex; }

  /** Show another of the customer's displays: the agent answers with a full frame of it. */
  selectDisplay(index: number): void {
    this.displayIndex = index;
    this.refresh();
  }

  /** Viewer opened (or state lost): ask the agent for a full frame. */
  refresh(): void {
    this.refreshedAt = Date.now();
    // Says which video codecs this browser decodes ("Video tier"): none means rects only.
    this.send({ t: 'frame.refresh', sessionId: this.sessionId, display: this.displayIndex, video: videoCodecs() });
  }

  onGrant(msg: Msg<'grant'>): void {
    const wasControl = this.controlAllowed;
    this.grant.value = msg;
    // An agent says its current grant whenever it connects; only a real grant answers a request.
    if (msg.grant !== 'none') this.req.onGranted();
    if (wasControl && !this.controlAllowed) for (const f of this.onControlLost) f();
    if (msg.grant === 'none') {
      // Frames still queued were captured under the old grant: let them finish, then stop counting.
      this.pausedUntil.value = 0;
    } else {
      this.startStats();
      this.refresh();
    }
  }

  /**
   * The session as the server sees it: nothing shared (agent gone, session over), or this rep no
   * longer in it (hold, transfer). Then whatever grant this viewer showed is over, even though no
   * `grant none` can reach a rep who left.
   */
  onSession(info: SessionInfo): void {
    const g = this.grant.value;
    if (!g || g.grant === 'none') return;
    const mine = info.state === 'active' && info.reps.some((r) => r.id === this.repId);
    if (info.sharing === 'none' || !mine) this.onGrant({ ...g, grant: 'none', reps: [], apps: null });
  }

  onInputPaused(msg: Msg<'input.paused'>): void {
    this.pausedUntil.value = msg.untilMs;
  }

  onFrame(frame: Msg<'frame'>): void {
    // Start every rect's decode now (in parallel); paint strictly after the previous frame.
    const decoded = decodeFrame(frame, this.streams);
    this.chain = this.chain.then(async () => {
      const d = await decoded;
      for (const reason of d.failed) { this.errors++; console.warn('rect decode failed', reason); }
      this.displayIndex = frame.display;
      paintFrame(this.display, frame, d);
      if (this.size.value?.w !== frame.w || this.size.value?.h !== frame.h) this.size.value = { w: frame.w, h: frame.h };
      this.send({ t: 'frame.ack', sessionId: this.sessionId, seq: frame.seq });
      this.frames++;
      this.window.push({ at: Date.now(), bytes: frame.rects.reduce((n, r) => n + rectBytes(r), 64), latency: Date.now() - frame.ts });
      // A rect we could not draw leaves a hole, a missed frame a stale context: ask for a full
      // frame rather than show garbage, once (the frames already on their way fail the same way).
      if ((d.failed.length > 0 || d.lost) && Date.now() - this.refreshedAt > REFRESH_AGAIN_MS) this.refresh();
    });
    this.startStats();
  }

  /** The gate: input leaves only under a control grant that covers this rep. */
  sendInput(msg: InputMessage): boolean {
    if (!this.controlAllowed) return false;
    return this.send({ ...msg, display: this.displayIndex });
  }

  /** Waits until every frame received so far is painted (tests, screenshots). */
  idle(): Promise<void> {
    return this.chain;
  }

  dispose(): void {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
  }

  private startStats(): void {
    if (this.statsTimer) return;
    this.statsTimer = setInterval(() => {
      const now = Date.now();
      this.window = this.window.filter((s) => now - s.at <= 2000);
      const span = 2;
      const n = this.window.length;
      this.stats.value = {
        fps: Math.round((n / span) * 10) / 10,
        kbps: Math.round((this.window.reduce((a, s) => a + s.bytes, 0) * 8) / span / 1000),
        latencyMs: n ? Math.round(this.window.reduce((a, s) => a + s.latency, 0) / n) : null,
        frames: this.frames,
        errors: this.errors,
      };
    }, 500);
  }
}
