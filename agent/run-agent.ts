// Wires one agent run together and owns its lifecycle: join, connect, local window, and the
// single clean end (stop capture and input, revoke grants, close the window, remove temp
// files and, when packaged, the binary itself; exit code 0).
import { join } from 'node:path';
import WebSocket from 'ws';
import { Connection, HttpError, JoinResponse, MAX_BULK_BYTES, printable, type ConnectionStatus, type Message, type Msg, type SocketLike } from '../protocol/index.ts';
import * as v from 'valibot';
import { localZone } from '../protocol/i18n/intl.ts';
import { maskOutside } from './app-sharing/mask.ts';
import { windowAssets } from './window/host/assets.ts';
import { CaptureLoop, type Encoder } from './capture/capture-loop.ts';
import { deleteOwnBinary, removeTempFiles, tempDir } from './runtime/cleanup.ts';
import { x11Damage } from './capture/damage.ts';
import { withRegionCapture } from './capture/region-capture.ts';
import { focusedWindow } from './app-sharing/focused-window.ts';
import { Consent } from './session/consent.ts';
import { defaultDownloadsDir, Downloads } from './session/downloads.ts';
import { InputInjector } from './input/input-injector.ts';
import { isPackaged, isSea, nativeTempDir, removeNativeAssets } from './runtime/sea.ts';
import { openWindow, type OpenedWindow } from './window/host/open-browser.ts';
import { PointerGuard } from './input/pointer-guard.ts';
import { MonitorSource } from './capture/screen-source.ts';
import { AgentSession } from './session/agent-session.ts';
import { TerminalUi } from './session/terminal-ui.ts';
import { DiagnosticsDesk } from './session/diagnostics.ts';
import { RebootDesk } from './session/reboot.ts';
import { prepareRestart } from './reboot/restart-plan.ts';
import { powerCommand, powerFromEnv } from './reboot/power.ts';
import { tellCustomer } from './reboot/tell-customer.ts';
import { platformSteps, runDiagnostics } from './diagnostics/index.ts';
import { AGENT_VERSION } from './runtime/version.ts';
import { listWindows } from './app-sharing/window-list.ts';
import { WindowRelay } from './window/host/relay.ts';
import { WindowServer } from './window/host/server.ts';
import { END_SHARE_SHORTCUT } from './window/local-api.ts';
import { createWatermark } from './watermark/index.ts';
import { WatermarkGate } from './watermark/gate.ts';

export interface AgentOptions {
  server: string;
  key: string;
  makeEncoder: () => Encoder;
  /** Photo quality from the link estimate (CaptureOptions.linkBudget). */
  linkBudget?: boolean;
  noBrowser: boolean;
  terminal: boolean;
  /** Window reload grace: closing the window ends the session after this. */
  windowGraceMs?: number;
  /** Server unreachable this long → the session ends. */
  serverGraceMs?: number;
  /** After the session ended, how long an open window may stay for the survey and transcript. */
  lingerMs?: number;
  /** Already joined: the agent came back after a restart (docs/ARCHITECTURE.md, "Reboot and reconnect"). */
  joined?: JoinResponse;
}

export class JoinFailure extends Error {}

async function joinSession(server: string, key: string): Promise<JoinResponse> {
  let res: Response;
  try {
    res = await fetch(new URL('/api/sessions/join', server), {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key, role: 'agent', platform: `${process.platform}-${process.arch}` }),
    });
  } catch (e) {
    throw new JoinFailure(`Cannot reach the support server at ${server}: ${(e as Error).message}`);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = v.safeParse(HttpError, body);
    const why = err.success ? err.output.error.message : `HTTP ${res.status}`;
    // The server's text says what to do next (an agent key is single-use and short-lived: a used
    // or expired one means downloading the program again from the chat).
    throw new JoinFailure(res.status === 404 ? `The key ${key} is not known. Download the program again from the support chat ("Share my screen"), or check the key with your representative.` : `Could not join the session: ${why}`);
  }
  const parsed = v.safeParse(JoinResponse, body);
  if (!parsed.success) throw new JoinFailure('The server answered the join request with something unexpected.');
  return parsed.output;
}

const log = (s: string) => console.log(`[bridge-agent] ${printable(s)}`); // lines may quote the server

export async function runAgent(o: AgentOptions): Promise<void> {
  log(`temp dir ${tempDir()}`); // everything the agent writes goes here, and is removed at the end
  const joined = o.joined ?? (await joinSession(o.server, o.key));
  log(`joined session ${joined.sessionId}`);
  await new AgentRun(o, joined, await x11Damage()).start();
}

