// Queues: position and estimated wait reported to waiting customers, on change and with the
// periodic queue message; reps see their queues.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Msg } from '../../protocol/index.ts';
import { api, loginRep, startServer, wsClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
test.before(async () => {
  server = await startServer({ config: { agreement: null, queueMessageIntervalSec: 1 } });
});
test.after(async () => {
  await server.stop();
});

async function submit(name: string) {
  const r = await api(server, 'POST', '/api/portal/submit', { name, company: 'ACME', issue: 'Printer', description: 'jammed' });
  assert.is(r.status, 200, JSON.stringify(r.body));
  return r.body as { token: string; sessionId: string; key: string };
}

const status = (sessionId: string, pred: (m: Msg<'queue.status'>) => boolean = () => true) =>
  (m: any) => m.t === 'queue.status' && m.sessionId === sessionId && pred(m);

test('two waiting customers get their position and an estimate', async () => {
  const cookie = await loginRep(server);
  const rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;

  // one accepted session gives the estimate some history (waited ≈ 400 ms)
  const a = await submit('Alice');
  await new Promise((r) => setTimeout(r, 400));
  rep.conn.send({ t: 'accept', sessionId: a.sessionId });
  await rep.waitFor((m) => m.t === 'session' && m.session.id === a.sessionId && m.session.state === 'active');

  const b = await submit('Bob');
  const c = await submit('Carol');
  const cb = wsClient(server, 'customer', b.token);
  const cc = wsClient(server, 'customer', c.token);
  await Promise.all([cb.ready, cc.ready]);
  const sb = await cb.waitFor<Msg<'queue.status'>>(status(b.sessionId));
  const sc = await cc.waitFor<Msg<'queue.status'>>(status(c.sessionId));
  assert.is(sb.position, 1);
  assert.is(sc.position, 2);
  assert.ok(sb.estimatedWaitSec !== null && sb.estimatedWaitSec >= 1);
  assert.ok(sc.estimatedWaitSec! >= sb.estimatedWaitSec!);

  // the periodic queue message carries a text
  const periodic = await cc.next<Msg<'queue.status'>>(status(c.sessionId, (m) => !!m.message), 3000);
  assert.match(periodic.message!, /number 2/);

  // the rep sees both in the general queue, oldest first
  const q = await rep.waitForQueues((m) => (m.queues.find((x) => x.ref.kind === 'general')?.sessions.length ?? 0) === 2);
  assert.equal(q.queues.find((x) => x.ref.kind === 'general')!.sessions.map((s) => s.customer.name), ['Bob', 'Carol']);

  // Bob is taken: Carol moves up
  const moved = cc.next<Msg<'queue.status'>>(status(c.sessionId, (m) => m.position === 1));
  rep.conn.send({ t: 'accept', sessionId: b.sessionId });
  await moved;

  // the portal lists the available rep
  const portal = await api(server, 'GET', '/api/portal');
  assert.ok(portal.body.reps.some((r: { name: string }) => r.name === 'Administrator'));
  rep.conn.send({ t: 'availability', status: 'away' });
  await rep.waitForQueues((m) => m.reps.some((r) => r.availability === 'away'));
  const portal2 = await api(server, 'GET', '/api/portal');
  assert.equal(portal2.body.reps, []);

  for (const c of [rep, cb, cc]) c.close();
});

test.run();
