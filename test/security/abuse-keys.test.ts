// Key misuse (docs/SECURITY.md "Session keys and agent keys"): a session key or link, which
// travels in e-mail, URLs and proxy logs, admits the browser customer only, never an agent; an
// agent key is minted by the customer's own token, starts one agent once and dies young; an
// agent reads the chat only from when the customer asked for its key; a customer token reads
// its transcript only within the ended-session grace.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type Msg } from '../../protocol/index.ts';
import { activeSession } from '../helpers/session.ts';
import { agentKey, api, createKey, joinSession, loginRep, startServer, until, wsClient, type TestServer } from '../helpers/server.ts';
import { storeSql } from '../helpers/store-sql.ts';

let server: TestServer;
let cookie: string;

test.before(async () => {
  server = await startServer({ config: { agreement: null, endedGraceSec: 2, rateLimit: { joinPerMin: 1000 } } });
  cookie = await loginRep(server);
});
test.after(async () => {
  await server?.stop();
});

const join = (body: object) => api(server, 'POST', '/api/sessions/join', body);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const chatTexts = (events: { body: { kind: string; text?: string } }[]) => events.filter((e) => e.body.kind === 'chat').map((e) => e.body.text);

test('a session key or its link never starts or downloads an agent, before or after the customer used it', async () => {
  const k = await createKey(server, cookie);
  const refusedForAgents = async (when: string) => {
    for (const body of [{ key: k.key, role: 'agent' }, { accessKey: k.accessKey, role: 'agent' }]) {
      const r = await join(body);
      assert.is(r.status, 403, `${when}: ${JSON.stringify(body)} → ${r.status}`);
      assert.is(r.body.error.code, 'forbidden');
      assert.match(r.body.error.message, /Share my screen/, 'says where the program comes from');
    }
    for (const path of [`/download/${k.key}`, `/download/${k.key}/linux-x64`]) {
      const r = await api(server, 'GET', path);
      assert.is(r.status, 403, `${when}: ${path} → ${r.status}`);
    }
  };
  await refusedForAgents('unused');
  // The customer opens the (leaked) link: it still starts no agent, and the attempts above spent nothing.
  const cust = await join({ accessKey: k.accessKey, name: 'Lena Link' });
  assert.is(cust.status, 200);
  assert.is(cust.body.role, 'customer');
  await refusedForAgents('used');
});

test('an agent key is minted only by a customer token, starts one agent once, and dies young', async () => {
  const k = await createKey(server, cookie);
  const cust = await joinSession(server, k.key, 'customer', 'Ivo Issuer');
  // Only the customer's own token mints one: not anonymous, not a rep, not an agent.
  assert.is((await api(server, 'POST', '/api/sessions/agent-key', {})).status, 401);
  assert.is((await api(server, 'POST', '/api/sessions/agent-key', {}, { cookie })).status, 401);
  const key = await agentKey(server, cust.token);
  // An agent key is no way into the browser chat.
  assert.is((await join({ key })).status, 403);
  const first = await join({ key, role: 'agent' });
  assert.is(first.status, 200);
  assert.is((await api(server, 'POST', '/api/sessions/agent-key', {}, bearer(first.body.token))).status, 401);
  // Spent: a copy of the downloaded program (same key) neither starts nor downloads again.
  const replay = await join({ key, role: 'agent' });
  assert.is(replay.status, 409);
  assert.is(replay.body.error.code, 'used');
  assert.match(replay.body.error.message, /download it again from the chat/);
  assert.is((await api(server, 'GET', `/download/${key}`)).status, 409);
  // The agent that joined restarts with its own token, as before.
  const agent = wsClient(server, 'agent', first.body.token);
  await agent.ready;
  // While it runs, a second agent key starts no second agent, and trying doesn't spend the key.
  const second = await agentKey(server, cust.token);
  const busy = await join({ key: second, role: 'agent' });
  assert.is(busy.status, 409);
  assert.is(busy.body.error.code, 'conflict');
  agent.close();
  let after = busy;
  await until(async () => (after = await join({ key: second, role: 'agent' })).status !== 409, 5000, 'the agent to be gone');
  assert.is(after.status, 200);
  // Expired (sessionKeys.agentValiditySec): neither join nor download.
  const old = await agentKey(server, cust.token);
  await storeSql(server, 'update session_keys set expires_at = ? where key = ?', Date.now() - 1, old);
  const late = await join({ key: old, role: 'agent' });
  assert.is(late.status, 410);
  assert.is(late.body.error.code, 'expired');
  assert.is((await api(server, 'GET', `/download/${old}/linux-x64`)).status, 410);
});