/** One run: the parts of the agent, its connection and window, and the single clean end. */
class AgentRun {
  private readonly source: ReturnType<typeof withRegionCapture>;
  private readonly consent = new Consent();
  private readonly capture: CaptureLoop;
  private readonly watermark: WatermarkGate | null;
  private readonly relay: WindowRelay;
  private readonly session: AgentSession;
  private readonly windowServer: WindowServer;
  private conn!: Connection;
  private ending = false;
  private finished = false;
  private windowSeen = false;
  private windowTimer: ReturnType<typeof setTimeout> | null = null;
  private lingerTimer: ReturnType<typeof setTimeout> | null = null;
  private opened: OpenedWindow | null = null;
  private terminal: TerminalUi | null = null;
  private readonly diagnostics: DiagnosticsDesk;
  private readonly reboot: RebootDesk;
  /** Leaving for a restart: the session goes on without this process. */
  private restarting = false;

  constructor(private readonly o: AgentOptions, private readonly joined: JoinResponse, private readonly changes: Awaited<ReturnType<typeof x11Damage>>) {
    this.source = withRegionCapture(new MonitorSource(), changes?.regions);
    const up = {
      send: (m: Message) => this.conn.send(m),
      sendReliable: (m: Parameters<Connection['sendReliable']>[0]) => this.conn.sendReliable(m),
    };
    this.capture = new CaptureLoop({
      source: this.source,
      changes,
      makeEncoder: o.makeEncoder,
      linkBudget: o.linkBudget,
      send: (f) => { if (this.session.sessionId) this.conn.send({ t: 'frame', sessionId: this.session.sessionId, ...f }); },
      mask: (display, frame) => { const boxes = this.session.mask(display); if (boxes) maskOutside(frame, boxes); return !!boxes; },
    });
    this.capture.onError = (e) => log(`capture failed (retrying): ${e.message}`);
    const guard = new PointerGuard({ onCustomerMove: (until) => this.session.customerMoved(until) });
    const input = new InputInjector({ displays: () => this.source.displays(), allowedAt: (x, y) => this.session.allowedAt(x, y), keysAllowed: (p) => this.session.keysAllowed(p), guard });
    const platformMark = createWatermark();
    this.watermark = platformMark ? new WatermarkGate(platformMark) : null;
    this.relay = new WindowRelay(up, (m) => this.toWindow(m), (reason) => void this.end(reason, false), new Downloads(tempDir, defaultDownloadsDir, log));
    this.diagnostics = new DiagnosticsDesk({
      up,
      steps: () => platformSteps({ server: o.server, displays: () => this.source.displays() }),
      run: (steps) => runDiagnostics(steps),
      onAsk: (ask) => this.terminal?.diagnostics(ask),
      log,
    });
    this.reboot = new RebootDesk({ up, onTicket: (t) => void this.restartComputer(t), onAsk: (ask) => this.terminal?.reboot(ask), log });
    this.session = new AgentSession({
      up, consent: this.consent, capture: this.capture, input, guard, relay: this.relay, watermark: this.watermark,
      displays: () => this.source.displays(),
      reloadDisplays: () => this.source.reload(),
      listWindows,
      focusedWindow,
      onEnded: (reason) => void this.end(reason, false),
      onRequest: (req, covers) => this.terminal?.request(req.want, req.repName, covers),
      onDiagnostics: (req) => this.diagnostics.request(req),
      onReboot: (req) => this.reboot.request(req),
      onRebootTicket: (t) => this.reboot.ticket(t),
      log,
    });
    this.windowServer = new WindowServer(windowAssets(isSea()), {
      info: () => ({ sessionId: joined.sessionId, shortcut: END_SHARE_SHORTCUT.label }),
      state: () => {
        const c = this.consent.snapshot;
        return { grant: c.grant, epoch: c.epoch, apps: c.apps, pausedUntil: this.session.pausedUntil, reps: this.session.repList };
      },
      windows: () => listWindows().catch(() => []),
      consent: (req) => void this.session.decide(req.grant, req.windows ?? null, req.reps),
      diagnostics: () => this.diagnostics.ask,
      answerDiagnostics: (a) => this.diagnostics.answer(a.requestId, a.allow),
      reboot: () => this.reboot.ask,
      answerReboot: (a) => this.reboot.answer(a.requestId, a.answer),
      close: () => void (this.ending ? this.finish() : this.end('the customer closed the agent window', true).then(() => this.finish())),
      transcript: () => this.transcript(),
      message: (m, client) => this.relay.fromWindow(m, client),
      clientsChanged: (n) => this.onWindowClients(n),
    });
  }

