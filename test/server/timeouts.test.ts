// Timers: an orphaned session (no rep within the orphan timeout) gets the orphan message and
// the redirect URL; an agreement not answered in time ends the session.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type Msg } from '../../protocol/index.ts';
import { api, createKey, joinSession, loginRep, startServer, wsClient, type TestServer } from '../helpers/server.ts';
import { storeSql } from '../helpers/store-sql.ts';

let server: TestServer;
test.before(async () => {
  server = await startServer({ config: { agreement: { text: 'Agree?', timeoutSec: 1 }, orphan: { timeoutSec: 3, redirectUrl: 'https://kb.example.com/help' } } });
});
test.after(async () => {
  await server.stop();
});

test('no rep within the orphan timeout → orphaned with the redirect URL', async () => {
  const r = await api(server, 'POST', '/api/portal/submit', { name: 'Olga' });
  const c = wsClient(server, 'customer', r.body.token);
  await c.ready;
  await c.conn.sendReliable({ t: 'agreement', sessionId: r.body.sessionId, id: newClientId(), accepted: true });
  const started = Date.now();
  const orphaned = await c.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.state === 'orphaned', 10000);
  assert.ok(Date.now() - started < 8000);
  assert.is(orphaned.session.redirectUrl, 'https://kb.example.com/help');
  const ev = await c.waitFor<Msg<'event'>>((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'orphaned');
  assert.ok(ev.body.kind === 'system' && ev.body.text.length > 0);
  c.close();
  const [row] = await storeSql(server, 'select state, end_reason, redirect_url from sessions where id = ?', r.body.sessionId);
  assert.equal(row, { state: 'orphaned', end_reason: 'orphaned', redirect_url: 'https://kb.example.com/help' });
});

test('an agreement not answered in time ends the session', async () => {
  const cookie = await loginRep(server);
  const k = await createKey(server, cookie);
  const j = await joinSession(server, k.key);
  const c = wsClient(server, 'customer', j.token);
  const w = await c.ready;
  assert.is(w.customer?.agreement?.timeoutSec, 1);
  const ended = await c.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.state === 'ended', 8000);
  assert.match(ended.session.endReason ?? '', /agreement/);
  c.close();
});

test('the customer can ask for more time on the agreement, ten times at most; a rep cannot', async () => {
  const cookie = await loginRep(server);
  const j = await joinSession(server, (await createKey(server, cookie)).key);
  const c = wsClient(server, 'customer', j.token);
  await c.ready;
  const sessionId = j.sessionId;
  const deadline = async () => Number((await storeSql(server, 'select agreement_at from sessions where id = ?', sessionId))[0].agreement_at);
  const first = await deadline();
  // Each request restarts the 1 s countdown: 1.8 s in, the session is still open.
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 600));
    c.conn.send({ t: 'agreement.more', sessionId });
  }
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(await deadline() > first + 1500, 'the deadline moved on');
  assert.is((await storeSql(server, 'select state from sessions where id = ?', sessionId))[0].state, 'queued', 'still open');
  const rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;
  rep.conn.send({ t: 'agreement.more', sessionId });
  const refused = await rep.waitFor<Msg<'error'>>((m) => m.t === 'error', 3000);
  assert.is(refused.code, 'forbidden');
  rep.close();
  for (let i = 3; i < 10; i++) c.conn.send({ t: 'agreement.more', sessionId });
  c.conn.send({ t: 'agreement.more', sessionId });
  const enough = await c.waitFor<Msg<'error'>>((m) => m.t === 'error', 3000);
  assert.is(enough.code, 'conflict');
  assert.match(enough.message, /accept or decline/);
  // The 1 s countdown after the last extension; a loaded machine may take a while to say so.
  const ended = await c.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.state === 'ended', 15_000);
  assert.match(ended.session.endReason ?? '', /agreement/);
  c.close();
});

test.run();
