// Session keys: one-time for the browser customer, expiring, unknown keys refused with clear
// errors, guessing rate-limited; the agent's own key from the customer's token. Misuse of keys
// (a link or used key starting an agent, replayed agent keys): test/security/abuse-keys.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { api, createKey, joinSession, loginRep, startServer, type TestServer } from '../helpers/server.ts';
import { storeSql } from '../helpers/store-sql.ts';

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

test('a key is one-time for the customer', async () => {
  const k = await createKey(server, cookie);
  const first = await api(server, 'POST', '/api/sessions/join', { key: k.key });
  assert.is(first.status, 200);
  assert.is(first.body.role, 'customer');
  const again = await api(server, 'POST', '/api/sessions/join', { key: k.key });
  assert.is(again.status, 409);
  assert.is(again.body.error.code, 'used');
  const viaLink = await api(server, 'POST', '/api/sessions/join', { accessKey: k.accessKey });
  assert.is(viaLink.status, 409);
});

test('the customer\'s token mints an agent key that downloads and starts one agent', async () => {
  const k = await createKey(server, cookie);
  const cust = await joinSession(server, k.key, 'customer', 'Ada Agentless');
  const minted = await api(server, 'POST', '/api/sessions/agent-key', {}, { authorization: `Bearer ${cust.token}` });
  assert.is(minted.status, 200);
  assert.ok(minted.body.key !== k.key);
  // A few minutes (sessionKeys.agentValiditySec, default 300 s), not the rep key's 10 minutes.
  assert.ok(Math.abs(minted.body.expiresAt - (Date.now() + 300_000)) < 5000, `expiresAt ${minted.body.expiresAt - Date.now()} ms from now`);
  const page = await api(server, 'GET', `/download/${minted.body.key}`);
  assert.is(page.status, 200);
  assert.match(page.body, new RegExp(`Screen sharing for session ${minted.body.key}`));
  const agent = await api(server, 'POST', '/api/sessions/join', { key: minted.body.key, role: 'agent' });
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
  await storeSql(server, 'update session_keys set expires_at = ? where key = ?', Date.now() - 1000, k.key);
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
