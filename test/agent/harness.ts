// Everything an agent e2e test needs, real parts only: Xvfb, the server, a rep and a customer
// (real WebSocket clients), an xterm with a known colour, and the agent process itself with its
// local window API (driven the way the window does it: token URL, Origin header). teardown()
// kills and removes all of it, also after a failure.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newClientId, type Msg, type Rect } from '../../protocol/index.ts';
import { applyRects, StreamContexts, type RgbaImage } from '../helpers/frame-decoder.ts';
import { agentKey, createKey, joinSession, loginRep, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';
import { startXvfb, x, type Xvfb } from '../helpers/xvfb.ts';
import { nodeEntry } from '../helpers/bundles.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface AgentProc {
  proc: ChildProcess;
  windowUrl: string;
  output(): string;
  exited: Promise<number | null>;
  kill(): Promise<void>;
}

export async function startAgent(server: TestServer, key: string, display: string, opts: { tmp: string; env?: Record<string, string>; exec?: string; args?: string[]; browser?: boolean; sea?: boolean }): Promise<AgentProc> {
  const exec = opts.exec ?? process.execPath;
  // A packaged agent (sea) is the program itself; otherwise node runs agent/main.ts from source.
  const proc = spawn(exec, [...(opts.sea ? [] : nodeEntry('agent')), '--server', server.url, ...(opts.browser ? [] : ['--no-browser']), ...(opts.args ?? ['--key', key])], {
    cwd: root,
    env: { ...process.env, DISPLAY: display, TMPDIR: opts.tmp, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => { out += d; if (process.env.AGENT_VERBOSE) process.stderr.write(d); });
  proc.stderr!.on('data', (d) => { out += d; if (process.env.AGENT_VERBOSE) process.stderr.write(d); });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  await until(() => /Agent window: (\S+)/.test(out) || proc.exitCode !== null, 30_000, 'the agent window address');
  const m = /Agent window: (\S+)/.exec(out);
  if (!m) throw new Error(`agent did not start:\n${out}`);
  return {
    proc, windowUrl: m[1], output: () => out, exited,
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** The agent's loopback window API, called the way the window's page calls it. */
export function windowApi(url: string) {
  const origin = new URL(url).origin;
  return {
    async consent(grant: 'none' | 'view' | 'control', windows: number[] | null = null): Promise<{ grant: string; epoch: number }> {
      const r = await fetch(url + 'consent', { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ grant, windows }) });
      if (!r.ok) throw new Error(`consent: ${r.status}`);
      return (await r.json()) as { grant: string; epoch: number };
    },
    async windows(): Promise<Array<{ id: number; title: string; x: number; y: number; w: number; h: number }>> {
      return (await (await fetch(url + 'windows')).json()) as Array<{ id: number; title: string; x: number; y: number; w: number; h: number }>;
    },
  };
}

/** A rep-side screen: applies every frame of display 0 and acks it (as the console does). */
export class RepScreen {
  image: RgbaImage | null = null;
  frames: Msg<'frame'>[] = [];
  bytes = 0;
  /** Frames this screen could not apply because its stream context was out of step (it joined late, a frame was dropped). */
  outOfStep = 0;
  private chain = Promise.resolve();
  private readonly streams = new StreamContexts();
  private awaitingReset = false;

  private seen: number;
  private readonly timer: ReturnType<typeof setInterval>;

  // Reads the rep client's recorded messages as they arrive (polled: the client records them).
  constructor(readonly rep: TestClient, readonly sessionId: string, autoAck = true) {
    this.seen = rep.messages.length;
    this.timer = setInterval(() => {
      while (this.seen < rep.messages.length) {
        const m = rep.messages[this.seen++];
        if (m.t !== 'frame' || m.sessionId !== sessionId) continue;
        this.frames.push(m);
        this.bytes += rectBytes(m.rects);
        this.chain = this.chain.then(async () => {
          if (!this.image || this.image.width !== m.w || this.image.height !== m.h) this.image = { width: m.w, height: m.h, data: Buffer.alloc(m.w * m.h * 4) };
          // As the console does: out of step, ask for a refresh once and skip frames until it resets the context.
          let stream;
          try { stream = this.streams.frame(m); } catch { stream = null; }
          if (m.z === 0) this.awaitingReset = false;
          if (stream && !this.awaitingReset) await applyRects(this.image, m.rects, stream);
          else {
            this.outOfStep++;
            if (!this.awaitingReset) rep.conn.send({ t: 'frame.refresh', sessionId });
            this.awaitingReset = true;
          }
          if (autoAck) rep.conn.send({ t: 'frame.ack', sessionId, seq: m.seq });
        });
      }
    }, 5);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  settled(): Promise<void> {
    return this.chain;
  }

  pixel(x: number, y: number): number {
    const i = (y * this.image!.width + x) * 4;
    const d = this.image!.data;
    return (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
  }
}

export function rectBytes(rects: Rect[]): number {
  return rects.reduce((n, r) => n + ('data' in r ? r.data.byteLength : 0) + ('colors' in r ? r.colors.byteLength : 0), 0);
}

export function spawnX(display: string, cmd: string, args: string[]): ChildProcess {
  const p = spawn(cmd, args, { env: { ...process.env, DISPLAY: display }, stdio: 'ignore' });
  p.on('error', () => {});
  return p;
}

/** Starts an xterm and waits for its window; returns the X window id. Retries when xterm dies
 *  at start (it can lose a race with the X server's reset after the last client left). */
export async function startXterm(w: World, args: string[]): Promise<string> {
  let err = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const p = spawn('xterm', args, { env: { ...process.env, DISPLAY: w.xvfb.display }, stdio: ['ignore', 'ignore', 'pipe'] });
    p.stderr!.on('data', (d) => (err += d));
    p.on('error', (e) => (err += String(e)));
    w.procs.push(p);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && p.exitCode === null) {
      try {
        const id = x(w.xvfb.display, 'xdotool', ['search', '--all', '--pid', String(p.pid), '--class', 'xterm']).trim().split('\n')[0];
        if (id) return id;
      } catch { /* not mapped yet */ }
      await sleep(100);
    }
    try { p.kill('SIGKILL'); } catch { /* gone */ }
  }
  throw new Error(`xterm did not start: ${err}`);
}

export interface World {
  xvfb: Xvfb;
  server: TestServer;
  rep: TestClient;
  customer: TestClient;
  sessionId: string;
  /** An agent key minted from the customer's token, as the chat's "Share my screen" does: good for
   *  one agent start (or download, then start) within `sessionKeys.agentValiditySec`. */
  key: string;
  /** The customer's session token (agentKey(w.server, w.token) mints another agent key). */
  token: string;
  repId: string;
  tmp: string;
  agent: AgentProc | null;
  procs: ChildProcess[];
  teardown(): Promise<void>;
}

/** Xvfb + server + a rep who accepted the session a customer opened with a key. No agent yet. */
export async function world(opts: { width?: number; height?: number; config?: object; key?: object; customerAgrees?: boolean; packagedAgent?: boolean } = {}): Promise<World> {
  const tmp = mkdtempSync(join(tmpdir(), 'bridge-agent-e2e-'));
  const procs: ChildProcess[] = [];
  let xvfb: Xvfb | null = null;
  let server: TestServer | null = null;
  const clients: TestClient[] = [];
  const w = { agent: null as AgentProc | null };
  const teardown = async () => {
    await w.agent?.kill().catch(() => {});
    for (const c of clients) { try { c.close(); } catch { /* closed */ } }
    for (const p of procs) { try { p.kill('SIGKILL'); } catch { /* gone */ } }
    await server?.stop().catch(() => {});
    await xvfb?.stop().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    xvfb = await startXvfb(opts.width ?? 1280, opts.height ?? 720);
    // w.key is minted here, and some tests package the agent before they start it: let it live an
    // hour. Tests chat at machine speed, far above a person's message budget.
    server = await startServer({ config: { sessionKeys: { agentValiditySec: 3600 }, rateLimit: { messageBurst: 1000 }, ...opts.config }, packagedAgent: opts.packagedAgent });
    const cookie = await loginRep(server);
    const k = await createKey(server, cookie, opts.key ?? {});
    const joined = await joinSession(server, k.key, 'customer', 'Test Customer');
    const customer = wsClient(server, 'customer', joined.token);
    clients.push(customer);
    await customer.ready;
    // As in the browser chat: the customer accepted the site's agreement before starting the agent.
    if (opts.customerAgrees !== false) await customer.conn.sendReliable({ t: 'agreement', sessionId: k.sessionId, id: newClientId(), accepted: true });
    const rep = wsClient(server, 'rep', '', { cookie });
    clients.push(rep);
    const welcome = await rep.ready;
    rep.conn.send({ t: 'accept', sessionId: k.sessionId });
    await rep.waitFor((m) => m.t === 'session' && m.session.id === k.sessionId && m.session.state === 'active', 10_000);
    // The customer chose "Share my screen": the agent's key comes from the customer's token.
    const key = await agentKey(server, joined.token);
    const s = xvfb, srv = server;
    return Object.assign(w, { xvfb: s, server: srv, rep, customer, sessionId: k.sessionId, key, token: joined.token, repId: welcome.participantId, tmp, procs, teardown });
  } catch (e) {
    await teardown();
    throw e;
  }
}

/** Starts the agent in the world and waits until the rep sees it (sysinfo). */
export async function withAgent(w: World, env: Record<string, string> = {}): Promise<AgentProc> {
  w.agent = await startAgent(w.server, w.key, w.xvfb.display, { tmp: w.tmp, env });
  await w.rep.waitFor((m) => m.t === 'sysinfo' && m.sessionId === w.sessionId, 20_000);
  return w.agent;
}

export function agentTempDirs(tmp: string): string[] {
  return existsSync(tmp) ? readdirSync(tmp).filter((n) => n.startsWith('bridge-agent-')) : [];
}

/** One pixel of the X screen as ImageMagick's `import` sees it (independent of the agent). */
export function screenPixel(w: World, px: number, py: number): number {
  const raw = execFileSync('import', ['-window', 'root', '-crop', `1x1+${px}+${py}`, '-depth', '8', 'rgb:-'], { env: { ...process.env, DISPLAY: w.xvfb.display } });
  return (raw[0] << 16) | (raw[1] << 8) | raw[2];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
