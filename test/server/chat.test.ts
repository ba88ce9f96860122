// Key → join → chat both ways → transcript in SQLite, against a real server process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type Msg } from '../../protocol/index.ts';
import { api, createKey, joinSession, loginRep, startServer, wsClient, type TestServer } from '../helpers/server.ts';
import { storeSql } from '../helpers/store-sql.ts';

let server: TestServer;
test.before(async () => {
  server = await startServer({ config: { agreement: null } });
});
test.after(async () => {
  await server.stop();
});

test('healthz and portal answer', async () => {
  const h = await api(server, 'GET', '/healthz');
  assert.is(h.status, 200);
  assert.is(h.body.ok, true);
  const p = await api(server, 'GET', '/api/portal');
  assert.is(p.status, 200);
  assert.type(p.body.companyName, 'string');
});

test('key → join → chat both ways → transcript stored', async () => {
  const cookie = await loginRep(server);
  const k = await createKey(server, cookie, { externalKey: 'TICKET-42' });
  assert.match(k.key, /^[ACDEFGHJKMNPQRTUVWXY34679]{7}$/);
  assert.ok(k.url.endsWith(`/s/${k.accessKey}`));
  const j = await joinSession(server, k.key.toLowerCase(), 'customer', 'Ada');
  assert.is(j.sessionId, k.sessionId);

  const rep = wsClient(server, 'rep', '', { cookie });
  const welcomeRep = await rep.ready;
  assert.is(welcomeRep.rep?.username, 'admin');
  const queues = await rep.waitForQueues((m) => m.queues.some((q) => q.sessions.some((s) => s.id === k.sessionId)));
  assert.ok(queues.queues.find((q) => q.ref.kind === 'personal'));

  const cust = wsClient(server, 'customer', j.token);
  const w = await cust.ready;
  assert.is(w.sessionId, k.sessionId);
  assert.ok(w.customer);
  await cust.waitFor((m) => m.t === 'queue.status');

  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  await cust.waitFor((m) => m.t === 'session' && m.session.state === 'active');

  const seq1 = await cust.conn.sendReliable({ t: 'chat', sessionId: k.sessionId, id: newClientId(), text: 'Hello, my printer is on fire' });
  assert.ok(seq1 > 0);
  await rep.waitFor((m) => m.t === 'event' && m.body.kind === 'chat' && m.body.text === 'Hello, my printer is on fire');
  await rep.conn.sendReliable({ t: 'chat', sessionId: k.sessionId, id: newClientId(), text: 'Please step away from it' });
  const ev = await cust.waitFor<Msg<'event'>>((m) => m.t === 'event' && m.body.kind === 'chat' && m.body.text === 'Please step away from it');
  assert.is(ev.from.role, 'rep');

  // typing is relayed, not stored
  cust.conn.send({ t: 'typing', sessionId: k.sessionId, active: true });
  const typing = await rep.waitFor<Msg<'typing'>>((m) => m.t === 'typing');
  assert.is(typing.from?.role, 'customer');

  // the transcript over HTTP, for the customer token and for the rep
  const tj = await api(server, 'GET', `/api/sessions/${k.sessionId}/transcript?format=json`, undefined, { authorization: `Bearer ${j.token}` });
  assert.is(tj.status, 200);
  assert.ok(tj.body.events.some((e: any) => e.body.text === 'Please step away from it'));
  const tt = await api(server, 'GET', `/api/sessions/${k.sessionId}/transcript?format=txt`, undefined, { cookie });
  assert.is(tt.status, 200);
  assert.match(tt.body, /Ada: Hello, my printer is on fire/);

  rep.conn.send({ t: 'end', sessionId: k.sessionId });
  await cust.waitFor((m) => m.t === 'session' && m.session.state === 'ended');
  rep.close();
  cust.close();

  // straight from the store
  const rows = await storeSql<{ seq: number; kind: string; body: string }>(server, 'select seq, kind, body from events where session_id = ? order by seq', k.sessionId);
  const texts = rows.filter((r) => r.kind === 'chat').map((r) => JSON.parse(r.body).text);
  assert.equal(texts, ['Hello, my printer is on fire', 'Please step away from it']);
  assert.equal(rows.map((r) => r.seq), rows.map((_, i) => i + 1));
  const [s] = await storeSql<any>(server, 'select * from sessions where id = ?', k.sessionId);
  assert.is(s.state, 'ended');
  assert.is(s.external_key, 'TICKET-42');
  assert.ok(s.accepted_at && s.ended_at);

  const hist = await api(server, 'GET', '/api/history?q=TICKET', undefined, { cookie });
  assert.is(hist.status, 200);
  assert.is(hist.body.sessions[0].id, k.sessionId);
  assert.is(hist.body.sessions[0].primaryRep, 'Administrator');
});

test.run();
