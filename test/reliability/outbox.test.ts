// The client outbox (protocol/connection.ts) against real refusals: a message the server refuses
// for good (the session ended, not your session) is rejected to the caller and leaves the outbox,
// instead of waiting forever and being resent on every reconnect; a transient refusal keeps it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId } from '../../protocol/index.ts';
import { activeSession, type ActiveSession } from '../helpers/session.ts';
import { startServer, until, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let s: ActiveSession;
let other: ActiveSession;

test.before(async () => {
  server = await startServer({ config: { agreement: null } });
  s = await activeSession(server);
  other = await activeSession(server, { cookie: s.cookie });
});
test.after(async () => {
  s?.close();
  other?.close();
  await server?.stop();
});

const settle = <T>(p: Promise<T>, ms = 10_000) => Promise.race([
  p.then((v) => ({ ok: true as const, v }), (e: Error) => ({ ok: false as const, e })),
  new Promise<{ ok: null }>((r) => setTimeout(() => r({ ok: null }), ms)),
]);

test('a line for someone else\'s session is refused and rejected, not kept', async () => {
  const r = await settle(s.customer.conn.sendReliable({ t: 'chat', sessionId: other.sessionId, id: newClientId(), text: 'wrong door' }));
  assert.is(r.ok, false, 'the promise settles with a rejection');
  assert.equal(s.customer.conn.pending(), [], 'nothing left to resend');
});

test('after the session ended: a new line is rejected with the reason; a reconnect does not resend it', async () => {
  s.rep.conn.send({ t: 'end', sessionId: s.sessionId, reason: 'done' });
  await s.customer.waitFor((m) => m.t === 'session' && m.session.id === s.sessionId && m.session.state === 'ended', 10_000);
  const r = await settle(s.customer.conn.sendReliable({ t: 'chat', sessionId: s.sessionId, id: newClientId(), text: 'too late' }));
  assert.is(r.ok, false);
  if (r.ok === false) assert.match(r.e.message, /ended/);
  assert.equal(s.customer.conn.pending(), []);
  // The customer may still reconnect (transcript, survey) and nothing is resent.
  const errors = () => s.customer.messages.filter((m) => m.t === 'error').length;
  const before = errors();
  s.customer.conn.reconnectNow();
  await until(() => s.customer.status === 'online', 10_000, 'reconnected');
  await new Promise((r2) => setTimeout(r2, 500));
  assert.is(errors(), before, 'no refused resend after the reconnect');
});

test.run();