  async start(): Promise<void> {
    await this.windowServer.listen();
    log(`Agent window: ${this.windowServer.url}`);
    // The restart itself stops the agent too: by then it has left without ending the session.
    const onSignal = () => { if (!this.restarting) void this.end('the agent was stopped', true).then(() => this.finish()); };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    this.connect();
    this.openUi();
  }

  private connect(): void {
    const wsUrl = new URL('/ws/agent', this.o.server);
    wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
    this.conn = new Connection({
      url: wsUrl.toString(),
      role: 'agent',
      credential: this.joined.token,
      client: { name: 'bridge-agent', version: AGENT_VERSION, platform: `${process.platform}-${process.arch}`, timeZone: localZone() },
      createSocket: (u) => new WebSocket(u, { maxPayload: MAX_BULK_BYTES }) as unknown as SocketLike,
      giveUpAfterMs: this.o.serverGraceMs ?? 60_000,
      onWelcome: (w) => this.onWelcome(w),
      onMessage: (m) => this.session.onServerMessage(m),
      onStatus: (s, err) => this.onStatus(s, err),
    });
  }

  /** The app-mode window, else the terminal; with neither, the customer opens the address. */
  private openUi(): void {
    const o = this.o;
    if (o.terminal || (!o.noBrowser && (this.opened = openWindow(this.windowServer.url, join(tempDir(), 'browser'), this.primaryArea())).kind === 'none')) {
      if (process.stdin.isTTY) {
        this.terminal = new TerminalUi({
          decide: (g, reps) => void this.session.decide(g, null, reps), endSession: () => void this.end('the customer ended the session', true), say: (t) => this.session.say(t),
          answerDiagnostics: (id, allow) => this.diagnostics.answer(id, allow),
          answerReboot: (id, answer) => this.reboot.answer(id, answer),
        });
        this.terminal.start();
      } else {
        log('No browser and no terminal: open the agent window address above to allow screen sharing.');
      }
    }
    if (this.opened) log(`window: ${this.opened.kind === 'app' ? 'app-mode browser window' : this.opened.kind === 'default' ? 'default browser' : 'none'}`);
  }

  private primaryArea() {
    const d = this.source.displays().find((x) => x.primary) ?? this.source.displays()[0];
    return d ? { x: d.x, y: d.y, w: d.w, h: d.h, scale: d.scale } : null;
  }

  /** What the server sends the customer reaches the window and the terminal. */
  private toWindow(m: Message): void {
    this.windowServer.broadcast(m);
    this.terminal?.message(m);
    // A nudge brings the window forward (the page shakes and chimes itself).
    if (m.t === 'event' && m.body.kind === 'nudge' && m.from.role === 'rep') void this.opened?.raise();
  }

  private async transcript(): Promise<string> {
    const r = await fetch(new URL(`/api/sessions/${encodeURIComponent(this.joined.sessionId)}/transcript?format=txt`, this.o.server), { headers: { authorization: `Bearer ${this.joined.token}` } });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return await r.text();
  }

  private onWindowClients(n: number): void {
    if (n > 0) {
      if (!this.windowSeen) log('window connected');
      this.windowSeen = true;
      if (this.windowTimer) clearTimeout(this.windowTimer);
      this.windowTimer = null;
      return;
    }
    if (!this.windowSeen) return;
    // Closing the window ends the session; a reload reconnects within the grace.
    this.windowTimer = setTimeout(() => {
      if (this.windowServer.clientCount > 0) return;
      if (this.ending) void this.finish();
      else void this.end('the customer closed the agent window', true);
    }, this.o.windowGraceMs ?? 5000);
  }

  private onWelcome(w: Msg<'welcome'>): void {
    this.session.onWelcome(w);
    // Back online under a grant that still stands (docs/ARCHITECTURE.md, agent runtime "Watermark").
    if (this.ending) return;
    void this.watermark?.setOpen(true);
    if (this.consent.sharing) this.capture.start();
  }

