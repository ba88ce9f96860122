// Who reaches what (docs/ARCHITECTURE.md "The server decides everything else"): a customer token reaches its own session only; a rep sees and
// acts on sessions of their own queues only; the rep WebSocket checks Origin and the login; the
// login cookie is HttpOnly and SameSite=Strict and dies on logout.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decode, encode, ErrorCode, PROTOCOL_VERSION, type Msg } from '../../protocol/index.ts';
import { activeSession, type ActiveSession } from '../helpers/session.ts';
import { api, createKey, createRep, createTeam, joinAgent, joinSession, loginRep, rawSocket, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let admin: string;
let a: ActiveSession; // Alice's session (team A)
let b: ActiveSession; // another customer's session
let bob: string; // cookie of a rep in team B only
let bobWs: TestClient;

test.before(async () => {
  server = await startServer({ config: { agreement: null } });
  admin = await loginRep(server);
  const teamA = await createTeam(server, admin, 'Team A');
  const teamB = await createTeam(server, admin, 'Team B');
  await createRep(server, admin, { username: 'alice', password: 'alice-password-1', name: 'Alice', teamIds: [teamA] });
  await createRep(server, admin, { username: 'bob', password: 'bob-password-1', name: 'Bob', teamIds: [teamB] });
  const alice = await loginRep(server, 'alice', 'alice-password-1');
  bob = await loginRep(server, 'bob', 'bob-password-1');
  a = await activeSession(server, { cookie: alice, key: { queue: { kind: 'team', id: teamA } } });
  b = await activeSession(server, { cookie: alice });
  bobWs = wsClient(server, 'rep', '', { cookie: bob });
  await bobWs.ready;
});
test.after(async () => {
  bobWs?.close();
  a?.close();
  b?.close();
  await server?.stop();
});

/** Sends and collects the error answering it (by the message's id or type). */
async function refused(client: TestClient, msg: Parameters<TestClient['conn']['send']>[0], ref: string): Promise<Msg<'error'>> {
  const seen = client.messages.length;
  client.conn.send(msg);
  await until(() => client.messages.slice(seen).some((m) => m.t === 'error' && m.ref === ref), 5000, `an error for ${ref}`);
  return client.messages.slice(seen).find((m) => m.t === 'error' && m.ref === ref) as Msg<'error'>;
}

test('a customer token reaches its own session only (WebSocket and HTTP)', async () => {
  const c = a.customer;
  for (const msg of [
    { t: 'chat' as const, sessionId: b.sessionId, id: 'x-chat', text: 'hello other session' },
    { t: 'agreement' as const, sessionId: b.sessionId, id: 'x-agree', accepted: false },
  ]) assert.is((await refused(c, msg, msg.id)).code, ErrorCode.Forbidden);
  assert.is((await refused(c, { t: 'file.offer', sessionId: b.sessionId, id: 'x-file', name: 'a', size: 1 }, 'x-file')).code, ErrorCode.Forbidden);
  for (const msg of [
    { t: 'end' as const, sessionId: b.sessionId },
    { t: 'typing' as const, sessionId: b.sessionId, active: true },
  ]) assert.is((await refused(c, msg, msg.t)).code, ErrorCode.Forbidden);
  const r = await api(server, 'GET', `/api/sessions/${b.sessionId}/transcript?format=json`, undefined, { authorization: `Bearer ${a.token}` });
  assert.is(r.status, 403);
  assert.not.ok(c.messages.some((m) => 'sessionId' in m && m.sessionId === b.sessionId), 'nothing of the other session reached this customer');
  const own = await api(server, 'GET', `/api/sessions/${a.sessionId}/transcript?format=json`, undefined, { authorization: `Bearer ${a.token}` });
  assert.is(own.status, 200);
  // Guessed and foreign tokens are refused.
  const guessed = (a.token[0] === 'x' ? 'y' : 'x') + a.token.slice(1); // one character off, never the token itself
  const guess = await api(server, 'GET', `/api/sessions/${a.sessionId}/transcript?format=json`, undefined, { authorization: `Bearer ${guessed}` });
  assert.is(guess.status, 403);
  assert.is((await api(server, 'GET', `/api/sessions/${a.sessionId}/transcript`)).status, 401);
});

test('tokens are bound to their role and endpoint', async () => {
  const agentToken = (await joinAgent(server, a.token)).token;
  for (const [path, role, cred] of [['/ws/agent', 'agent', a.token], ['/ws/customer', 'customer', agentToken], ['/ws/customer', 'agent', a.token]] as const) {
    const ws = rawSocket(server, path);
    const got: Msg<'error'>[] = [];
    ws.on('message', (d: Buffer) => { const r = decode(new Uint8Array(d)); if (r.ok && r.msg.t === 'error') got.push(r.msg); });
    await new Promise((r) => ws.once('open', r));
    ws.send(encode({ t: 'hello', v: PROTOCOL_VERSION, role, credential: cred }));
    await new Promise((r) => ws.once('close', r));
    assert.ok(got.length === 1 && (got[0].code === ErrorCode.Forbidden || got[0].code === ErrorCode.Invalid), `${role} on ${path}: ${JSON.stringify(got)}`);
  }
});

test('a rep outside the session\'s queues: not listed, can\'t accept, join, chat, view, control or read it', async () => {
  // Not in Bob's queue view.
  const q = await bobWs.waitForQueues(() => true);
  const listed = [...q.queues.flatMap((x) => x.sessions), ...q.mine].map((x) => x.id);
  assert.not.ok(listed.includes(a.sessionId), 'team A session listed for Bob');
  // Put a fresh team-A session in the queue: Bob still can't take it.
  const teamA = (await api(server, 'GET', '/api/rep/me', undefined, { cookie: a.cookie })).body.rep.teams[0].id;
  const k = await createKey(server, a.cookie, { queue: { kind: 'team', id: teamA } });
  await joinSession(server, k.key);
  assert.is((await refused(bobWs, { t: 'accept', sessionId: k.sessionId }, 'accept')).code, ErrorCode.Forbidden);
  assert.is((await refused(bobWs, { t: 'join', sessionId: a.sessionId }, 'join')).code, ErrorCode.Forbidden);
  for (const msg of [
    { t: 'chat' as const, sessionId: a.sessionId, id: 'bob-chat', text: 'let me in' },
    { t: 'nudge' as const, sessionId: a.sessionId, id: 'bob-nudge' },
  ]) assert.is((await refused(bobWs, msg, msg.id)).code, ErrorCode.Forbidden);
  for (const msg of [
    { t: 'screen.request' as const, sessionId: a.sessionId, want: 'control' as const },
    { t: 'frame.refresh' as const, sessionId: a.sessionId },
    { t: 'pointer' as const, sessionId: a.sessionId, x: 1, y: 1 },
    { t: 'key' as const, sessionId: a.sessionId, code: 'KeyA', down: true },
    { t: 'hold' as const, sessionId: a.sessionId },
    { t: 'transfer' as const, sessionId: a.sessionId, to: { kind: 'general' as const } },
    { t: 'end' as const, sessionId: a.sessionId },
  ]) assert.is((await refused(bobWs, msg, msg.t)).code, ErrorCode.Forbidden, msg.t);
  // Nothing of the session reached Bob's console.
  assert.not.ok(bobWs.messages.some((m) => m.t === 'event' && m.sessionId === a.sessionId));
  // HTTP records.
  assert.is((await api(server, 'GET', `/api/history/${a.sessionId}`, undefined, { cookie: bob })).status, 403);
  assert.is((await api(server, 'GET', `/api/sessions/${a.sessionId}/transcript`, undefined, { cookie: bob })).status, 403);
  const hist = await api(server, 'GET', '/api/history', undefined, { cookie: bob });
  assert.not.ok(hist.body.sessions.some((x: { id: string }) => x.id === a.sessionId));
  // Keys for a queue that isn't his.
  assert.is((await api(server, 'POST', '/api/session-keys', { queue: { kind: 'team', id: teamA } }, { cookie: bob })).status, 403);
  // The session itself is untouched.
  const st = await api(server, 'GET', `/api/history/${a.sessionId}`, undefined, { cookie: a.cookie });
  assert.is(st.body.session.state, 'active');
});

test('the rep WebSocket checks Origin and the login', async () => {
  const status = (headers: Record<string, string>) => new Promise<number>((resolve) => {
    const ws = rawSocket(server, '/ws/rep', headers);
    ws.on('open', () => { ws.close(); resolve(101); });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => {});
  });
  assert.is(await status({ cookie: a.cookie, origin: 'https://evil.example' }), 403, 'foreign origin');
  assert.is(await status({ cookie: a.cookie, origin: 'null' }), 403, 'opaque origin');
  assert.is(await status({ cookie: a.cookie, origin: server.url.replace('127.0.0.1', '127.0.0.1.evil.example') }), 403, 'look-alike origin');
  assert.is(await status({ origin: server.url }), 401, 'no cookie');
  assert.is(await status({ cookie: 'bridge_rep=forged', origin: server.url }), 401, 'forged cookie');
  assert.is(await status({ cookie: a.cookie, origin: server.url }), 101, 'own origin');
});

test('the login cookie is HttpOnly, SameSite=Strict, not Secure on plain HTTP, and dies on logout', async () => {
  const r = await api(server, 'POST', '/api/rep/login', { username: 'alice', password: 'alice-password-1' });
  const set = r.headers.get('set-cookie') ?? '';
  assert.match(set, /bridge_rep=/);
  assert.match(set, /HttpOnly/i);
  assert.match(set, /SameSite=Strict/i);
  assert.match(set, /Path=\//i);
  const cookie = /bridge_rep=[^;]+/.exec(set)![0];
  assert.is((await api(server, 'GET', '/api/rep/me', undefined, { cookie })).status, 200);
  await api(server, 'POST', '/api/rep/logout', undefined, { cookie });
  assert.is((await api(server, 'GET', '/api/rep/me', undefined, { cookie })).status, 401, 'the old cookie is dead on the server');
  const wrong = await api(server, 'POST', '/api/rep/login', { username: 'alice', password: 'nope' });
  assert.is(wrong.status, 401);
  assert.is(wrong.headers.get('set-cookie'), null);
});

test.run();
