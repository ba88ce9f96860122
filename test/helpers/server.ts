// A real Bridge server in a child process (so kill -9 is real) on an ephemeral port with a temp
// data dir, plus small clients for tests: HTTP, rep login, and WebSocket clients built on
// protocol's Connection.
//   const server = await startServer({ config: { orphan: { timeoutSec: 1 } } });
//   const cookie = await loginRep(server);
//   const rep = wsClient(server, 'rep', '', { cookie });  await rep.ready;
//   ...; rep.close(); await server.stop();
import { spawn, type ChildProcess } from 'node:child_process';
import { nodeEntry } from './bundles.ts';
import { installPackagedAgent, packagedAgentPort } from './packaged-agent.ts';
import { defaultTestStore, postgresDatabase, type TestStore } from './postgres.ts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { Connection, type ConnectionStatus, type SocketLike } from '../../protocol/connection.ts';
import type { Message, Msg, Role } from '../../protocol/messages/index.ts';
import { applyQueues, emptyQueueState } from '../../console/queue-view.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface StartOptions {
  /** Merged over the server's defaults (written to a config file). */
  config?: object;
  /** Reuse a data dir (it is then not removed by stop()). */
  dataDir?: string;
  env?: Record<string, string>;
  /** Build the browser bundles on start (npm test builds them once up front; default false). */
  build?: boolean;
  /** Print the server's output as it comes (debugging). */
  verbose?: boolean;
  /** Listen on this port (default: any free one). */
  port?: number;
  /** Where records live: the embedded SQLite file in the data dir, or a fresh database on the
   *  process's throwaway PostgreSQL (test/helpers/postgres.ts). Default: TEST_STORE, else sqlite. */
  store?: TestStore;
  /** Serve the run's packaged linux-x64 agent (test/helpers/packaged-agent.ts): the server then
   *  listens on the port that agent was built for. */
  packagedAgent?: boolean;
}

export interface TestServer {
  url: string;
  wsUrl: string;
  port: number;
  dataDir: string;
  /** The PostgreSQL URL the server stores into; null on SQLite. */
  databaseUrl: string | null;
  adminPassword: string;
  proc: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** Closes its wsClients, SIGTERM, waits for exit; removes the data dir unless it was given.
   *  Throws if the server sent any message that fails the protocol schema (BRIDGE_CHECK_OUTGOING). */
  stop(): Promise<void>;
  /** SIGKILL, wait for exit; keeps the data dir (for restart()). */
  kill9(): Promise<void>;
  /** Stops (if running) and starts again on the same data dir and port. */
  restart(): Promise<void>;
}

const live = new Set<ChildProcess>();
/** Clients per server, closed by stop() so no reconnect timer keeps a test process alive. */
const clients = new WeakMap<object, Set<TestClient>>();
/** Temp data dirs of servers not stopped yet: removed when the test process exits anyway. */
const tempDirs = new Set<string>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

function waitExit(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => proc.once('exit', () => resolve()));
}

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'bridge-test-'));
  if (ownDir) tempDirs.add(dataDir);
  const adminPassword = opts.env?.BRIDGE_ADMIN_PASSWORD ?? `test-${randomBytes(6).toString('hex')}`;
  const configFile = join(dataDir, 'test-config.json');
  writeFileSync(configFile, JSON.stringify(opts.config ?? {}));
  let out = '';
  let port = opts.port ?? 0;
  if (opts.packagedAgent) {
    const shared = await packagedAgentPort();
    port = shared.port;
    await installPackagedAgent(port, shared.cacheDir, join(dataDir, 'agents'));
  }
  let scheme = 'http';
  // One database for the server's whole life, restarts included (kill -9 keeps it, like the data dir).
  const databaseUrl = (opts.store ?? defaultTestStore()) === 'postgres' ? await postgresDatabase() : null;
  const storeEnv: Record<string, string> = databaseUrl ? { BRIDGE_DATABASE_URL: databaseUrl } : {};

  async function launch(): Promise<ChildProcess> {
    const proc = spawn(process.execPath, [...nodeEntry('server'), '--port', String(port), '--data-dir', dataDir, '--config', configFile], {
      cwd: root,
      env: { ...process.env, BRIDGE_SKIP_BUILD: opts.build ? '0' : '1', BRIDGE_CHECK_OUTGOING: '1', ...storeEnv, ...opts.env, BRIDGE_ADMIN_PASSWORD: adminPassword },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(proc);
    proc.on('exit', () => live.delete(proc));
    // Only this launch's output counts: a restart's earlier lines must not pass for its listening line.
    const from = out.length;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${out}`)), 30_000);
      const onData = (d: Buffer) => {
        out += d;
        if (opts.verbose) process.stderr.write(d);
        const m = /Bridge server listening on (\S+)/.exec(out.slice(from));
        if (m && proc.exitCode === null) {
          const u = new URL(m[1]);
          port = Number(u.port);
          scheme = u.protocol.replace(':', '');
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', (d: Buffer) => {
        out += d;
        if (opts.verbose) process.stderr.write(d);
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code} before listening:\n${out}`));
      });
    });
    return proc;
  }

  const server: TestServer = {
    url: '',
    wsUrl: '',
    port: 0,
    dataDir,
    databaseUrl,
    adminPassword,
    proc: await launch(),
    output: () => out,
    async stop() {
      for (const c of clients.get(server) ?? []) c.close();
      server.proc.kill('SIGTERM');
      const t = setTimeout(() => server.proc.kill('SIGKILL'), 5000);
      await waitExit(server.proc);
      clearTimeout(t);
      if (ownDir) {
        rmSync(dataDir, { recursive: true, force: true });
        tempDirs.delete(dataDir);
      }
      // A message the server built that clients would drop as invalid is a server bug.
      const bad = out.split('\n').filter((l) => l.includes('[bridge] invalid outgoing'));
      if (bad.length) throw new Error(`the server sent messages that fail the protocol schema:\n${bad.slice(0, 5).join('\n')}`);
    },
    async kill9() {
      server.proc.kill('SIGKILL');
      await waitExit(server.proc);
    },
    async restart() {
      if (server.proc.exitCode === null && server.proc.signalCode === null) {
        server.proc.kill('SIGTERM');
        await waitExit(server.proc);
      }
      server.proc = await launch();
      setUrls();
    },
  };
  function setUrls() {
    server.port = port;
    server.url = `${scheme}://127.0.0.1:${port}`;
    server.wsUrl = `${scheme === 'https' ? 'wss' : 'ws'}://127.0.0.1:${port}`;
  }
  setUrls();
  return server;
}

