// Reboot and reconnect through the real server with a protocol-speaking agent client
// (docs/ARCHITECTURE.md, "Reboot and reconnect"): who may ask, the customer's "not now", the
// credential only to the agent that confirmed, the wait the reps see, one rejoin per credential
// (and a token that works), consent asked again for a grant that stood, and the deadline: the
// record says failed and the credential no longer joins.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type Msg, type SessionInfo } from '../../protocol/index.ts';
import { api, joinAgent, loginRep, startServer, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';
import { activeSession } from '../helpers/session.ts';

let server: TestServer;
let cookie: string;
let rep: TestClient;
let repId: string;
const clients: TestClient[] = [];
test.before(async () => {
  server = await startServer({ config: { agreement: null, rebootWaitSec: 2 } });
  cookie = await loginRep(server);
});
test.after(async () => {
  for (const c of clients) c.close();
  await server.stop();
});

/** A session its own rep console accepted. */
async function active() {
  const s = await activeSession(server, { cookie });
  clients.push(s.rep, s.customer);
  rep = s.rep;
  repId = s.repId;
  return { sessionId: s.sessionId, token: s.token, cust: s.customer };
}

function agentWith(token: string) {
  const agent = wsClient(server, 'agent', token);
  clients.push(agent);
  return agent;
}

async function ask(sessionId: string, who?: TestClient): Promise<Msg<'error'> | null> {
  const id = newClientId();
  who ??= rep;
  who.conn.send({ t: 'reboot.request', sessionId, id });
  return who.next<Msg<'error'>>((m) => m.t === 'error' && m.ref === id, 700).catch(() => null);
}
const line = (c: TestClient, sessionId: string, code: string) => c.waitFor<Msg<'event'>>((m) => m.t === 'event' && m.sessionId === sessionId && m.body.kind === 'system' && m.body.code === code, 5000);
const sessionWhere = (c: TestClient, sessionId: string, ok: (s: SessionInfo) => boolean) => c.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.id === sessionId && ok(m.session), 5000);
const reconnect = (credential: string) => api(server, 'POST', '/api/sessions/reconnect', { credential });
const record = async (id: string) => (await api(server, 'GET', `/api/history/${id}`, undefined, { cookie })).body.session.reboot as string;

test('without an agent the rep is told to have it started; the customer side may not ask', async () => {
  const { sessionId, cust } = await active();
  assert.is((await ask(sessionId))?.code, 'conflict');
  assert.is((await ask(sessionId, cust))?.code, 'forbidden');
  assert.is(await record(sessionId), 'no');
});

test('"Not now": a line, no credential, nothing waits', async () => {
  const { sessionId, token } = await active();
  const agent = agentWith((await joinAgent(server, token)).token);
  await agent.ready;
  assert.is(await ask(sessionId), null);
  const req = await agent.waitFor<Msg<'reboot.request'>>((m) => m.t === 'reboot.request');
  assert.equal(req.from, { role: 'rep', id: repId, name: 'Administrator' });
  assert.is((await ask(sessionId))?.code, 'conflict', 'one request at a time');
  agent.conn.send({ t: 'reboot.answer', sessionId, requestId: req.requestId!, answer: 'decline' });
  assert.match((await line(rep, sessionId, 'reboot.declined')).body.kind, 'system');
  await new Promise((r) => setTimeout(r, 200));
  assert.not.ok(agent.messages.some((m) => m.t === 'reboot.ticket'));
  assert.is(await record(sessionId), 'no');
});

let waited: { sessionId: string; credential: string };

test('a confirmed restart: the credential goes to that agent only, the session waits, and it rejoins once', async () => {
  const { sessionId, token, cust } = await active();
  const agent = agentWith((await joinAgent(server, token)).token);
  await agent.ready;
  // The customer had let the rep in: after the restart consent is asked again.
  agent.conn.send({ t: 'grant', sessionId, grant: 'view', epoch: 1, reps: [repId], apps: null });
  await rep.waitFor((m) => m.t === 'grant' && m.sessionId === sessionId && m.grant === 'view');
  await ask(sessionId);
  const req = await agent.waitFor<Msg<'reboot.request'>>((m) => m.t === 'reboot.request');
  agent.conn.send({ t: 'reboot.answer', sessionId, requestId: req.requestId!, answer: 'restart' });
  const ticket = await agent.waitFor<Msg<'reboot.ticket'>>((m) => m.t === 'reboot.ticket');
  assert.is(ticket.answer, 'restart');
  assert.ok(ticket.credential.startsWith(`${sessionId}.`));
  const waiting = await sessionWhere(rep, sessionId, (s) => !!s.reboot?.waitingUntil);
  assert.ok(Math.abs(waiting.session.reboot!.waitingUntil! - ticket.expiresAt) < 5);
  await line(cust, sessionId, 'reboot.confirmed');
  for (const c of [rep, cust]) assert.not.ok(c.messages.some((m) => m.t === 'reboot.ticket'), 'nobody else gets the credential');
  assert.is((await ask(sessionId))?.code, 'conflict', 'nothing more to ask while it restarts');
  agent.close();
  await sessionWhere(rep, sessionId, (s) => !s.agentOnline);

  assert.is((await reconnect(`${sessionId}.wrong`)).status, 404);
  assert.is((await reconnect(ticket.credential.replace(sessionId, 'nope'))).status, 404);
  const back = await reconnect(ticket.credential);
  assert.is(back.status, 200);
  assert.is(back.body.sessionId, sessionId);
  assert.is(back.body.role, 'agent');
  assert.is((await reconnect(ticket.credential)).status, 404, 'spent');
  const again = agentWith(back.body.token);
  const welcome = await again.ready;
  assert.is(welcome.sessionId, sessionId);
  await line(rep, sessionId, 'reboot.reconnected');
  const s = await sessionWhere(rep, sessionId, (x) => x.reboot?.outcome === 'successful' && x.agentOnline && x.screenRequest !== null);
  assert.equal({ want: s.session.screenRequest!.want, repId: s.session.screenRequest!.repId }, { want: 'view', repId });
  assert.is(s.session.sharing, 'none', 'the grant did not survive');
  assert.is(await record(sessionId), 'successful');
  waited = { sessionId, credential: ticket.credential };
});

test('past the deadline the record says failed and the credential no longer joins', async () => {
  const { sessionId, token } = await active();
  const agent = agentWith((await joinAgent(server, token)).token);
  await agent.ready;
  await ask(sessionId);
  const req = await agent.waitFor<Msg<'reboot.request'>>((m) => m.t === 'reboot.request');
  agent.conn.send({ t: 'reboot.answer', sessionId, requestId: req.requestId!, answer: 'logout' });
  const ticket = await agent.waitFor<Msg<'reboot.ticket'>>((m) => m.t === 'reboot.ticket');
  agent.close();
  const failed = await line(rep, sessionId, 'reboot.failed');
  assert.match(failed.body.kind === 'system' ? failed.body.text : '', /did not come back in time/);
  await sessionWhere(rep, sessionId, (s) => s.reboot?.outcome === 'failed' && s.reboot.waitingUntil === null && s.state === 'active');
  const late = await reconnect(ticket.credential);
  assert.is(late.status, 410);
  assert.is(late.body.error.code, 'expired');
  assert.is(await record(sessionId), 'failed');
  // The earlier session's record is unchanged.
  assert.is(await record(waited.sessionId), 'successful');
});

test.run();
