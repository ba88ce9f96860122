// The agent's protocol state machine: what each server message means for this session and what
// each customer decision does. Consent is the axis: capture, input, the pointer guard and the
// watermark follow the grant, and nothing from the network moves the grant (docs/ARCHITECTURE.md "Consent lives in the agent").
import { isInput, newClientId, type Display, type InputMessage, type Message, type Msg, type PendingScreenRequest } from '../../protocol/index.ts';
import { VideoViewers } from './video-viewers.ts';
import { contains, type Box } from '../app-sharing/mask.ts';
import type { CaptureLoop } from '../capture/capture-loop.ts';
import type { Consent, GrantSnapshot } from './consent.ts';
import type { InputInjector } from '../input/input-injector.ts';
import type { PointerGuard } from '../input/pointer-guard.ts';
import { systemInfo } from './system-info.ts';
import type { AppWindow } from '../app-sharing/window-list.ts';
import type { Upstream, WindowRelay } from '../window/host/relay.ts';
import { watermarkText, type Watermark } from '../watermark/index.ts';

export interface SessionDeps {
  up: Upstream;
  consent: Consent;
  capture: CaptureLoop;
  input: InputInjector;
  guard: PointerGuard;
  relay: WindowRelay;
  watermark: Watermark | null;
  displays: () => Display[];
  /** Re-read the monitor layout; true when it changed (resolution, a display plugged in). */
  reloadDisplays?: () => boolean;
  listWindows: () => Promise<AppWindow[]>;
  /** The focused top-level window (application sharing filters keys by it); null = unknown. */
  focusedWindow?: () => Promise<number | null>;
  /** Session over: the lifecycle takes it from here. */
  onEnded: (reason: string) => void;
  /** A rep asks for access (terminal fallback prompts; the window gets it through the relay).
   *  `covers`: the reps an answer would cover, the reps in the session now. */
  onRequest?: (req: PendingScreenRequest, covers: Array<{ id: string; name: string }>) => void;
  /** A rep asks for diagnostics: the desk asks the customer (docs/ARCHITECTURE.md, "Remote diagnostics"). */
  onDiagnostics?: (req: Msg<'diag.request'>) => void;
  /** A rep asks to restart the computer, and the server's credential after the customer's OK (docs/ARCHITECTURE.md, "Reboot and reconnect"). */
  onReboot?: (req: Msg<'reboot.request'>) => void;
  onRebootTicket?: (ticket: Msg<'reboot.ticket'>) => void;
  log?: (line: string) => void;
}

export class AgentSession {
  sessionId: string | null = null;
  private welcome: Msg<'welcome'> | null = null;
  private reps: Array<{ id: string; name: string }> = [];
  private readonly videoViewers = new VideoViewers();
  /** The rep's outstanding request, as the server keeps it (session state). */
  private request: PendingScreenRequest | null = null;
  /** Application sharing: the chosen window ids and their current rects (global coordinates). */
  private appIds: number[] | null = null;
  private appBoxes: Box[] = [];
  private appTimer: ReturnType<typeof setInterval> | null = null;
  private ended = false;
  /** Highest transcript seq seen, and what it was when the current grant was made: a rep who
   *  left after that (a `rep.left` line, also when replayed after a reconnect) is not covered. */
  private seenSeq = 0;
  private grantSeq = 0;
  /** The customer has allowed screen sharing in this run: the rep may have the full sysinfo. */
  private disclosed = false;
  /** Remote input is paused until then because the customer moved the pointer. */
  pausedUntil = 0;

  constructor(private readonly d: SessionDeps) {
    d.consent.onChange((s, prev) => this.applyGrant(s, prev));
  }

  get repList(): Array<{ id: string; name: string }> {
    return this.reps;
  }

  get companyName(): string {
    return this.welcome?.customer?.companyName ?? 'Support';
  }

  /** Application sharing: may input act at this global position? */
  allowedAt = (x: number, y: number): boolean => this.appIds === null || contains(this.appBoxes, x, y);

  /** Application sharing: keys only while a shared window has the focus (or, when focus
   *  follows the pointer, while the rep's pointer is over one). */
  keysAllowed = async (pointer: { x: number; y: number } | null): Promise<boolean> => {
    if (this.appIds === null) return true;
    const ids = this.appIds;
    const focused = (await this.d.focusedWindow?.().catch(() => null)) ?? null;
    if (focused !== null) return ids.includes(focused);
    return pointer !== null && this.allowedAt(pointer.x, pointer.y);
  };

  /** Application sharing: black out everything but the shared windows (display-relative). */
  mask(display: number): Box[] | null {
    if (this.appIds === null) return null;
    const d = this.d.displays()[display];
    return d ? this.appBoxes.map((b) => ({ x: b.x - d.x, y: b.y - d.y, w: b.w, h: b.h })) : [];
  }