// ---- HTTP

export interface ApiResult<T = any> { status: number; body: T; headers: Headers }

/** JSON request against the server; never throws on 4xx/5xx. */
export async function api<T = any>(server: Pick<TestServer, 'url'>, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
  const res = await fetch(server.url + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = JSON.parse(text); } catch { /* text body */ }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Logs a rep in; returns the cookie header value ("bridge_rep=..."). Defaults to the admin. */
export async function loginRep(server: TestServer, username = 'admin', password = server.adminPassword): Promise<string> {
  const r = await api(server, 'POST', '/api/rep/login', { username, password });
  if (r.status !== 200) throw new Error(`login of ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
  const set = r.headers.get('set-cookie') ?? '';
  const m = /bridge_rep=[^;]+/.exec(set);
  if (!m) throw new Error('no bridge_rep cookie in the login answer');
  return m[0];
}

/** A session key from a logged-in rep. */
export async function createKey(server: TestServer, cookie: string, body: object = {}): Promise<{ key: string; url: string; accessKey: string; sessionId: string; expiresAt: number }> {
  const r = await api(server, 'POST', '/api/session-keys', body, { cookie });
  if (r.status !== 200) throw new Error(`session key: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Join with a session key as the customer (default), or with an agent key as the agent (see joinAgent) → the session token. */
export async function joinSession(server: TestServer, key: string, role: 'customer' | 'agent' = 'customer', name: string | undefined = role === 'customer' ? 'Test Customer' : undefined): Promise<{ token: string; sessionId: string }> {
  const r = await api(server, 'POST', '/api/sessions/join', { key, role, name });
  if (r.status !== 200) throw new Error(`join: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** An agent key the way the chat gets one ("Share my screen"): the customer's token → POST /api/sessions/agent-key. */
export async function agentKey(server: Pick<TestServer, 'url'>, customerToken: string): Promise<string> {
  const r = await api(server, 'POST', '/api/sessions/agent-key', {}, { authorization: `Bearer ${customerToken}` });
  if (r.status !== 200) throw new Error(`agent key: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.key;
}

/** Joins as the agent the way a real one does: a fresh agent key from the customer's token, spent on the join. */
export async function joinAgent(server: TestServer, customerToken: string, name?: string): Promise<{ token: string; sessionId: string }> {
  return joinSession(server, await agentKey(server, customerToken), 'agent', name);
}

/** Creates a rep (and optionally teams) through the admin API; returns its id. */
export async function createRep(server: TestServer, adminCookie: string, rep: { username: string; password: string; name: string; teamIds?: string[]; isAdmin?: boolean }): Promise<string> {
  const r = await api(server, 'POST', '/api/admin/reps', rep, { cookie: adminCookie });
  if (r.status !== 200) throw new Error(`create rep: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.rep.id;
}

export async function createTeam(server: TestServer, adminCookie: string, name: string): Promise<string> {
  const r = await api(server, 'POST', '/api/admin/teams', { name }, { cookie: adminCookie });
  if (r.status !== 200) throw new Error(`create team: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.team.id;
}

// ---- WebSockets

export interface TestClient {
  conn: Connection;
  /** Every message received, in order. */
  messages: Message[];
  /** Resolves on the first welcome; rejects if the connection closes with an error first. */
  ready: Promise<Msg<'welcome'>>;
  status: ConnectionStatus;
  /** The first message (already received or future) matching; rejects after timeoutMs. */
  waitFor<T extends Message = Message>(pred: (m: Message) => boolean, timeoutMs?: number): Promise<T>;
  /** Like waitFor, but only messages arriving after this call. */
  next<T extends Message = Message>(pred: (m: Message) => boolean, timeoutMs?: number): Promise<T>;
  /** Transcript events received for a session, in order. */
  events(sessionId?: string): Msg<'event'>[];
  /** Reps: the queue view folded from the `rep.queues` snapshot and deltas received so far, as the console folds them. */
  queues(): Msg<'rep.queues'>;
  /** Reps: resolves with the folded queue view once it matches (now or after a later message). */
  waitForQueues(pred: (q: Msg<'rep.queues'>) => boolean, timeoutMs?: number): Promise<Msg<'rep.queues'>>;
  close(): void;
}

export interface ClientOptions {
  /** Reps: the cookie from loginRep. */
  cookie?: string;
  /** Origin header; reps default to the server's own origin. */
  origin?: string | null;
  backoffMs?: number[];
  /** Connection heartbeat period (ms); the Connection's default when omitted. */
  heartbeatMs?: number;
  /** What the hello says about the client (name, platform, time zone). */
  client?: Msg<'hello'>['client'];
}

/** A protocol Connection to /ws/<role>, recording what it receives. */
export function wsClient(server: Pick<TestServer, 'wsUrl' | 'url'>, role: Role, credential: string, opts: ClientOptions = {}): TestClient {
  const messages: Message[] = [];
  const waiters: { pred: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  let queueState = emptyQueueState();
  const queueView = (): Msg<'rep.queues'> => ({ t: 'rep.queues', seq: queueState.seq ?? 0, queues: queueState.queues, mine: queueState.mine, reps: queueState.reps });
  let resolveReady!: (w: Msg<'welcome'>) => void;
  let rejectReady!: (e: Error) => void;
  const ready = new Promise<Msg<'welcome'>>((res, rej) => { resolveReady = res; rejectReady = rej; });
  ready.catch(() => {});
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  const origin = opts.origin === undefined ? (role === 'rep' ? server.url : null) : opts.origin;
  if (origin) headers.origin = origin;
  const client: TestClient = {
    conn: undefined as unknown as Connection,
    messages,
    ready,
    status: 'connecting',
    waitFor(pred, timeoutMs = 5000) {
      const found = messages.find(pred);
      if (found) return Promise.resolve(found as any);
      return client.next(pred, timeoutMs);
    },
    next(pred, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const w = { pred, resolve: (m: Message) => { clearTimeout(timer); resolve(m as any); } };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`${role} client: no matching message in ${timeoutMs} ms; got ${messages.map((m) => m.t).join(',')}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    events(sessionId) {
      return messages.filter((m): m is Msg<'event'> => m.t === 'event' && (!sessionId || m.sessionId === sessionId));
    },
    queues: queueView,
    waitForQueues(pred, timeoutMs = 5000) {
      // Re-checked after every message, so the view is folded from everything received before it.
      const ok = () => queueState.seq !== null && pred(queueView());
      if (ok()) return Promise.resolve(queueView());
      return client.next(() => ok(), timeoutMs).then(() => queueView());
    },
    close() { client.conn.close(); },
  };
  if (!clients.has(server)) clients.set(server, new Set());
  clients.get(server)!.add(client);
  client.conn = new Connection({
    url: `${server.wsUrl}/ws/${role}`,
    role,
    credential,
    backoffMs: opts.backoffMs ?? [50, 100, 250, 500],
    ...(opts.heartbeatMs !== undefined ? { heartbeatMs: opts.heartbeatMs } : {}),
    ...(opts.client ? { client: opts.client } : {}),
    createSocket: (url) => new WebSocket(url, { headers }) as unknown as SocketLike,
    onWelcome: (w) => resolveReady(w),
    onStatus: (s, err) => {
      client.status = s;
      if (s === 'closed') rejectReady(new Error(err ? `${err.code}: ${err.message}` : 'closed'));
    },
    onMessage: (m) => {
      messages.push(m);
      if (m.t === 'rep.queues' || m.t === 'rep.queues.delta') {
        const r = applyQueues(queueState, m);
        queueState = r.state;
        if (r.gap) client.conn.send({ t: 'rep.queues.refresh', lastSeq: 0 });
      }
      for (const w of [...waiters]) if (w.pred(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
    },
  });
  return client;
}

/** A raw `ws` socket to a path (for refused upgrades and malformed input). */
export function rawSocket(server: Pick<TestServer, 'wsUrl'>, path: string, headers: Record<string, string> = {}): WebSocket {
  return new WebSocket(server.wsUrl + path, { headers });
}

/** Resolves when the condition holds (polled), rejects after timeoutMs. */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
