// Wires one agent run together and owns its lifecycle: join, connect, local window, and the
// single clean end (stop capture and input, revoke grants, close the window, remove temp
// files and, when packaged, the binary itself; exit code 0).
import { join } from 'node:path';
import WebSocket from 'ws';
import { Connection, HttpError, JoinResponse, MAX_BULK_BYTES, printable, type ConnectionStatus, type Message, type Msg, type SocketLike } from '../protocol/index.ts';
import * as v from 'valibot';
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
  noBrowser: boolean;
  terminal: boolean;
  /** Window reload grace: closing the window ends the session after this. */
  windowGraceMs?: number;
  /** Server unreachable this long → the session ends. */
  serverGraceMs?: number;
  /** After the session ended, how long an open window may stay for the survey and transcript. */
  lingerMs?: number;
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

export async function runAgent(o: AgentOptions): Promise<void> {
  const log = (s: string) => console.log(`[bridge-agent] ${printable(s)}`); // lines may quote the server
  log(`temp dir ${tempDir()}`); // everything the agent writes goes here, and is removed at the end
  const joined = await joinSession(o.server, o.key);
  log(`joined session ${joined.sessionId}`);

  const changes = await x11Damage();
  const source = withRegionCapture(new MonitorSource(), changes?.regions);
  const consent = new Consent();
  let session!: AgentSession;
  let conn!: Connection;
  const up = {
    send: (m: Message) => conn.send(m),
    sendReliable: (m: Parameters<Connection['sendReliable']>[0]) => conn.sendReliable(m),
  };
  const capture = new CaptureLoop({
    source,
    changes,
    makeEncoder: o.makeEncoder,
    send: (f) => { if (session.sessionId) conn.send({ t: 'frame', sessionId: session.sessionId, ...f }); },
    mask: (display, frame) => { const boxes = session.mask(display); if (boxes) maskOutside(frame, boxes); },
  });
  const guard = new PointerGuard({ onCustomerMove: (until) => session.customerMoved(until) });
  capture.onError = (e) => log(`capture failed (retrying): ${e.message}`);
  const input = new InputInjector({ displays: () => source.displays(), allowedAt: (x, y) => session.allowedAt(x, y), keysAllowed: (p) => session.keysAllowed(p), guard });
  const platformMark = createWatermark();
  const watermark = platformMark ? new WatermarkGate(platformMark) : null;
  const primaryArea = () => { const d = source.displays().find((x) => x.primary) ?? source.displays()[0]; return d ? { x: d.x, y: d.y, w: d.w, h: d.h, scale: d.scale } : null; };

  let ending = false;
  let finished = false;
  let windowSeen = false;
  let windowTimer: ReturnType<typeof setTimeout> | null = null;
  let opened: OpenedWindow | null = null;
  let terminal: TerminalUi | null = null;
  let lingerTimer: ReturnType<typeof setTimeout> | null = null;

  const relay = new WindowRelay(up, (m) => {
    windowServer.broadcast(m);
    terminal?.message(m);
    // A nudge brings the window forward (the page shakes and chimes itself).
    if (m.t === 'event' && m.body.kind === 'nudge' && m.from.role === 'rep') void opened?.raise();
  }, (reason) => void end(reason, false), new Downloads(tempDir, defaultDownloadsDir, log));

  session = new AgentSession({
    up, consent, capture, input, guard, relay, watermark,
    displays: () => source.displays(),
    reloadDisplays: () => source.reload(),
    listWindows,
    focusedWindow,
    onEnded: (reason) => void end(reason, false),
    onRequest: (req, covers) => terminal?.request(req.want, req.repName, covers),
    log,
  });

  const windowServer = new WindowServer(windowAssets(isSea()), {
    info: () => ({ sessionId: joined.sessionId, shortcut: END_SHARE_SHORTCUT.label }),
    state: () => {
      const s = consent.snapshot;
      return { grant: s.grant, epoch: s.epoch, apps: s.apps, pausedUntil: session.pausedUntil, reps: session.repList };
    },
    windows: () => listWindows().catch(() => []),
    consent: (req) => void session.decide(req.grant, req.windows ?? null, req.reps),
    close: () => void (ending ? finish() : end('the customer closed the agent window', true).then(() => finish())),
    transcript: async () => {
      const r = await fetch(new URL(`/api/sessions/${encodeURIComponent(joined.sessionId)}/transcript?format=txt`, o.server), { headers: { authorization: `Bearer ${joined.token}` } });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return await r.text();
    },
    message: (m, client) => relay.fromWindow(m, client),
    clientsChanged: (n) => {
      if (n > 0) {
        if (!windowSeen) log('window connected');
        windowSeen = true;
        if (windowTimer) clearTimeout(windowTimer);
        windowTimer = null;
        return;
      }
      if (!windowSeen) return;
      // Closing the window ends the session; a reload reconnects within the grace.
      windowTimer = setTimeout(() => {
        if (windowServer.clientCount > 0) return;
        if (ending) void finish();
        else void end('the customer closed the agent window', true);
      }, o.windowGraceMs ?? 5000);
    },
  });
  await windowServer.listen();
  log(`Agent window: ${windowServer.url}`);

  const end = async (reason: string, tellServer: boolean): Promise<void> => {
    if (ending) return;
    ending = true;
    log(`session ending: ${reason}`);
    session.shutdown();
    // Sharing is over now, though the window may stay for the survey: so is the watermark.
    void watermark?.setOpen(false);
    if (tellServer && session.sessionId) conn.send({ t: 'end', sessionId: session.sessionId, reason: reason.slice(0, 200) });
    terminal?.close();
    // An open window stays for the exit survey and transcript; its closing finishes the run.
    if (windowServer.clientCount > 0 && opened?.kind !== 'none') {
      lingerTimer = setTimeout(() => void finish(), o.lingerMs ?? 10 * 60_000);
      return;
    }
    await finish();
  };

  const finish = async (): Promise<void> => {
    if (finished) return;
    finished = true;
    if (lingerTimer) clearTimeout(lingerTimer);
    session.shutdown();
    await new Promise((r) => setTimeout(r, 100)); // let the last `grant none` and `end` leave
    await watermark?.close().catch(() => {});
    changes?.close();
    await windowServer.close().catch(() => {});
    await opened?.close();
    conn.close();
    removeTempFiles();
    removeNativeAssets();
    if (isPackaged()) deleteOwnBinary(process.execPath, [nativeTempDir()].filter((d): d is string => d !== null));
    log('session ended; agent files removed');
    process.exit(0);
  };

  const onSignal = () => void end('the agent was stopped', true).then(() => finish());
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const wsUrl = new URL('/ws/agent', o.server);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  conn = new Connection({
    url: wsUrl.toString(),
    role: 'agent',
    credential: joined.token,
    client: { name: 'bridge-agent', version: AGENT_VERSION, platform: `${process.platform}-${process.arch}` },
    createSocket: (u) => new WebSocket(u, { maxPayload: MAX_BULK_BYTES }) as unknown as SocketLike,
    giveUpAfterMs: o.serverGraceMs ?? 60_000,
    onWelcome: (w: Msg<'welcome'>) => {
      session.onWelcome(w);
      // Back online under a grant that still stands (docs/ARCHITECTURE.md, agent runtime "Watermark").
      if (ending) return;
      void watermark?.setOpen(true);
      if (consent.sharing) capture.start();
    },
    onMessage: (m) => session.onServerMessage(m),
    onStatus: (s: ConnectionStatus, err) => {
      if (s === 'closed' && !ending) void end(err ? `server: ${err.message}` : 'the server connection closed', false).then(() => finish());
      else if (s === 'offline') {
        log('server connection lost; reconnecting');
        // Nothing reaches the rep now: stop capturing and take the watermark down until back.
        capture.stop();
        void watermark?.setOpen(false);
      }
    },
  });

  if (o.terminal || (!o.noBrowser && (opened = openWindow(windowServer.url, join(tempDir(), 'browser'), primaryArea())).kind === 'none')) {
    if (process.stdin.isTTY) {
      terminal = new TerminalUi({ decide: (g, reps) => void session.decide(g, null, reps), endSession: () => void end('the customer ended the session', true), say: (t) => session.say(t) });
      terminal.start();
    } else {
      log('No browser and no terminal: open the agent window address above to allow screen sharing.');
    }
  }
  if (opened) log(`window: ${opened.kind === 'app' ? 'app-mode browser window' : opened.kind === 'default' ? 'default browser' : 'none'}`);
}
