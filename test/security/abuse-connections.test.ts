// Connection-level abuse against a real server (docs/SECURITY.md): unauthenticated sockets
// streaming a huge frame are cut off before the server buffers it (server RSS stays flat), a
// socket that never says hello is terminated at the handshake timeout even if it ignores the
// close handshake, one address holds a bounded number of sockets, stalled HTTP requests are
// closed, X-Forwarded-For counts only from a configured proxy, a rep's socket ends with its
// login, and the data dir is private (also when an older install left it world-readable).
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { encode, MiB, PROTOCOL_VERSION } from '../../protocol/index.ts';
import { api, createKey, joinSession, loginRep, rawSocket, startServer, until, wsClient, type TestServer } from '../helpers/server.ts';

const CONNECTIONS_PER_ADDRESS = 20;
const BUDGET = 4;
const PROXY = '127.0.0.2';
const LOGIN_SEC = 3;
let server: TestServer;
let dataDir: string;

test.before(async () => {
  // An older install: data dir and database made with a 022 umask (world-readable).
  dataDir = mkdtempSync(join(tmpdir(), 'bridge-abuse-'));
  chmodSync(dataDir, 0o755);
  writeFileSync(join(dataDir, 'bridge.db'), '', { mode: 0o644 });
  chmodSync(join(dataDir, 'bridge.db'), 0o644);
  server = await startServer({
    dataDir,
    // The database file's modes are the embedded store's (PostgreSQL keeps its own files).
    store: 'sqlite',
    config: {
      agreement: null,
      limits: { handshakeSec: 1, connectionsPerAddress: CONNECTIONS_PER_ADDRESS },
      http: { requestSec: 2, headersSec: 2 },
      rateLimit: { joinPerMin: BUDGET, loginPerMin: BUDGET },
      trustProxy: [PROXY],
      loginTtlHours: LOGIN_SEC / 3600,
    },
  });
});
test.after(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the data dir is private: dir 0700, database, WAL and shared memory 0600', () => {
  const mode = (name: string) => (statSync(join(dataDir, name)).mode & 0o777).toString(8);
  assert.is(mode(''), '700');
  for (const f of ['bridge.db', 'bridge.db-wal', 'bridge.db-shm']) assert.is(mode(f), '600', f);
});

/** The server child's resident memory in bytes (Linux /proc). */
function serverRss(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.proc.pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

/** A raw TCP socket that has completed a WebSocket upgrade to `path` (no ws client code). */
function upgraded(path: string, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: server.port, localAddress });
    s.on('error', () => {});
    s.once('connect', () => s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`));
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      s.off('data', onData);
      if (head.startsWith('HTTP/1.1 101')) resolve(s);
      else reject(new Error(head.split('\r\n')[0]));
    };
    s.on('data', onData);
    s.once('close', () => reject(new Error('closed before the upgrade')));
  });
}

/** Header of one masked binary frame announcing `size` payload bytes (64-bit length). */
function frameHeader(size: number): Buffer {
  const h = Buffer.alloc(14);
  h[0] = 0x82;
  h[1] = 0x80 | 127;
  h.writeBigUInt64BE(BigInt(size), 2);
  return h; // mask key: four zero bytes (the payload goes through unchanged)
}

/** Streams `bytes` of payload as fast as the socket takes it; resolves with the time it closed. */
function streamUntilClosed(s: Socket, bytes: number): Promise<number> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(256 * 1024, 0x41);
    let sent = 0;
    let closed = false;
    s.once('close', () => { closed = true; resolve(Date.now()); });
    const pump = () => {
      while (!closed && sent < bytes) {
        sent += chunk.length;
        if (!s.write(chunk)) { s.once('drain', pump); return; }
      }
    };
    s.write(frameHeader(16 * MiB));
    pump();
  });
}

test('16 unauthenticated sockets streaming 15 MiB of a 16 MiB frame are cut off at once; server memory stays flat', async () => {
  const sockets = await Promise.all(Array.from({ length: 16 }, (_, i) => upgraded(i % 2 ? '/ws/agent' : '/ws/customer')));
  const before = serverRss();
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, serverRss()); }, 20);
  const started = Date.now();
  const closedAt = await Promise.all(sockets.map((s) => streamUntilClosed(s, 15 * MiB)));
  await new Promise((r) => setTimeout(r, 300));
  clearInterval(sampler);
  const slowest = Math.max(...closedAt) - started;
  assert.ok(slowest < 3000, `every socket is closed within 3 s (slowest ${slowest} ms)`);
  // Before: 16 × 15 MiB buffered for 40 s (+170 MB). Now each is cut after 64 KiB.
  assert.ok(peak - before < 40 * MiB, `server RSS grew by ${((peak - before) / MiB).toFixed(1)} MiB`);
});

test('a socket that never says hello and ignores the close handshake is terminated at the handshake timeout', async () => {
  const s = await upgraded('/ws/customer');
  const opened = Date.now();
  // It reads (so the server's close frame arrives) but never answers it.
  s.on('data', () => {});
  await new Promise<void>((resolve) => s.once('close', () => resolve()));
  const after = Date.now() - opened;
  assert.ok(after >= 900 && after < 2500, `gone after ${after} ms (handshake timeout 1 s; close() would wait 30 s more)`);
});

test('one address holds at most connectionsPerAddress sockets; another address is not affected', async () => {
  const from = '127.0.0.5';
  const open: WebSocket[] = [];
  const opening = (localAddress: string) => new Promise<{ ws: WebSocket; status: number }>((resolve) => {
    const ws = new WebSocket(`${server.wsUrl}/ws/customer`, { localAddress });
    ws.once('open', () => resolve({ ws, status: 101 }));
    ws.once('unexpected-response', (_req, res) => resolve({ ws, status: res.statusCode ?? 0 }));
    ws.on('error', () => {});
  });
  for (let i = 0; i < CONNECTIONS_PER_ADDRESS; i++) {
    const r = await opening(from);
    assert.is(r.status, 101);
    open.push(r.ws);
  }
  assert.is((await opening(from)).status, 429, 'one more from the same address is refused');
  const other = await opening('127.0.0.6');
  assert.is(other.status, 101, 'another address still connects');
  other.ws.close();
  open.pop()!.close();
  await new Promise((r) => setTimeout(r, 100));
  const again = await opening(from);
  assert.is(again.status, 101, 'a closed socket frees its place');
  again.ws.close();
  for (const ws of open) ws.close();
});

/** Opens a raw HTTP request, sends `partial` and then nothing; resolves with the answer and how long until the close. */
function stalled(partial: string): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port: server.port });
    const t0 = Date.now();
    let answer = '';
    s.on('data', (d) => (answer += d));
    s.on('error', () => {});
    s.once('close', () => resolve({ ms: Date.now() - t0, answer }));
    // Held open: give up (and fail below) instead of waiting forever.
    setTimeout(() => s.destroy(), 8000).unref();
    s.write(partial);
  });
}

test('a stalled request body or stalled headers are closed after the request timeout', async () => {
  const body = stalled(`POST /api/sessions/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"key":`);
  const headers = stalled(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: `);
  for (const [what, r] of [['body', await body], ['headers', await headers]] as const) {
    assert.ok(r.ms < 5000, `stalled ${what} closed after ${r.ms} ms`);
    assert.match(r.answer, /^HTTP\/1\.1 408/, `stalled ${what} answered 408`);
  }
});

