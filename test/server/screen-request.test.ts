// A screen request is session state: asked before the agent runs, it reaches the agent when it
// connects and after a server restart; it ends answered, declined, cancelled, timed out or with
// the session, each a transcript line; hold takes the leaving rep out of the grant.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Msg } from '../../protocol/index.ts';
import { createKey, joinAgent, joinSession, loginRep, startServer, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let cookie: string;
let rep: TestClient;
let repId: string;
test.before(async () => {
  server = await startServer({ config: { agreement: null, screenRequestTimeoutSec: 3 } });
  cookie = await loginRep(server);
  rep = wsClient(server, 'rep', '', { cookie });
  repId = (await rep.ready).rep!.id;
});
test.after(async () => {
  await server.stop();
});

const withRequest = (m: any): boolean => m.t === 'session' && m.session.screenRequest !== null;
const systemLine = (code: string) => (m: any): boolean => m.t === 'event' && m.body.kind === 'system' && m.body.code === code;

/** A session the rep accepted, with the customer's browser chat connected. */
async function activeSession() {
  const k = await createKey(server, cookie);
  const j = await joinSession(server, k.key);
  const cust = wsClient(server, 'customer', j.token);
  await cust.ready;
  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  await cust.waitFor((m) => m.t === 'session' && m.session.state === 'active');
  return { ...k, token: j.token, cust };
}

/** The agent the customer starts from the chat (its key minted from the customer's token). */
async function startAgent(customerToken: string) {
  const a = await joinAgent(server, customerToken);
  const agent = wsClient(server, 'agent', a.token);
  await agent.ready;
  return agent;
}

test('a request made before the agent runs reaches the agent when it connects', async () => {
  const { sessionId, token, cust } = await activeSession();
  rep.conn.send({ t: 'screen.request', sessionId, want: 'control' });
  const seen = await cust.waitFor<Msg<'session'>>(withRequest);
  const req = seen.session.screenRequest!;
  assert.is(req.want, 'control');
  assert.is(req.repId, repId);
  assert.ok(req.expiresAt > req.at);
  await cust.waitFor((m: any) => systemLine('screen.requested')(m) && /requesting to control your screen/.test(m.body.text));

  // The customer downloads and starts the agent only now.
  const agent = await startAgent(token);
  const first = await agent.waitFor<Msg<'session'>>((m) => m.t === 'session');
  assert.is(first.session.screenRequest?.id, req.id, 'the agent learns of the open request on its first session message');

  // The customer allows control in the agent: the request is answered and goes away.
  agent.conn.send({ t: 'grant', sessionId, grant: 'control', epoch: 1, reps: [repId], apps: null });
  const after = await rep.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.id === sessionId && m.session.screenRequest === null && m.session.sharing === 'control');
  assert.is(after.session.agentOnline, true);
  const line = await cust.waitFor<Msg<'event'>>((m) => m.t === 'event' && m.body.kind === 'grant');
  assert.equal(line.body, { kind: 'grant', grant: 'control', reps: ['Administrator'] });

  // END SCREEN SHARE is a line too, and `sharing` says so.
  agent.conn.send({ t: 'grant', sessionId, grant: 'none', epoch: 2, reps: [], apps: null });
  await cust.waitFor((m) => m.t === 'event' && m.body.kind === 'grant' && m.body.grant === 'none');
  await rep.waitFor((m) => m.t === 'session' && m.session.id === sessionId && m.session.sharing === 'none');
  agent.close();
  cust.close();
});

test('the customer declines; the rep cancels; an unanswered request times out', async () => {
  const { sessionId, token, cust } = await activeSession();
  const agent = await startAgent(token);

  rep.conn.send({ t: 'screen.request', sessionId, want: 'view' });
  let req = (await agent.waitFor<Msg<'session'>>(withRequest)).session.screenRequest!;
  agent.conn.send({ t: 'screen.decline', sessionId, requestId: req.id });
  await rep.waitFor((m: any) => systemLine('screen.declined')(m) && m.sessionId === sessionId);
  await rep.waitFor((m) => m.t === 'session' && m.session.id === sessionId && m.session.screenRequest === null);

  rep.conn.send({ t: 'screen.request', sessionId, want: 'control' });
  req = (await cust.next<Msg<'session'>>(withRequest)).session.screenRequest!;
  // The browser chat may decline too (a customer who won't run the agent).
  rep.conn.send({ t: 'screen.cancel', sessionId, requestId: req.id });
  await cust.waitFor((m: any) => systemLine('screen.cancelled')(m));
  await agent.waitFor((m) => m.t === 'session' && m.session.screenRequest === null);
  // A stale answer to a request that is gone is refused, not applied.
  cust.conn.send({ t: 'screen.decline', sessionId, requestId: req.id });
  await cust.waitFor((m) => m.t === 'error' && m.code === 'not_found');

  rep.conn.send({ t: 'screen.request', sessionId, want: 'view' });
  await cust.next(withRequest);
  await cust.waitFor((m: any) => systemLine('screen.timeout')(m) && /timed out/.test(m.body.text), 8000);
  await agent.waitFor((m) => m.t === 'session' && m.session.screenRequest === null);
  agent.close();
  cust.close();
});