  onWelcome(msg: Msg<'welcome'>): void {
    this.welcome = msg;
    this.sessionId = msg.sessionId ?? null;
    this.d.relay.fromServer(msg);
    if (!this.sessionId) return;
    this.d.up.send(systemInfo(this.sessionId, this.d.displays(), this.disclosed));
    // After a reconnect the server hears the current grant again (nothing to say before the first decision).
    const s = this.d.consent.snapshot;
    if (s.epoch > 0) this.d.up.send({ t: 'grant', sessionId: this.sessionId, grant: s.grant, epoch: s.epoch, reps: s.reps, apps: s.apps });
    // Frames in flight were lost with the old socket: start the picture over.
    if (s.grant !== 'none') this.d.capture.refresh();
  }

  onServerMessage(msg: Message): void {
    if (this.ended && msg.t !== 'event' && msg.t !== 'ack' && msg.t !== 'done') { this.d.relay.fromServer(msg); return; }
    if ('sessionId' in msg && msg.sessionId !== undefined && this.sessionId && msg.sessionId !== this.sessionId) return;
    if (isInput(msg)) return this.onInput(msg);
    switch (msg.t) {
      // Only viewers the grant covers pace or restart the stream.
      case 'frame.ack': if (this.covered(msg.from)) this.d.capture.ack(msg.seq); return;
      case 'frame.refresh':
        if (!this.covered(msg.from)) return;
        this.d.capture.video = this.videoViewers.refresh(msg);
        this.d.capture.refresh(msg.display);
        return;
      case 'grant': return; // A grant is the customer's, given in this agent only; never taken from the network.
      case 'ping': this.d.up.send({ t: 'pong', ts: msg.ts }); return;
      case 'event':
        this.seenSeq = Math.max(this.seenSeq, msg.seq);
        // Left after the grant was made: even if back in the session by now (hold, then picked
        // up again while this agent was offline), the grant no longer covers them.
        if (msg.body.kind === 'system' && msg.body.code === 'rep.left' && msg.from.role === 'rep' && msg.from.id && msg.seq > this.grantSeq) this.uncover(msg.from.id);
        break;
      case 'session': {
        this.reps = msg.session.reps.map((r) => ({ id: r.id, name: r.name }));
        this.d.capture.video = this.videoViewers.keep((id) => this.reps.some((r) => r.id === id));
        this.narrowGrant();
        this.updateWatermark();
        const req = msg.session.screenRequest;
        if (req && req.id !== this.request?.id) this.d.onRequest?.(req, this.reps);
        this.request = req;
        if (msg.session.state === 'ended') this.d.onEnded(msg.session.endReason ?? 'the session ended');
        break;
      }
      case 'error':
        if (msg.code === 'ended') this.d.onEnded('the session ended');
        break;
      case 'diag.request':
        this.d.onDiagnostics?.(msg);
        break;
      case 'reboot.request':
        this.d.onReboot?.(msg);
        break;
      case 'reboot.ticket':
        this.d.onRebootTicket?.(msg);
        return; // the credential stays in the agent: never relayed to the window
    }
    this.d.relay.fromServer(msg);
  }

  private covered(from: { role: string; id?: string } | undefined): boolean {
    return from?.role === 'rep' && from.id !== undefined && this.d.consent.snapshot.reps.includes(from.id);
  }

  private onInput(msg: InputMessage): void {
    const repId = msg.from?.role === 'rep' ? msg.from.id : undefined;
    if (!this.d.consent.allowsInput(repId) || this.d.guard.paused) return;
    this.d.input.enqueue(msg);
  }

  /**
   * A rep left the session (hold, transfer, left): the grant no longer covers them, and sharing
   * ends when nobody it covers is left. The server's word can only narrow a grant, never widen it;
   * a rep who comes back needs a new grant.
   */
  private narrowGrant(): void {
    this.narrowTo((id) => this.reps.some((r) => r.id === id));
  }

  private uncover(repId: string): void {
    this.narrowTo((id) => id !== repId);
  }

  private narrowTo(keepRep: (id: string) => boolean): void {
    const s = this.d.consent.snapshot;
    if (s.grant === 'none') return;
    const keep = s.reps.filter(keepRep);
    if (keep.length === s.reps.length) return;
    this.d.consent.set(keep.length > 0 ? s.grant : 'none', keep, s.apps);
  }