test('WebSockets outlive the HTTP request timeout', async () => {
  const cookie = await loginRep(server);
  const { key } = await createKey(server, cookie);
  const { token } = await joinSession(server, key);
  const ws = rawSocket(server, '/ws/customer');
  let closed = false;
  ws.on('close', () => (closed = true));
  await new Promise((r) => ws.once('open', r));
  const welcome = new Promise((r) => ws.once('message', r));
  ws.send(encode({ t: 'hello', v: PROTOCOL_VERSION, role: 'customer', credential: token }));
  await welcome;
  await new Promise((r) => setTimeout(r, 3000));
  assert.not.ok(closed, 'still open after 3 s (request timeout 2 s)');
  ws.close();
});

test('a rep console ends with its login: at expiry and at logout, without reconnecting', async () => {
  const cookie = await loginRep(server);
  const rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;
  const t0 = Date.now();
  // Closed (not offline): the Connection stopped, as the console does before showing its login.
  await until(() => rep.status === 'closed', (LOGIN_SEC + 2) * 1000, 'the console closed at expiry');
  assert.ok(Date.now() - t0 < (LOGIN_SEC + 1) * 1000);
  const cookie2 = await loginRep(server);
  const rep2 = wsClient(server, 'rep', '', { cookie: cookie2 });
  await rep2.ready;
  assert.is((await api(server, 'POST', '/api/rep/logout', undefined, { cookie: cookie2 })).status, 200);
  await until(() => rep2.status === 'closed', 2000, 'the console closed at logout');
});

/** POST JSON from a chosen local address with extra headers → status. */
function postFrom(localAddress: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port: server.port, localAddress, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}

test('behind a configured proxy, X-Forwarded-For separates clients\' join and login budgets; from anyone else it is ignored', async () => {
  const attempts = async (from: string, path: string, body: unknown, xff?: string) => {
    const out: number[] = [];
    for (let i = 0; i < BUDGET + 1; i++) out.push(await postFrom(from, path, body, xff ? { 'x-forwarded-for': xff } : {}));
    return out;
  };
  const join = { key: 'AAAAAAA' };
  const login = { username: 'nobody', password: 'wrong-password' };
  for (const [path, body, ok] of [['/api/sessions/join', join, 404], ['/api/rep/login', login, 401]] as const) {
    // Two customers behind the proxy: each has the whole budget.
    assert.equal(await attempts(PROXY, path, body, '198.51.100.1'), [...Array(BUDGET).fill(ok), 429], `${path}: first client`);
    assert.equal(await attempts(PROXY, path, body, '198.51.100.2'), [...Array(BUDGET).fill(ok), 429], `${path}: second client`);
    // A client that is not the proxy can't buy a fresh budget with a forged header.
    const direct = await attempts('127.0.0.7', path, body, '198.51.100.3');
    assert.equal(direct, [...Array(BUDGET).fill(ok), 429], `${path}: direct client`);
    assert.is(await postFrom('127.0.0.7', path, body, { 'x-forwarded-for': '198.51.100.4' }), 429, `${path}: forged X-Forwarded-For ignored`);
  }
});

test.run();
