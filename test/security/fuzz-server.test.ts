// Property-based fuzzing of the server's WebSocket endpoints (docs/ARCHITECTURE.md "No loss" and "Testing with real parts"): random bytes,
// random msgpack values, truncated and oversized messages, and schema-valid messages with
// hostile field values, before and after the handshake, on /ws/customer, /ws/agent and /ws/rep.
// The server answers with typed errors, never an internal error or a crash, and stays responsive.
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { decode, encode, ErrorCode, MAX_BULK_BYTES, MAX_CONTROL_BYTES, PROTOCOL_VERSION, type Message } from '../../protocol/index.ts';
import { SAMPLES } from '../protocol/samples.ts';
import { activeSession, type ActiveSession } from '../helpers/session.ts';
import { api, joinAgent, startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let s: ActiveSession;
let agentToken: string;
const packr = new Packr({ useRecords: true, moreTypes: false });
const CODES = new Set<string>(Object.values(ErrorCode));
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

/** A raw socket speaking the protocol by hand, recording every reply. */
class Raw {
  replies: Message[] = [];
  closed = false;
  closeCode = 0;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => { const r = decode(new Uint8Array(d)); if (r.ok) this.replies.push(r.msg); else throw new Error(`server sent junk: ${r.error.message}`); });
    ws.on('close', (code) => { this.closed = true; this.closeCode = code; });
    ws.on('error', () => {});
  }
  static async open(path: string, headers: Record<string, string> = {}): Promise<Raw> {
    const ws = new WebSocket(server.wsUrl + path, { headers, maxPayload: MAX_BULK_BYTES + 1024 });
    const raw = new Raw(ws);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    return raw;
  }
  send(bytes: Uint8Array): void {
    if (!this.closed) this.ws.send(bytes);
  }
  /** Sends a ping and waits for its pong: every message before it has been handled. */
  async roundTrip(timeoutMs = 15_000): Promise<boolean> {
    if (this.closed) return false;
    const ts = Math.floor(Math.random() * 1e9);
    this.send(encode({ t: 'ping', ts }));
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (this.replies.some((m) => m.t === 'pong' && m.ts === ts)) return true;
      if (this.closed) return false;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('no pong: the server stopped answering');
  }
  close(): void { this.ws.terminate(); }
}

interface Endpoint { path: string; role: 'customer' | 'agent' | 'rep'; headers: Record<string, string>; credential: string }
const endpoints = (): Endpoint[] => [
  { path: '/ws/customer', role: 'customer', headers: {}, credential: s.token },
  { path: '/ws/agent', role: 'agent', headers: {}, credential: agentToken },
  { path: '/ws/rep', role: 'rep', headers: { cookie: s.cookie, origin: server.url }, credential: '' },
];