test('hold drops the holding rep from the grant and the request; picking up needs a new grant', async () => {
  const { sessionId, token, cust } = await activeSession();
  const agent = await startAgent(token);
  agent.conn.send({ t: 'grant', sessionId, grant: 'view', epoch: 1, reps: [repId], apps: null });
  await rep.waitFor((m) => m.t === 'grant' && m.sessionId === sessionId && m.grant === 'view');
  rep.conn.send({ t: 'screen.request', sessionId, want: 'control' });
  await agent.waitFor(withRequest);

  rep.conn.send({ t: 'hold', sessionId });
  const held = await agent.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.state === 'held');
  assert.is(held.session.screenRequest, null, 'the request leaves with the rep');
  assert.equal(held.session.reps, []);

  // The agent (as the real one does) re-announces an old grant after a reconnect: the server
  // still won't relay frames to a rep who is no longer in the session.
  agent.conn.send({ t: 'grant', sessionId, grant: 'view', epoch: 2, reps: [repId], apps: null });
  await new Promise((r) => setTimeout(r, 300)); // the re-announcement lands while the session is held
  rep.conn.send({ t: 'accept', sessionId });
  await agent.waitFor((m) => m.t === 'session' && m.session.state === 'active');
  rep.conn.send({ t: 'pointer', sessionId, x: 1, y: 1 });
  await rep.waitFor((m) => m.t === 'error' && m.code === 'not_consented');
  const frame: Msg<'frame'> = { t: 'frame', sessionId, seq: 9, display: 0, w: 8, h: 8, ts: Date.now(), rects: [{ k: 'fill', x: 0, y: 0, w: 8, h: 8, c: 0 }] };
  agent.conn.send(frame);
  await new Promise((r) => setTimeout(r, 300));
  assert.not.ok(rep.messages.some((m: any) => m.t === 'frame' && m.sessionId === sessionId), 'no frame for a rep the grant covered before the hold');
  agent.close();
  cust.close();
});

test('an open request and a waiting customer keep their time across a restart', async () => {
  const { sessionId, token, cust } = await activeSession();
  rep.conn.send({ t: 'screen.request', sessionId, want: 'control' });
  const req = (await cust.waitFor<Msg<'session'>>(withRequest)).session.screenRequest!;
  cust.close();
  await server.kill9();
  await new Promise((r) => setTimeout(r, 4000)); // longer than the request's 3 s
  await server.restart();
  // The agent starts only after the restart and still gets the request, with its deadline moved on.
  const agent = await startAgent(token);
  const s = await agent.waitFor<Msg<'session'>>((m) => m.t === 'session');
  assert.is(s.session.screenRequest?.id, req.id);
  assert.ok(s.session.screenRequest!.expiresAt >= req.expiresAt + 3000, 'the downtime does not count');
  agent.close();
});

test('a queued customer is orphaned after the time they had left, not counting the downtime', async () => {
  const s2 = await startServer({ config: { agreement: null, orphan: { timeoutSec: 4, redirectUrl: 'https://example.com/kb' } } });
  try {
    const c2 = await loginRep(s2);
    const k = await createKey(s2, c2);
    const j = await joinSession(s2, k.key);
    let cust = wsClient(s2, 'customer', j.token);
    await cust.ready;
    await new Promise((r) => setTimeout(r, 1500));
    await s2.kill9();
    await new Promise((r) => setTimeout(r, 5000)); // longer than the whole orphan timeout
    await s2.restart();
    cust = wsClient(s2, 'customer', j.token);
    const w = await cust.ready;
    assert.ok(w.sessionId);
    const queued = await cust.waitFor<Msg<'session'>>((m) => m.t === 'session');
    assert.is(queued.session.state, 'queued', 'still waiting right after the restart');
    const orphaned = await cust.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.state === 'orphaned', 8000);
    assert.is(orphaned.session.redirectUrl, 'https://example.com/kb');
    await cust.waitFor(systemLine('orphaned'));
    cust.close();
  } finally {
    await s2.stop();
  }
});

test.run();