  private onStatus(s: ConnectionStatus, err?: Msg<'error'>): void {
    if (s === 'closed' && !this.ending) void this.end(err ? `server: ${err.message}` : 'the server connection closed', false).then(() => this.finish());
    else if (s === 'offline') {
      log('server connection lost; reconnecting');
      // Nothing reaches the rep now: stop capturing and take the watermark down until back.
      this.capture.stop();
      void this.watermark?.setOpen(false);
    }
  }

  private async end(reason: string, tellServer: boolean): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    log(`session ending: ${reason}`);
    this.session.shutdown();
    // Sharing is over now, though the window may stay for the survey: so is the watermark.
    void this.watermark?.setOpen(false);
    if (tellServer && this.session.sessionId) this.conn.send({ t: 'end', sessionId: this.session.sessionId, reason: reason.slice(0, 200) });
    this.terminal?.close();
    // An open window stays for the exit survey and transcript; its closing finishes the run.
    if (this.windowServer.clientCount > 0 && this.opened?.kind !== 'none') {
      this.lingerTimer = setTimeout(() => void this.finish(), this.o.lingerMs ?? 10 * 60_000);
      return;
    }
    await this.finish();
  }

  /**
   * The customer confirmed and the server sent the credential: keep it, write the one-time
   * start-up entry, then leave without ending the session (sharing stops, the window closes, the
   * program stays for the entry to start) and ask the system to restart or log out. A restart
   * that can't be prepared leaves nothing behind; one the system refuses leaves the entry, and the
   * customer is asked to restart by hand (docs/ARCHITECTURE.md, "Reboot and reconnect").
   */
  private async restartComputer(ticket: Msg<'reboot.ticket'>): Promise<void> {
    if (this.ending) return;
    let plan;
    try {
      plan = await prepareRestart(ticket, { server: this.o.server, noBrowser: this.o.noBrowser, terminal: this.o.terminal });
    } catch (e) {
      log(`could not prepare the restart: ${(e as Error).message}`);
      tellCustomer('Support session', 'The support program could not prepare the restart, so your computer was not restarted. Tell your representative in the chat.');
      return;
    }
    log(`start-up entry written (${plan.entry.kind === 'file' ? plan.entry.path : 'RunOnce'}); leaving for the ${ticket.answer}`);
    this.ending = true;
    this.restarting = true;
    this.session.shutdown();
    await new Promise((r) => setTimeout(r, 100)); // let the last `grant none` leave
    await cleanupStep('the watermark', 2000, () => this.watermark?.close());
    this.changes?.close();
    await cleanupStep('the window server', 2000, () => this.windowServer.close());
    await cleanupStep('the agent window', 6000, () => this.opened?.close());
    this.terminal?.close();
    this.conn.close();
    removeTempFiles();
    removeNativeAssets();
    try {
      await powerFromEnv().run(powerCommand(process.platform, ticket.answer));
      log(`${ticket.answer} requested`);
    } catch (e) {
      log(`the system refused the ${ticket.answer}: ${(e as Error).message}`);
      tellCustomer('Support session', `Please ${ticket.answer === 'restart' ? 'restart your computer' : 'log out and back in'} now: the support program comes back by itself afterwards.`);
    }
    process.exit(0);
  }

  private async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.session.shutdown();
    await new Promise((r) => setTimeout(r, 100)); // let the last `grant none` and `end` leave
    // Leaving is never held up by a part that doesn't answer (docs/ARCHITECTURE.md, "The agent").
    await cleanupStep('the watermark', 2000, () => this.watermark?.close());
    this.changes?.close();
    await cleanupStep('the window server', 2000, () => this.windowServer.close());
    await cleanupStep('the agent window', 6000, () => this.opened?.close());
    this.conn.close();
    removeTempFiles();
    removeNativeAssets();
    if (isPackaged()) deleteOwnBinary(process.execPath, [nativeTempDir()].filter((d): d is string => d !== null));
    log('session ended; agent files removed');
    process.exit(0);
  }
}

/** One step of the end, given `ms` to finish; a late or failing step is logged and left behind. */
async function cleanupStep(name: string, ms: number, work: () => Promise<unknown> | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), ms); });
  const done = Promise.resolve().then(work).then(
    () => 'done' as const,
    (e: unknown) => { log(`cleanup: closing ${name} failed (${(e as Error)?.message ?? e}); going on`); return 'done' as const; },
  );
  const r = await Promise.race([done, late]);
  clearTimeout(timer);
  if (r === 'late') log(`cleanup: closing ${name} took over ${ms} ms; going on without it`);
}
