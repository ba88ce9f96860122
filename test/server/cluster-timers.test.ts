// Timers and budgets of several bridge servers (docs/ARCHITECTURE.md, "Several nodes"): three
// server processes on one PostgreSQL and one NATS server. A deadline fires once though every node
// holds the session; after kill -9 of the node running the deadlines another takes over and the
// deadline still fires; key guesses spread over two nodes spend one budget.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Message, Msg } from '../../protocol/index.ts';
import { CLUSTER_ADMIN_PASSWORD, startCluster } from '../helpers/cluster.ts';
import type { TestNats } from '../helpers/nats.ts';
import { api, loginRep, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

const ORPHAN_SEC = 3;
const JOIN_PER_MIN = 12;
const TAKES_OVER = /now runs the cluster's deadlines/;

let nats: TestNats;
let a: TestServer;
let b: TestServer;
let c: TestServer;

test.before(async () => {
  ({ nats, nodes: [a, b, c] } = await startCluster(3, {
    agreement: null,
    orphan: { timeoutSec: ORPHAN_SEC, redirectUrl: null },
    screenRequestTimeoutSec: 2,
    // The guessing test speaks for an address of its own (X-Forwarded-For from loopback).
    trustProxy: ['127.0.0.1'],
    rateLimit: { joinPerMin: JOIN_PER_MIN, loginPerMin: 30, messageBurst: 20, messagesPerMin: 60 },
  }));
});
test.after(async () => {
  for (const node of [a, b, c]) if (node) assert.not.match(node.output(), /\[bridge\]/);
  await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
  await nats?.stop();
});

const system = (code: string) => (m: Message) => m.t === 'event' && m.body.kind === 'system' && m.body.code === code;
const count = (cl: TestClient, sessionId: string, code: string) => cl.events(sessionId).filter((e) => e.body.kind === 'system' && e.body.code === code).length;

/** A customer who submitted from the portal of `node` and is connected there, waiting. */
async function waitingOn(node: TestServer, name: string) {
  const r = await api(node, 'POST', '/api/portal/submit', { name, company: 'ACME', issue: 'Other', description: '' });
  assert.is(r.status, 200, JSON.stringify(r.body));
  const { token, sessionId } = r.body as { token: string; sessionId: string };
  const cust = wsClient(node, 'customer', token);
  await cust.ready;
  return { cust, sessionId, submittedAt: Date.now() };
}

test('only the first node runs the deadlines', () => {
  assert.match(a.output(), TAKES_OVER);
  assert.not.match(b.output(), TAKES_OVER);
  assert.not.match(c.output(), TAKES_OVER);
});

test('a screen request asked on B of a customer on A times out once, with three nodes watching', async () => {
  const rep = wsClient(b, 'rep', '', { cookie: await loginRep(b, 'admin', CLUSTER_ADMIN_PASSWORD) });
  await rep.ready;
  const { cust, sessionId } = await waitingOn(a, 'Ada');
  await rep.waitFor((m) => m.t === 'rep.queues.delta' || m.t === 'rep.queues' ? JSON.stringify(m).includes(sessionId) : false);
  rep.conn.send({ t: 'accept', sessionId });
  await cust.waitFor(system('accepted'));
  rep.conn.send({ t: 'screen.request', sessionId, want: 'control' });
  await cust.waitFor(system('screen.requested'));
  await cust.waitFor(system('screen.timeout'), 6000);
  const view = await rep.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.id === sessionId && m.session.screenRequest === null);
  assert.is(view.session.state, 'active');
  await new Promise((r) => setTimeout(r, 1000)); // two more deadline checks on every node
  assert.is(count(cust, sessionId, 'screen.timeout'), 1, 'one timeout line for the customer on A');
  assert.is(count(rep, sessionId, 'screen.timeout'), 1, 'one timeout line for the rep on B');
  rep.conn.send({ t: 'end', sessionId });
  await cust.waitFor((m) => m.t === 'session' && m.session.state === 'ended');
  rep.close();
  cust.close();
});

test('kill -9 of the node running the deadlines: another takes over and an orphan deadline still fires, once', async () => {
  const { cust, sessionId, submittedAt } = await waitingOn(b, 'Grace');
  const watcher = wsClient(c, 'rep', '', { cookie: await loginRep(c, 'admin', CLUSTER_ADMIN_PASSWORD) });
  await watcher.ready;
  await a.kill9();
  await cust.waitFor(system('orphaned'), 10_000);
  const late = Date.now() - submittedAt - ORPHAN_SEC * 1000;
  console.log(`  orphan deadline fired ${late} ms after it was due (the dead owner's lease expires, then another node takes it)`);
  await cust.waitFor((m) => m.t === 'session' && m.session.state === 'orphaned');
  assert.ok([b, c].filter((n) => TAKES_OVER.test(n.output())).length === 1, 'exactly one of B and C took over');
  await new Promise((r) => setTimeout(r, 500));
  assert.is(count(cust, sessionId, 'orphaned'), 1, 'one orphaned line');
  watcher.close();
  cust.close();
});

test('key guesses spread over two nodes spend one budget', async () => {
  const from = { 'x-forwarded-for': '198.51.100.7' };
  const statuses: number[] = [];
  const started = performance.now();
  for (let i = 0; i < JOIN_PER_MIN + 2; i++) {
    const r = await api(i % 2 ? c : b, 'POST', '/api/sessions/join', { key: `00000${i}`.slice(-6) + '000' }, from);
    statuses.push(r.status);
  }
  console.log(`  ${statuses.length} key checks over two nodes: ${((performance.now() - started) / statuses.length).toFixed(1)} ms each`);
  assert.equal(statuses.slice(0, JOIN_PER_MIN).filter((s) => s === 429), [], 'the budget lasts its count');
  assert.equal(statuses.slice(JOIN_PER_MIN), [429, 429], 'then both nodes refuse');
  // Another address still has its own budget.
  assert.is.not((await api(b, 'POST', '/api/sessions/join', { key: '123456789' }, { 'x-forwarded-for': '198.51.100.8' })).status, 429);
});

test.run();
