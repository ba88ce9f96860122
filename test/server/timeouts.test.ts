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

test.run();