async function connected(e: Endpoint): Promise<Raw> {
  const raw = await Raw.open(e.path, e.headers);
  raw.send(encode({ t: 'hello', v: PROTOCOL_VERSION, role: e.role, credential: e.credential }));
  const end = Date.now() + 10_000;
  while (!raw.replies.some((m) => m.t === 'welcome')) {
    if (raw.closed || Date.now() > end) throw new Error(`no welcome on ${e.path}: ${JSON.stringify(raw.replies)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return raw;
}

function checkReplies(raw: Raw, where: string): void {
  for (const m of raw.replies) {
    if (m.t !== 'error') continue;
    assert.ok(CODES.has(m.code), `${where}: unknown error code ${m.code}`);
    assert.is.not(m.code, ErrorCode.Internal, `${where}: internal error (an unhandled path): ${m.message}`);
  }
}

async function serverHealthy(): Promise<void> {
  assert.is(server.proc.exitCode, null, `the server died:\n${server.output().slice(-2000)}`);
  const h = await api(server, 'GET', '/healthz');
  assert.is(h.status, 200);
  assert.not.match(server.output(), /\[bridge\]/, `the server logged an error:\n${server.output().slice(-3000)}`);
}

// Hostile values for each JSON type, so schema-valid shapes carry nasty content.
const hostileString = fc.oneof(
  fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', '../../etc/passwd', '..\\..\\boot.ini', 'CON', 'NUL', 'a/b', '..', '\u202Egnp.exe', 'x'.repeat(300), '__proto__', 'constructor', '%00', '\u0000'),
);
const hostileNumber = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 - 1, Number.MAX_SAFE_INTEGER), fc.double({ noNaN: false }));
function mutate(value: unknown): fc.Arbitrary<unknown> {
  if (typeof value === 'string') return hostileString;
  if (typeof value === 'number') return hostileNumber;
  if (typeof value === 'boolean') return fc.boolean();
  if (value instanceof Uint8Array) return fc.uint8Array({ maxLength: 2048 });
  if (Array.isArray(value)) return fc.array(value.length ? mutate(value[0]) : fc.anything(), { maxLength: 8 });
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    return fc.record(Object.fromEntries(keys.map((k) => [k, k === 't' || k === 'k' || k === 'kind' ? fc.constant((value as Record<string, unknown>)[k]) : fc.oneof(mutate((value as Record<string, unknown>)[k]), fc.anything())])));
  }
  return fc.anything();
}

/** Messages a client may send, with hostile contents; half aimed at the real session. */
function hostileMessage(): fc.Arbitrary<Uint8Array> {
  const clientTypes = SAMPLES.filter((m) => !['welcome', 'event', 'ack', 'session', 'queue.status', 'rep.queues', 'rep.queues.delta', 'done', 'file.registered', 'file.progress', 'pong', 'error'].includes(m.t)
    && m.t !== 'end' && m.t !== 'hold' && m.t !== 'transfer'); // session-ending moves are fuzzed in their own test
  return fc.tuple(fc.constantFrom(...clientTypes), fc.boolean(), fc.nat()).chain(([sample, aim]) =>
    mutate(sample).map((m) => {
      const msg = m as Record<string, unknown>;
      if (aim && 'sessionId' in msg) msg.sessionId = s.sessionId;
      try { return packr.pack(msg); } catch { return encode(sample); }
    }));
}

test.before(async () => {
  server = await startServer({ config: { agreement: null } });
  s = await activeSession(server);
  agentToken = (await joinAgent(server, s.token)).token;
});
test.after(async () => {
  s?.close();
  await server?.stop();
});

test('before the handshake: random bytes and random msgpack get an error and a close, never a crash', async () => {
  for (const e of endpoints()) {
    await fc.assert(fc.asyncProperty(fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 512 }),
      fc.anything().map((v) => { try { return packr.pack(v) as Uint8Array; } catch { return new Uint8Array([0xc1]); } }),
    ), async (bytes) => {
      const raw = await Raw.open(e.path, e.headers);
      raw.send(bytes);
      const end = Date.now() + 10_000;
      while (!raw.closed && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
      raw.close();
      // Either it was a valid hello by chance (then a welcome) or the server refused and closed.
      const welcomed = raw.replies.some((m) => m.t === 'welcome');
      assert.ok(welcomed || raw.closed, `${e.path} left the socket open after junk`);
      if (!welcomed) assert.ok(raw.replies.some((m) => m.t === 'error'), `${e.path} closed without saying why`);
      checkReplies(raw, e.path);
    }), { numRuns: Math.ceil(RUNS / 3) });
  }
  await serverHealthy();
});

test('after the handshake: hostile messages on every endpoint get typed errors; the connection stays usable', async () => {
  for (const e of endpoints()) {
    let raw = await connected(e);
    let sent = 0;
    await fc.assert(fc.asyncProperty(fc.oneof(
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 1024 }) },
      { weight: 1, arbitrary: fc.anything().map((v) => { try { return packr.pack(v) as Uint8Array; } catch { return new Uint8Array([0xc1]); } }) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...SAMPLES), fc.double({ min: 0, max: 1, noNaN: true })).map(([m, f]) => { const b = encode(m); return b.subarray(0, Math.floor(b.length * f)); }) },
      { weight: 4, arbitrary: hostileMessage() },
    ), async (bytes) => {
      if (bytes.byteLength === 0) return;
      raw.send(bytes);
      // Check in batches; the server closes after too many invalid messages: reconnect then.
      if (++sent % 25 === 0 && !(await raw.roundTrip())) {
        checkReplies(raw, e.path);
        raw = await connected(e);
      }
    }), { numRuns: RUNS });
    await raw.roundTrip();
    checkReplies(raw, e.path);
    raw.close();
  }
  await serverHealthy();
});

test('oversized messages: refused by size before decoding, and a too-large frame closes the socket', async () => {
  for (const e of endpoints()) {
    const raw = await connected(e);
    // A control message just over 1 MiB: a typed too_large error, the connection stays.
    raw.send(packr.pack({ t: 'chat', sessionId: s.sessionId, id: 'big', text: 'x'.repeat(MAX_CONTROL_BYTES) }));
    assert.ok(await raw.roundTrip(), `${e.path} closed after an oversized control message`);
    assert.ok(raw.replies.some((m) => m.t === 'error' && m.code === ErrorCode.TooLarge), `${e.path}: no too_large error`);
    // Over the bulk limit: the WebSocket layer refuses it (1009) without buffering it all.
    raw.send(new Uint8Array(MAX_BULK_BYTES + 1));
    const end = Date.now() + 10_000;
    while (!raw.closed && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    assert.is(raw.closeCode, 1009, `${e.path}: close code ${raw.closeCode}`);
    checkReplies(raw, e.path);
  }
  await serverHealthy();
});

test('text frames, a flood of junk and session-changing moves on a foreign session id: errors, nothing changes', async () => {
  const raw = await connected(endpoints()[0]);
  raw.ws.send('{"t":"chat"}');
  for (const t of ['end', 'hold', 'transfer'] as const) {
    const base = SAMPLES.find((m) => m.t === t)!;
    raw.send(encode({ ...base, sessionId: 'someone-elses-session' } as Message));
  }
  assert.ok(await raw.roundTrip());
  const errs = raw.replies.filter((m) => m.t === 'error');
  assert.ok(errs.some((m) => m.t === 'error' && m.code === ErrorCode.Malformed), 'text frame refused');
  assert.ok(errs.filter((m) => m.t === 'error' && (m.code === ErrorCode.Forbidden)).length >= 3, 'foreign session refused');
  // More than the tolerated number of invalid messages: the server closes the connection.
  for (let i = 0; i < 150; i++) raw.send(new Uint8Array([0xc1]));
  const end = Date.now() + 10_000;
  while (!raw.closed && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  assert.ok(raw.closed, 'a junk flood closes the connection');
  checkReplies(raw, 'customer');
  // After all of the above (the fuzzed session may have been ended by a fuzzed 'agreement: false'),
  // a new session works end to end.
  const fresh = await activeSession(server, { cookie: s.cookie });
  try {
    const id = `after-fuzz-${Date.now()}`;
    void fresh.customer.conn.sendReliable({ t: 'chat', sessionId: fresh.sessionId, id, text: 'still works' });
    await fresh.rep.waitFor((m) => m.t === 'event' && m.id === id, 10_000);
  } finally {
    fresh.close();
  }
  await serverHealthy();
});

test('HTTP API: random bodies, content types, paths and queries get 4xx answers, never a 5xx', async () => {
  const routes = [
    ['POST', '/api/rep/login'], ['POST', '/api/session-keys'], ['POST', '/api/sessions/join'], ['POST', '/api/portal/submit'],
    ['POST', '/api/admin/teams'], ['POST', '/api/admin/reps'], ['GET', '/api/history'], ['GET', `/api/history/${s.sessionId}`],
    ['GET', '/api/sessions/x/transcript'], ['POST', '/api/rep/logout'], ['GET', '/api/rep/me'],
  ] as const;
  const reqArb = fc.record({
    route: fc.constantFrom(...routes),
    body: fc.oneof(fc.jsonValue().map((j) => JSON.stringify(j)), fc.string({ maxLength: 300 }), fc.constant('{"__proto__":{"isAdmin":true}}'), fc.constant('{"constructor":{"prototype":{"x":1}}}')),
    type: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', ''),
    suffix: fc.oneof(fc.constant(''), fc.string({ maxLength: 30 }).map((x) => `?q=${encodeURIComponent(x)}&limit=${encodeURIComponent(x)}&format=${encodeURIComponent(x)}`), fc.constantFrom('/../../etc/passwd', '%00', '?format=txt', '/%2e%2e')),
    auth: fc.constantFrom('cookie', 'bearer', 'none'),
  });
  await fc.assert(fc.asyncProperty(reqArb, async (r) => {
    const [method, path] = r.route;
    const headers: Record<string, string> = {};
    if (r.type) headers['content-type'] = r.type;
    if (r.auth === 'cookie') headers.cookie = s.cookie;
    if (r.auth === 'bearer') headers.authorization = `Bearer ${s.token}`;
    const res = await fetch(server.url + path + r.suffix, { method, headers, ...(method === 'POST' ? { body: r.body } : {}) });
    await res.arrayBuffer();
    assert.ok(res.status < 500, `${method} ${path}${r.suffix} (${r.type}, ${r.auth}) → ${res.status}`);
  }), { numRuns: RUNS * 2 });
  // An oversized JSON body is refused before parsing.
  const big = await fetch(server.url + '/api/portal/submit', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(200_000) }) });
  assert.is(big.status, 413);
  await serverHealthy();
});

test.run();
