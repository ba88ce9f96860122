// Remote diagnostics through the real server with a protocol-speaking agent client: who may ask,
// one open request at a time, the agent's answer and report only for the request the customer
// allowed, reports checked (plain JSON, section count, size), the open request again for an agent
// that reconnects, the report for a rep console that connects later, and the reporting record.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type DiagnosticsReport, type Msg } from '../../protocol/index.ts';
import { apiCredentials } from '../helpers/api-client.ts';
import { createKey, joinAgent, joinSession, loginRep, startServer, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let cookie: string;
let rep: TestClient;
const clients: TestClient[] = [];
test.before(async () => {
  server = await startServer({ config: { agreement: null } });
  cookie = await loginRep(server);
  rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;
});
test.after(async () => {
  for (const c of clients) c.close();
  rep.close();
  await server.stop();
});

async function activeSession() {
  const k = await createKey(server, cookie);
  const j = await joinSession(server, k.key);
  const cust = wsClient(server, 'customer', j.token);
  clients.push(cust);
  await cust.ready;
  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  await cust.waitFor((m) => m.t === 'session' && m.session.state === 'active');
  return { sessionId: k.sessionId, token: j.token, cust };
}

async function agentFor(customerToken: string) {
  const a = await joinAgent(server, customerToken);
  const agent = wsClient(server, 'agent', a.token);
  clients.push(agent);
  await agent.ready;
  return agent;
}

/** The rep asks; resolves with the error sent back, or null when none came in a moment. */
async function ask(sessionId: string, who = rep): Promise<Msg<'error'> | null> {
  const id = newClientId();
  who.conn.send({ t: 'diag.request', sessionId, id });
  return who.next<Msg<'error'>>((m) => m.t === 'error' && m.ref === id, 700).catch(() => null);
}

const report = (sections: DiagnosticsReport['sections']): DiagnosticsReport => ({ collectedAt: Date.now(), platform: 'linux', sections });
const section = (id: string, data: unknown = { ok: true }, text = 'fine') => ({ id, title: id.toUpperCase(), status: 'ok' as const, ms: 3, data, text });
const errorFrom = (c: TestClient, t: string) => c.next<Msg<'error'>>((m) => m.t === 'error' && m.ref === t, 3000);

test('without an agent the rep is told to have it started', async () => {
  const { sessionId } = await activeSession();
  const err = await ask(sessionId);
  assert.is(err?.code, 'conflict');
  assert.match(err!.message, /support program isn't connected/);
});

test('one open request; answer and report only for it, the report only after Allow; checked reports', async () => {
  const { sessionId, token } = await activeSession();
  const agent = await agentFor(token);
  assert.is(await ask(sessionId), null);
  const req = await agent.waitFor<Msg<'diag.request'>>((m) => m.t === 'diag.request');
  assert.ok(req.requestId);
  assert.is(req.from?.role, 'rep');
  assert.is((await ask(sessionId))?.code, 'conflict', 'a second request while one is open');

  // A report nobody allowed.
  agent.conn.send({ t: 'diag.report', sessionId, requestId: req.requestId!, report: report([section('os')]) });
  assert.is((await errorFrom(agent, 'diag.report')).code, 'not_consented');
  agent.conn.send({ t: 'diag.answer', sessionId, requestId: 'made-up', allowed: true });
  assert.is((await errorFrom(agent, 'diag.answer')).code, 'not_found');
  // The rep can't answer for the customer.
  rep.conn.send({ t: 'diag.answer', sessionId, requestId: req.requestId!, allowed: true });
  assert.is((await errorFrom(rep, 'diag.answer')).code, 'forbidden');

  // A reconnecting agent hears the open request again.
  const heard = agent.next<Msg<'diag.request'>>((m) => m.t === 'diag.request', 5000);
  agent.conn.reconnectNow();
  assert.is((await heard).requestId, req.requestId);
  const again = agent;

  again.conn.send({ t: 'diag.answer', sessionId, requestId: req.requestId!, allowed: true });
  await rep.waitFor((m) => m.t === 'event' && m.sessionId === sessionId && m.body.kind === 'system' && m.body.code === 'diagnostics.allowed');
  // Not plain JSON, too many sections, too large: refused by the schema or the size check.
  again.conn.send({ t: 'diag.report', sessionId, requestId: req.requestId!, report: report([section('os', { raw: new Uint8Array(4) })]) });
  assert.is((await errorFrom(again, 'diag.report')).code, 'invalid');
  again.conn.send({ t: 'diag.report', sessionId, requestId: req.requestId!, report: report(Array.from({ length: 41 }, (_, i) => section(`s${i}`))) });
  assert.is((await errorFrom(again, 'diag.report')).code, 'invalid');
  again.conn.send({ t: 'diag.report', sessionId, requestId: req.requestId!, report: report(Array.from({ length: 20 }, (_, i) => section(`s${i}`, null, 'x'.repeat(60_000)))) });
  assert.is((await agentError(again)).code, 'too_large');

  const good = report([section('os', { name: 'Debian' }, 'Debian GNU/Linux 12'), section('disks', [{ mount: '/' }])]);
  again.conn.send({ t: 'diag.report', sessionId, requestId: req.requestId!, report: good });
  const got = await rep.waitFor<Msg<'diag.report'>>((m) => m.t === 'diag.report' && m.sessionId === sessionId);
  assert.equal(got.report, good);
  const line = await rep.waitFor<Msg<'event'>>((m) => m.t === 'event' && m.sessionId === sessionId && m.body.kind === 'system' && m.body.code === 'diagnostics.collected');
  assert.is(line.body.kind === 'system' && line.body.text, 'Diagnostics collected (2 sections).');
  // Used up: the same request can't deliver again.
  again.conn.send({ t: 'diag.report', sessionId, requestId: req.requestId!, report: good });
  assert.is((await errorFrom(again, 'diag.report')).code, 'not_found');

  // A console that connects later gets the report with the session.
  const later = wsClient(server, 'rep', '', { cookie });
  clients.push(later);
  assert.equal((await later.waitFor<Msg<'diag.report'>>((m) => m.t === 'diag.report' && m.sessionId === sessionId, 5000)).report, good);

  // The reporting API's record.
  const creds = await apiCredentials(server, cookie, ['reporting']);
  const rec = await fetch(`${server.url}/api/v1/sessions/${sessionId}`, { headers: { authorization: `Bearer ${creds.token}` } });
  assert.is(rec.status, 200);
  assert.equal(((await rec.json()) as { diagnostics: { report: DiagnosticsReport } }).diagnostics.report, good);
});

/** The size check refuses before decoding: its error names no message. */
function agentError(c: TestClient): Promise<Msg<'error'>> {
  return c.next<Msg<'error'>>((m) => m.t === 'error', 3000);
}

test('refused: the line is written and the request is closed, so the rep may ask again', async () => {
  const { sessionId, token, cust } = await activeSession();
  const agent = await agentFor(token);
  await ask(sessionId);
  const req = await agent.waitFor<Msg<'diag.request'>>((m) => m.t === 'diag.request');
  agent.conn.send({ t: 'diag.answer', sessionId, requestId: req.requestId!, allowed: false });
  const line = await cust.waitFor<Msg<'event'>>((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'diagnostics.refused');
  assert.is(line.body.kind === 'system' && line.body.text, 'The customer refused to send diagnostics.');
  assert.is(await ask(sessionId), null, 'a new request is accepted');
});

test.run();