test('an agent reads the chat only from when the customer asked for its key, and chats as the customer', async () => {
  const s = await activeSession(server, { cookie, customerName: 'Cora Customer' });
  try {
    await s.customer.conn.sendReliable({ t: 'chat', sessionId: s.sessionId, id: newClientId(), text: 'my password is hunter2' });
    await new Promise((r) => setTimeout(r, 20)); // a later millisecond than the line above
    const key = await agentKey(server, s.token);
    await s.customer.conn.sendReliable({ t: 'chat', sessionId: s.sessionId, id: newClientId(), text: 'downloading the program now' });
    const aj = await joinSession(server, key, 'agent');
    const agent = wsClient(server, 'agent', aj.token);
    await agent.ready;
    await agent.waitFor((m) => m.t === 'event' && m.body.kind === 'chat' && m.body.text === 'downloading the program now');
    assert.equal(chatTexts(agent.events(s.sessionId)), ['downloading the program now'], 'the replay starts at the key');
    const viaAgent = await api(server, 'GET', `/api/sessions/${s.sessionId}/transcript?format=json`, undefined, bearer(aj.token));
    assert.is(viaAgent.status, 200);
    assert.equal(chatTexts(viaAgent.body.events), ['downloading the program now']);
    const txt = await api(server, 'GET', `/api/sessions/${s.sessionId}/transcript?format=txt`, undefined, bearer(aj.token));
    assert.not.match(txt.body, /hunter2/);
    const viaCustomer = await api(server, 'GET', `/api/sessions/${s.sessionId}/transcript?format=json`, undefined, bearer(s.token));
    assert.equal(chatTexts(viaCustomer.body.events), ['my password is hunter2', 'downloading the program now']);
    // The agent window's chat is the customer's voice (docs/ARCHITECTURE.md).
    await agent.conn.sendReliable({ t: 'chat', sessionId: s.sessionId, id: newClientId(), text: 'typed in the agent window' });
    const seen = await s.rep.waitFor<Msg<'event'>>((m) => m.t === 'event' && m.body.kind === 'chat' && m.body.text === 'typed in the agent window');
    assert.equal(seen.from, { role: 'customer', name: 'Cora Customer' });
    agent.close();
  } finally {
    s.close();
  }
});

test('a customer token reads its transcript only within the ended-session grace', async () => {
  const s = await activeSession(server, { cookie });
  try {
    s.rep.conn.send({ t: 'end', sessionId: s.sessionId, reason: 'resolved' });
    await s.customer.waitFor((m) => m.t === 'session' && m.session.state === 'ended');
    const path = `/api/sessions/${s.sessionId}/transcript?format=txt`;
    assert.is((await api(server, 'GET', path, undefined, bearer(s.token))).status, 200, 'within the grace');
    await new Promise((r) => setTimeout(r, 2200)); // endedGraceSec: 2
    const late = await api(server, 'GET', path, undefined, bearer(s.token));
    assert.is(late.status, 410);
    assert.is(late.body.error.code, 'ended');
    assert.is((await api(server, 'POST', '/api/sessions/agent-key', {}, bearer(s.token))).status, 410);
    // The rep's record is not the customer's token: History keeps it.
    assert.is((await api(server, 'GET', path, undefined, { cookie })).status, 200);
  } finally {
    s.close();
  }
});

test.run();
