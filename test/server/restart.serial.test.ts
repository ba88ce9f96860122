// kill -9 mid-session, restart on the same data dir: every acknowledged message is still there,
// and the clients resume on their own (resume tokens and logins live in the store).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId } from '../../protocol/index.ts';
import { api, createKey, joinSession, loginRep, startServer, until, wsClient, type TestServer } from '../helpers/server.ts';
import { storeSql } from '../helpers/store-sql.ts';

let server: TestServer;
test.before(async () => {
  server = await startServer({ config: { agreement: null } });
});
test.after(async () => {
  await server.stop();
});

test('acknowledged messages survive kill -9, and clients resume', async () => {
  const cookie = await loginRep(server);
  const rep = wsClient(server, 'rep', '', { cookie, backoffMs: [100, 200] });
  await rep.ready;
  const k = await createKey(server, cookie);
  const j = await joinSession(server, k.key);
  const cust = wsClient(server, 'customer', j.token, { backoffMs: [100, 200] });
  await cust.ready;
  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  await cust.waitFor((m) => m.t === 'session' && m.session.state === 'active');

  // a burst from both sides; remember what was acknowledged when the server dies
  const acked: string[] = [];
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < 50; i++) {
    const text = `${i % 2 ? 'rep' : 'cust'} ${i}`;
    const c = i % 2 ? rep : cust;
    sends.push(c.conn.sendReliable({ t: 'chat', sessionId: k.sessionId, id: newClientId(), text }).then(() => acked.push(text), () => {}));
    if (i === 30) await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 30));
  await server.kill9();
  const ackedAtKill = [...acked];
  const stored = new Set((await storeSql<{ body: string }>(server, "select body from events where session_id = ? and kind = 'chat'", k.sessionId)).map((r) => JSON.parse(r.body).text));
  for (const t of ackedAtKill) assert.ok(stored.has(t), `acked "${t}" was lost`);

  await server.restart();
  // the clients reconnect and resume; their outboxes resend the rest, deduped
  await Promise.all(sends);
  await until(() => rep.status === 'online' && cust.status === 'online', 10_000, 'reconnect');
  assert.is(acked.length, 50);
  await until(() => cust.events(k.sessionId).filter((e) => e.body.kind === 'chat').length === 50, 10_000, 'all 50 at the customer');
  await until(() => rep.events(k.sessionId).filter((e) => e.body.kind === 'chat').length === 50, 10_000, 'all 50 at the rep');
  const seqs = cust.events(k.sessionId).map((e) => e.seq);
  assert.equal(seqs, seqs.map((_, i) => i + 1));

  // the session is still active, with its rep, and chat goes on
  const t = await api(server, 'GET', `/api/sessions/${k.sessionId}/transcript`, undefined, { authorization: `Bearer ${j.token}` });
  assert.is(t.body.session.state, 'active');
  assert.is(t.body.events.filter((e: any) => e.body.kind === 'chat').length, 50);
  await cust.conn.sendReliable({ t: 'chat', sessionId: k.sessionId, id: newClientId(), text: 'after restart' });
  await rep.waitFor((m) => m.t === 'event' && m.body.kind === 'chat' && m.body.text === 'after restart');
});

test.run();
