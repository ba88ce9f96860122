// Exit surveys from the customer and the rep are stored (once, even when resent), also after
// the session ended.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encode, newClientId, type Msg } from '../../protocol/index.ts';
import { api, createKey, joinSession, loginRep, startServer, wsClient, type TestServer } from '../helpers/server.ts';
import { storeSql } from '../helpers/store-sql.ts';

let server: TestServer;
test.before(async () => {
  server = await startServer({ config: { agreement: null } });
});
test.after(async () => {
  await server.stop();
});

test('customer and rep surveys are stored', async () => {
  const cookie = await loginRep(server);
  const rep = wsClient(server, 'rep', '', { cookie });
  const w = await rep.ready;
  assert.equal(w.rep?.survey.map((q) => q.id), ['resolved', 'comment']);
  const k = await createKey(server, cookie);
  const j = await joinSession(server, k.key);
  const c = wsClient(server, 'customer', j.token);
  const cw = await c.ready;
  assert.equal(cw.customer?.survey.map((q) => q.id), ['rating', 'comment']);
  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  await c.waitFor((m) => m.t === 'session' && m.session.state === 'active');
  rep.conn.send({ t: 'end', sessionId: k.sessionId });
  await c.waitFor((m) => m.t === 'session' && m.session.state === 'ended');

  const id = newClientId();
  const survey: Msg<'survey'> = { t: 'survey', sessionId: k.sessionId, id, answers: { rating: 5, comment: 'Quick and friendly' } };
  await c.conn.sendReliable(survey);
  await c.waitFor((m) => m.t === 'done' && m.ref === id);
  // a resend (lost ack) is not stored twice
  await c.conn.sendReliable(survey);
  await rep.conn.sendReliable({ t: 'survey', sessionId: k.sessionId, id: newClientId(), answers: { resolved: 'Yes', comment: 'Replaced the toner' } });

  const rows = await storeSql<any>(server, 'select role, rep_id, answers from surveys where session_id = ? order by id', k.sessionId);
  assert.is(rows.length, 2);
  assert.equal(JSON.parse(rows[0].answers), { rating: 5, comment: 'Quick and friendly' });
  assert.is(rows[0].role, 'customer');
  assert.is(rows[1].role, 'rep');
  assert.is(rows[1].rep_id, w.rep!.id);
  const rec = await api(server, 'GET', `/api/history/${k.sessionId}`, undefined, { cookie });
  assert.is(rec.body.surveys.length, 2);
  c.close();
  rep.close();
});

test('another session cannot be surveyed with this token', async () => {
  const cookie = await loginRep(server);
  const a = await createKey(server, cookie);
  const b = await createKey(server, cookie);
  const ja = await joinSession(server, a.key);
  const c = wsClient(server, 'customer', ja.token);
  await c.ready;
  (c.conn as unknown as { socket: { send(b: Uint8Array): void } }).socket.send(encode({ t: 'survey', sessionId: b.sessionId, id: 'x1', answers: { rating: 1 } }));
  await c.waitFor((m) => m.t === 'error' && m.code === 'forbidden');
  c.close();
});

test.run();
