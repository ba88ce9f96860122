// Boundaries: a customer token reaches its own session only; rep WebSockets need a valid cookie
// and the server's own Origin; malformed and oversized input gets typed errors, never a crash.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { decode, encode, MAX_CONTROL_BYTES, PROTOCOL_VERSION, type Message } from '../../protocol/index.ts';
import { api, createKey, joinAgent, joinSession, loginRep, rawSocket, startServer, until, wsClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let cookie: string;
test.before(async () => {
  server = await startServer({ config: { agreement: null } });
  cookie = await loginRep(server);
});
test.after(async () => {
  await server.stop();
});

function upgradeStatus(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = rawSocket(server, path, headers);
    ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); ws.terminate(); });
    ws.on('open', () => { resolve(101); ws.close(); });
    ws.on('error', () => {});
  });
}

async function open(path: string, first?: Message) {
  const ws = rawSocket(server, path);
  const got: Message[] = [];
  ws.on('message', (d) => {
    const r = decode(new Uint8Array(d as Buffer));
    if (r.ok) got.push(r.msg);
  });
  await new Promise<void>((res, rej) => { ws.once('open', () => res()); ws.once('error', rej); });
  if (first) ws.send(encode(first));
  return { ws, got };
}

test('rep WebSocket: no cookie, a bad cookie or a foreign Origin are refused', async () => {
  assert.is(await upgradeStatus('/ws/rep', {}), 401);
  assert.is(await upgradeStatus('/ws/rep', { cookie: 'bridge_rep=forged' }), 401);
  assert.is(await upgradeStatus('/ws/rep', { cookie, origin: 'https://evil.example.com' }), 403);
  assert.is(await upgradeStatus('/ws/rep', { cookie, origin: server.url }), 101);
  assert.is(await upgradeStatus('/ws/nowhere', {}), 404);
  // after logout the cookie is dead
  const other = await loginRep(server);
  const console2 = wsClient(server, 'rep', '', { cookie: other, backoffMs: [60_000] });
  await console2.ready;
  await api(server, 'POST', '/api/rep/logout', undefined, { cookie: other });
  // Closed for good (no reconnect against a dead cookie): the console shows its login then.
  await until(() => console2.status === 'closed', 3000, 'console closed on logout');
  console2.close();
  assert.is(await upgradeStatus('/ws/rep', { cookie: other }), 401);
});

test('a customer token cannot read or write another session', async () => {
  const a = await createKey(server, cookie);
  const b = await createKey(server, cookie);
  const ja = await joinSession(server, a.key);
  const jb = await joinSession(server, b.key);
  // HTTP transcript of the other session
  const t = await api(server, 'GET', `/api/sessions/${b.sessionId}/transcript`, undefined, { authorization: `Bearer ${ja.token}` });
  assert.is(t.status, 403);
  const own = await api(server, 'GET', `/api/sessions/${a.sessionId}/transcript`, undefined, { authorization: `Bearer ${ja.token}` });
  assert.is(own.status, 200);
  const anon = await api(server, 'GET', `/api/sessions/${a.sessionId}/transcript`);
  assert.is(anon.status, 401);
  // history is for reps
  assert.is((await api(server, 'GET', '/api/history', undefined, { authorization: `Bearer ${ja.token}` })).status, 401);

  // WebSocket: everything addressed to session b is refused, nothing reaches b
  const cb = wsClient(server, 'customer', jb.token);
  await cb.ready;
  const { ws, got } = await open('/ws/customer', { t: 'hello', v: PROTOCOL_VERSION, role: 'customer', credential: ja.token });
  await until(() => got.some((m) => m.t === 'welcome'));
  const attacks: Message[] = [
    { t: 'chat', sessionId: b.sessionId, id: 'a1', text: 'hi b' },
    { t: 'typing', sessionId: b.sessionId, active: true },
    { t: 'end', sessionId: b.sessionId },
    { t: 'file.offer', sessionId: b.sessionId, id: 'a2', name: 'x', size: 1 },
    { t: 'frame', sessionId: b.sessionId, seq: 1, display: 0, w: 1, h: 1, ts: 1, rects: [] },
    { t: 'accept', sessionId: b.sessionId },
    { t: 'nudge', sessionId: a.sessionId, id: 'a3' },
  ];
  for (const m of attacks) ws.send(encode(m));
  await until(() => got.filter((m) => m.t === 'error').length === attacks.length, 5000, 'all refused');
  const codes = got.filter((m) => m.t === 'error').map((m) => (m as { code: string }).code);
  assert.ok(codes.every((c) => c === 'forbidden'), codes.join(','));
  await new Promise((r) => setTimeout(r, 200));
  assert.is(cb.events(b.sessionId).length, 0);
  assert.ok(!cb.messages.some((m) => m.t === 'typing'));
  // an agent token can't open the customer endpoint
  const ag = await joinAgent(server, ja.token);
  const { got: got2 } = await open('/ws/customer', { t: 'hello', v: PROTOCOL_VERSION, role: 'customer', credential: ag.token });
  await until(() => got2.some((m) => m.t === 'error'));
  ws.close();
  cb.close();
});

