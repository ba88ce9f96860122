// Session keys: one-time for the browser customer, reusable by the agent, expiring, unknown
// keys refused with clear errors, guessing rate-limited.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { api, createKey, loginRep, startServer, wsClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let cookie: string;
test.before(async () => {
  server = await startServer({ config: { agreement: null, rateLimit: { joinPerMin: 25 } } });
  cookie = await loginRep(server);
});
test.after(async () => {
  await server.stop();
});

test('session keys need a logged-in rep', async () => {
  const r = await api(server, 'POST', '/api/session-keys', {});
  assert.is(r.status, 401);
  assert.is(r.body.error.code, 'unauthorized');
  const bad = await api(server, 'POST', '/api/rep/login', { username: 'admin', password: 'wrong' });
  assert.is(bad.status, 401);
  const me = await api(server, 'GET', '/api/rep/me', undefined, { cookie });
  assert.is(me.body.rep.username, 'admin');
  const cookieHeader = (await api(server, 'POST', '/api/rep/login', { username: 'admin', password: server.adminPassword })).headers.get('set-cookie') ?? '';
  assert.match(cookieHeader, /HttpOnly/i);
  assert.match(cookieHeader, /SameSite=Strict/i);
});

test('a key is one-time for the customer, the agent may reuse it', async () => {
  const k = await createKey(server, cookie);
  const first = await api(server, 'POST', '/api/sessions/join', { key: k.key });
  assert.is(first.status, 200);
  assert.is(first.body.role, 'customer');
  const again = await api(server, 'POST', '/api/sessions/join', { key: k.key });
  assert.is(again.status, 409);
  assert.is(again.body.error.code, 'used');
  const viaLink = await api(server, 'POST', '/api/sessions/join', { accessKey: k.accessKey });
  assert.is(viaLink.status, 409);
  const agent = await api(server, 'POST', '/api/sessions/join', { key: k.key, role: 'agent' });
  assert.is(agent.status, 200);
  assert.is(agent.body.sessionId, k.sessionId);
  assert.is(agent.body.role, 'agent');
});

test('the link carries a 128-bit access key that joins once', async () => {
  const k = await createKey(server, cookie);
  assert.ok(Buffer.from(k.accessKey, 'base64url').length >= 16);
  const r = await api(server, 'POST', '/api/sessions/join', { accessKey: k.accessKey, name: 'Bob' });
  assert.is(r.status, 200);
  assert.is(r.body.sessionId, k.sessionId);
  assert.is(r.body.key, k.key);
});

test('expired and unknown keys are refused', async () => {
  const k = await createKey(server, cookie, { validityMin: 1 });
  const db = new Database(join(server.dataDir, 'bridge.db'));
  db.prepare('update session_keys set expires_at = ? where key = ?').run(Date.now() - 1000, k.key);
  db.close();
  const r = await api(server, 'POST', '/api/sessions/join', { key: k.key });
  assert.is(r.status, 410);
  assert.is(r.body.error.code, 'expired');
  assert.match(r.body.error.message, /expired/);
  const u = await api(server, 'POST', '/api/sessions/join', { key: 'QQQQQQQ' });
  assert.is(u.status, 404);
  assert.is(u.body.error.code, 'not_found');
  const empty = await api(server, 'POST', '/api/sessions/join', {});
  assert.is(empty.status, 400);
  const junk = await api(server, 'POST', '/api/sessions/join', { key: 42 });
  assert.is(junk.status, 400);
  assert.is(junk.body.error.code, 'invalid');
});

test('a used key admits the agent only within its validity and while no agent is connected', async () => {
  const k = await createKey(server, cookie, { validityMin: 10 });
  const cust = await api(server, 'POST', '/api/sessions/join', { key: k.key });
  assert.is(cust.status, 200);
  // one agent at a time: a second one by key is someone else (the real one resumes by token)
  const a1 = await api(server, 'POST', '/api/sessions/join', { key: k.key, role: 'agent' });
  assert.is(a1.status, 200);
  const agent = wsClient(server, 'agent', a1.body.token);
  await agent.ready;
  const a2 = await api(server, 'POST', '/api/sessions/join', { key: k.key, role: 'agent' });
  assert.is(a2.status, 409);
  assert.is(a2.body.error.code, 'conflict');
  agent.conn.close();
  // used 11 minutes ago with a 10-minute validity: closed for agents and downloads alike
  const db = new Database(join(server.dataDir, 'bridge.db'));
  const ago = Date.now() - 11 * 60_000;
  db.prepare('update session_keys set created_at = ?, expires_at = ?, used_at = ? where key = ?').run(ago - 60_000, ago + 9 * 60_000, ago, k.key);
  db.close();
  await new Promise((r) => setTimeout(r, 300));
  const late = await api(server, 'POST', '/api/sessions/join', { key: k.key, role: 'agent' });
  assert.is(late.status, 410);
  assert.is(late.body.error.code, 'expired');
  const dl = await api(server, 'GET', `/download/${k.key}/linux-x64`);
  assert.is(dl.status, 410);
  // the customer gets a fresh agent key from its token; the browser join can't use it
  const fresh = await api(server, 'POST', '/api/sessions/agent-key', {}, { authorization: `Bearer ${cust.body.token}` });
  assert.is(fresh.status, 200);
  assert.ok(fresh.body.expiresAt > Date.now() + 9 * 60_000);
  assert.is((await api(server, 'POST', '/api/sessions/join', { key: fresh.body.key })).status, 409);
  const a3 = await api(server, 'POST', '/api/sessions/join', { key: fresh.body.key, role: 'agent' });
  assert.is(a3.status, 200);
  assert.is(a3.body.sessionId, k.sessionId);
  // only a customer token of a running session may ask
  assert.is((await api(server, 'POST', '/api/sessions/agent-key', {}, { authorization: `Bearer ${a3.body.token}` })).status, 401);
  assert.is((await api(server, 'POST', '/api/sessions/agent-key', {})).status, 401);
});

test('validity is capped by the site maximum', async () => {
  const k = await createKey(server, cookie, { validityMin: 7 * 24 * 60 });
  assert.ok(k.expiresAt <= Date.now() + 24 * 60 * 60_000 + 5000);
});

test('guessing keys is rate-limited', async () => {
  let limited = 0;
  for (let i = 0; i < 30; i++) {
    const r = await api(server, 'POST', '/api/sessions/join', { key: 'AAAAAAA' });
    if (r.status === 429) {
      limited++;
      assert.is(r.body.error.code, 'rate_limited');
    }
  }
  assert.ok(limited > 0, 'no 429 after 30 guesses');
});

test.run();