  /**
   * The customer decided (prompt, join prompt, END SCREEN SHARE, CHANGE RELEASE, terminal).
   * `reps`: the reps the prompt named; the grant covers exactly those still in the session. Without
   * it a change keeps whom the current grant covers, and a first grant covers the reps in the
   * session now (what the prompt names).
   */
  async decide(grant: 'none' | 'view' | 'control', windows: number[] | 'same' | null = null, reps?: readonly string[]): Promise<void> {
    if (this.ended && grant !== 'none') return;
    // Refusing (or ending sharing) while a request is open answers it: the rep sees "declined".
    if (grant === 'none' && this.request && this.sessionId) {
      this.d.up.send({ t: 'screen.decline', sessionId: this.sessionId, requestId: this.request.id });
      this.request = null;
    }
    let apps: string[] | null = null;
    // 'same': keep the current window selection (a rep joined and the customer lets them in too).
    if (windows === 'same') windows = this.appIds;
    if (grant !== 'none' && windows && windows.length) {
      const all = await this.d.listWindows().catch(() => [] as AppWindow[]);
      const chosen = all.filter((w) => windows.includes(w.id));
      this.appIds = chosen.map((w) => w.id);
      this.appBoxes = chosen.map((w) => ({ x: w.x, y: w.y, w: w.w, h: w.h }));
      apps = chosen.map((w) => w.title);
    } else {
      this.appIds = null;
      this.appBoxes = [];
    }
    const now = this.d.consent.snapshot;
    const named = reps ?? (now.grant !== 'none' ? now.reps : this.reps.map((r) => r.id));
    const covered = named.filter((id) => this.reps.some((r) => r.id === id));
    // Nobody the customer named is still here: nothing to share with.
    this.d.consent.set(covered.length > 0 ? grant : 'none', covered, apps);
  }

  private applyGrant(s: GrantSnapshot, prev: GrantSnapshot): void {
    const { capture, input, guard } = this.d;
    this.grantSeq = this.seenSeq;
    if (s.grant === 'none') {
      capture.stop();
      guard.stop();
      void input.discard();
      this.stopAppTracking();
    } else {
      if (s.grant !== 'control') { guard.stop(); void input.discard(); } else guard.start();
      // New window selection or whole screen: start over with full frames.
      if (prev.grant !== 'none' && JSON.stringify(prev.apps) !== JSON.stringify(s.apps)) capture.stop();
      // Sharing starts: the rep gets the full system information and the current monitor layout first.
      if (prev.grant === 'none' && (this.d.reloadDisplays?.() || !this.disclosed) && this.sessionId) {
        this.disclosed = true;
        this.d.up.send(systemInfo(this.sessionId, this.d.displays(), true));
      }
      capture.start();
      if (this.appIds) this.startAppTracking(); else this.stopAppTracking();
    }
    this.updateWatermark();
    if (!this.sessionId) return;
    const msg: Msg<'grant'> = { t: 'grant', sessionId: this.sessionId, grant: s.grant, epoch: s.epoch, reps: s.reps, apps: s.apps };
    this.d.up.send(msg);
    this.d.relay.grantChanged(msg);
    const text = s.grant === 'none' ? 'Screen sharing ended' : s.grant === 'view' ? 'Screen shared (view only)' : 'Shared control allowed';
    this.d.log?.(text + (s.apps ? ` — applications: ${s.apps.join(', ')}` : ''));
  }

  // Shared windows move; follow them so the mask and the input filter stay right.
  private startAppTracking(): void {
    if (this.appTimer) return;
    this.appTimer = setInterval(() => {
      void this.d.listWindows().then((all) => {
        if (!this.appIds) return;
        this.appBoxes = all.filter((w) => this.appIds!.includes(w.id)).map((w) => ({ x: w.x, y: w.y, w: w.w, h: w.h }));
      }).catch(() => {});
    }, 500);
  }

  private stopAppTracking(): void {
    if (this.appTimer) clearInterval(this.appTimer);
    this.appTimer = null;
  }

  private updateWatermark(): void {
    const wm = this.d.watermark;
    if (!wm) return;
    const on = this.d.consent.sharing && this.welcome?.customer?.watermark === true && !this.ended;
    const names = this.reps.filter((r) => this.d.consent.snapshot.reps.includes(r.id)).map((r) => r.name);
    (on ? wm.show(watermarkText(names, this.companyName)) : wm.hide()).catch((e) => this.d.log?.(`watermark: ${(e as Error).message}`));
  }

  /** Input paused because the customer moved the pointer: drop what's queued, tell the reps. */
  customerMoved(untilMs: number): void {
    this.pausedUntil = untilMs;
    void this.d.input.discard();
    if (this.sessionId) {
      const msg: Msg<'input.paused'> = { t: 'input.paused', sessionId: this.sessionId, untilMs };
      this.d.up.send(msg);
      this.d.relay.fromServer(msg);
    }
  }

  /** Stop everything that touches the screen; announce `none`. */
  shutdown(): void {
    this.ended = true;
    if (this.d.consent.sharing) this.d.consent.set('none', []);
    else { this.d.capture.stop(); this.d.guard.stop(); void this.d.input.discard(); }
    this.stopAppTracking();
    this.updateWatermark();
  }

  say(text: string): void {
    if (this.sessionId) this.d.up.sendReliable({ t: 'chat', sessionId: this.sessionId, id: newClientId(), text }).catch(() => {});
  }
}