test('handshake errors: wrong version, unknown token, no hello', async () => {
  const v = await open('/ws/customer', { t: 'hello', v: 999, role: 'customer', credential: 'x' });
  await until(() => v.got.some((m) => m.t === 'error'));
  const e = v.got.find((m) => m.t === 'error') as { code: string; message: string };
  assert.is(e.code, 'version_mismatch');
  assert.match(e.message, /999/);
  assert.match(e.message, new RegExp(String(PROTOCOL_VERSION)));
  const u = await open('/ws/customer', { t: 'hello', v: PROTOCOL_VERSION, role: 'customer', credential: 'nope' });
  await until(() => u.got.some((m) => m.t === 'error' && m.code === 'unauthorized'));
  const n = await open('/ws/agent', { t: 'chat', sessionId: 's', id: 'i', text: 'x' });
  await until(() => n.got.some((m) => m.t === 'error' && m.code === 'unauthorized'));
  await until(() => n.ws.readyState === WebSocket.CLOSED, 3000, 'closed after a bad handshake');
});

test('malformed, wrong-typed and oversized messages get typed errors; the server stays up', async () => {
  const k = await createKey(server, cookie);
  const j = await joinSession(server, k.key);
  const { ws, got } = await open('/ws/customer', { t: 'hello', v: PROTOCOL_VERSION, role: 'customer', credential: j.token });
  await until(() => got.some((m) => m.t === 'welcome'));
  const samples = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 300 }), 300);
  for (const b of samples) ws.send(b);
  ws.send('a text frame');
  ws.send(encode({ t: 'chat', sessionId: k.sessionId, id: 'x', text: 'x' }).subarray(0, 10));
  ws.send(new Uint8Array(MAX_CONTROL_BYTES + 100));
  await until(() => got.filter((m) => m.t === 'error').length >= 80 || ws.readyState !== WebSocket.OPEN, 10_000);
  const codes = new Set(got.filter((m) => m.t === 'error').map((m) => (m as { code: string }).code));
  for (const c of codes) assert.ok(['malformed', 'unknown_type', 'invalid', 'too_large'].includes(c), c);
  ws.terminate();
  // a frame over the hard limit closes the socket (ws maxPayload), the server lives on
  const big = await open('/ws/customer');
  big.ws.send(new Uint8Array(17 * 1024 * 1024));
  await until(() => big.ws.readyState === WebSocket.CLOSED, 10_000, 'oversized close');
  assert.is((await api(server, 'GET', '/healthz')).status, 200);
});

test('HTTP bodies are validated with typed errors', async () => {
  const r = await api(server, 'POST', '/api/portal/submit', { name: 123 });
  assert.is(r.status, 400);
  assert.is(r.body.error.code, 'invalid');
  const res = await fetch(`${server.url}/api/rep/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
  assert.is(res.status, 400);
  assert.ok((await res.json()).error.code);
  const big = await api(server, 'POST', '/api/portal/submit', { name: 'x', description: 'y'.repeat(200_000) });
  assert.is(big.status, 413);
  const nf = await api(server, 'GET', '/api/nothing');
  assert.is(nf.status, 404);
  assert.is(nf.body.error.code, 'not_found');
  const nonAdmin = await api(server, 'POST', '/api/admin/teams', { name: 'x' });
  assert.is(nonAdmin.status, 401);
});

test.run();
