// A node dies (docs/ARCHITECTURE.md, "Several nodes", "A node dies"): three server processes on
// one PostgreSQL and one NATS server, a TCP balancer in front of A and C (first live one wins, as
// HAProxy's `balance first`). The customer and the agent are on A, the rep on B. A is killed
// (SIGKILL) in the middle of the customer's chat: the customer and the agent come back through the
// balancer on C, every line sent (acknowledged before, around and after the kill) is in the
// transcript exactly once on both sides, the chat goes on, the agent's re-announced grant covers
// the rep it covered (and no more), and what A held is shown offline within the node expiry.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type Message, type Msg } from '../../protocol/index.ts';
import { startBalancer, type TestBalancer } from '../helpers/balancer.ts';
import { CLUSTER_ADMIN_PASSWORD, startCluster } from '../helpers/cluster.ts';
import type { TestNats } from '../helpers/nats.ts';
import { api, loginRep, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

const EXPIRY_MS = 1000;
let nats: TestNats;
let a: TestServer;
let b: TestServer;
let c: TestServer;
let lb: TestBalancer;

test.before(async () => {
  ({ nats, nodes: [a, b, c] } = await startCluster(3, { agreement: null, cluster: { heartbeatMs: 200, nodeExpiryMs: EXPIRY_MS } }));
  lb = await startBalancer([a, c]);
});
/** Clients through the balancer (not closed by a server's stop()): closed at the end whatever happened. */
const opened: TestClient[] = [];
test.after(async () => {
  for (const cl of opened) cl.close();
  const errors = [b, c].map((node) => node?.output().split('\n').filter((l) => l.includes('[bridge]')).join('\n')).filter(Boolean);
  await lb?.stop();
  await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
  await nats?.stop();
  // Nothing went wrong on the living nodes that no client was told about.
  assert.equal(errors, []);
});

/** A portal submit through the balancer and the customer's socket (through it too). */
async function customerThroughBalancer(name: string, backoffMs?: number[]): Promise<{ cust: TestClient; token: string; sessionId: string }> {
  const r = await api(lb, 'POST', '/api/portal/submit', { name, company: 'ACME', issue: 'Other', description: '' });
  assert.is(r.status, 200, JSON.stringify(r.body));
  const { token, sessionId } = r.body as { token: string; sessionId: string };
  const cust = wsClient(lb, 'customer', token, backoffMs ? { backoffMs } : {});
  opened.push(cust);
  await cust.ready;
  return { cust, token, sessionId };
}

/** The agent joins through the balancer and grants the rep control, as the customer allowed in its window. */
async function agentGrantsControl(token: string, sessionId: string, repId: string, rep: TestClient): Promise<{ agent: TestClient; grant: Msg<'grant'> }> {
  const key = await api(lb, 'POST', '/api/sessions/agent-key', {}, { authorization: `Bearer ${token}` });
  const joined = await api(lb, 'POST', '/api/sessions/join', { key: key.body.key, role: 'agent' });
  assert.is(joined.status, 200, JSON.stringify(joined.body));
  const agent = wsClient(lb, 'agent', joined.body.token);
  opened.push(agent);
  await agent.ready;
  const grant: Msg<'grant'> = { t: 'grant', sessionId, grant: 'control', epoch: 1, reps: [repId], apps: null };
  agent.conn.send(grant);
  await rep.waitFor((m) => m.t === 'grant' && m.grant === 'control');
  return { agent, grant };
}

function queuedEntry(rep: TestClient, sessionId: string) {
  return rep.queues().queues.flatMap((q) => q.sessions).find((s) => s.id === sessionId);
}

function sessionView(rep: TestClient, sessionId: string): Msg<'session'>['session'] | undefined {
  return rep.messages.filter((m): m is Msg<'session'> => m.t === 'session' && m.session.id === sessionId).at(-1)?.session;
}

/** Transcript texts a client got, checking seqs only ever go up by one (no line twice, none skipped). */
function chatTexts(cl: TestClient, sessionId: string): string[] {
  const evs = cl.events(sessionId);
  evs.forEach((e, i) => { if (i > 0) assert.is(e.seq, evs[i - 1].seq + 1, `contiguous seqs at ${i}`); });
  return evs.filter((e) => e.body.kind === 'chat').map((e) => (e.body as { text: string }).text);
}

test('node A dies with the customer and the agent on it: they resume on C, nothing acknowledged lost or doubled', async () => {
  const rep = wsClient(b, 'rep', '', { cookie: await loginRep(b, 'admin', CLUSTER_ADMIN_PASSWORD) });
  const repId = (await rep.ready).rep!.id;

  // Session 1: customer and agent on A (the balancer's first live server), the rep on B.
  const { cust, token, sessionId } = await customerThroughBalancer('Ada');
  await rep.waitForQueues(() => queuedEntry(rep, sessionId)?.customerOnline === true);
  rep.conn.send({ t: 'accept', sessionId });
  const accepted = (m: Message) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'accepted';
  await Promise.all([cust.waitFor(accepted), rep.waitFor(accepted)]);
  const { agent, grant } = await agentGrantsControl(token, sessionId, repId, rep);

  // Session 2, the witness: its customer waits on A and will not come back (a minute's backoff).
  const witness = await customerThroughBalancer('Witness', [60_000]);
  await rep.waitForQueues(() => queuedEntry(rep, witness.sessionId)?.customerOnline === true);
  assert.is(lb.forwarded.get(c.port) ?? 0, 0, 'everybody is on A so far');

  const say = (who: TestClient, text: string) => who.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text });
  // Acknowledged before the kill.
  for (let i = 1; i <= 3; i++) await say(cust, `before ${i}`);
  await say(rep, 'rep before');
  // Around the kill: sent, not waited for; some are stored and acked, some stored but the ack
  // lost with A, some never reach A. The Connection resends whatever was not acked.
  const around = Array.from({ length: 10 }, (_, i) => say(cust, `around ${i + 1}`));
  const killedAt = Date.now();
  await a.kill9();
  // While the customer is away: the rep on B goes on, the customer's next lines wait in its outbox.
  const during = [say(rep, 'rep during'), ...Array.from({ length: 3 }, (_, i) => say(cust, `after ${i + 1}`))];
  const seqs = await Promise.all([...around, ...during]);
  assert.is(new Set(seqs).size, seqs.length, 'every line its own seq');
  // The customer's lines were acked by C; the agent is back there too.
  await until(() => (lb.forwarded.get(c.port) ?? 0) >= 2 && agent.status === 'online', 5000, 'the customer and the agent back through C');

  // The dead node's share is forgotten within the expiry: the witness shows offline on B.
  await rep.waitForQueues(() => queuedEntry(rep, witness.sessionId)?.customerOnline === false, 4 * EXPIRY_MS);
  const offlineAfter = Date.now() - killedAt;
  // Silent for the expiry, seen at the next check (a quarter of it), then a queue delta: margin for a busy machine.
  assert.ok(offlineAfter < 2.5 * EXPIRY_MS, `A's people offline ${offlineAfter} ms after the kill (expiry ${EXPIRY_MS} ms)`);
  console.log(`  A's people offline on B ${offlineAfter} ms after the kill`);
  // ... while the customer and the agent of session 1 are online again, through C.
  await new Promise((r) => setTimeout(r, 300));
  const view = sessionView(rep, sessionId);
  assert.ok(view?.customerOnline && view.agentOnline, `customer and agent online again on B's view: ${JSON.stringify({ c: view?.customerOnline, a: view?.agentOnline })}`);

  // The agent on C re-announces its grant (as a real agent does after every welcome): the same
  // grant covers the rep it covered, and the rep's input reaches the agent on C.
  agent.conn.send(grant);
  await rep.next((m) => m.t === 'grant' && m.grant === 'control' && m.reps.includes(repId));
  rep.conn.send({ t: 'key.combo', sessionId, codes: ['ControlLeft', 'AltLeft', 'Delete'] });
  const combo = await agent.waitFor<Msg<'key.combo'>>((m) => m.t === 'key.combo');
  assert.is(combo.from?.id, repId);

  // The chat goes on both ways.
  const last = Math.max(await say(rep, 'rep after'), await say(cust, 'customer after'));
  await Promise.all([cust.waitFor((m) => m.t === 'event' && m.seq === last), rep.waitFor((m) => m.t === 'event' && m.seq === last)]);
  const expected = ['before 1', 'before 2', 'before 3', 'rep before', ...Array.from({ length: 10 }, (_, i) => `around ${i + 1}`), 'rep during', 'after 1', 'after 2', 'after 3', 'rep after', 'customer after'];
  for (const [who, cl] of [['customer', cust], ['rep', rep]] as const) {
    const texts = chatTexts(cl, sessionId);
    assert.equal([...texts].sort(), [...expected].sort(), `${who} read every line exactly once`);
    const mine = texts.filter((t) => !t.startsWith('rep '));
    assert.equal(mine, expected.filter((t) => !t.startsWith('rep ')), `${who}: the customer's lines in the order sent`);
  }
  for (const cl of [rep, cust, agent, witness.cust]) cl.close();
});

test('a rep taken out while the agent was away is not covered by its re-announced grant on another node', async () => {
  // B's rep, customer and agent on C now (A is dead). The agent grants, the rep is put on hold
  // and picked up again; the agent reconnects (to C again) and repeats its grant: not covered.
  const rep = wsClient(b, 'rep', '', { cookie: await loginRep(b, 'admin', CLUSTER_ADMIN_PASSWORD) });
  const repId = (await rep.ready).rep!.id;
  const { cust, token, sessionId } = await customerThroughBalancer('Grace');
  await rep.waitForQueues(() => queuedEntry(rep, sessionId) !== undefined);
  rep.conn.send({ t: 'accept', sessionId });
  await rep.waitFor((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'accepted');
  const { agent, grant } = await agentGrantsControl(token, sessionId, repId, rep);

  // The rep holds the session on B and takes it back: the record changes reach C.
  // (Held, the rep is out of the session: the customer on C sees the states.)
  rep.conn.send({ t: 'hold', sessionId });
  await cust.waitFor((m) => m.t === 'session' && m.session.state === 'held');
  rep.conn.send({ t: 'accept', sessionId });
  await cust.next((m) => m.t === 'session' && m.session.state === 'active');
  await rep.waitFor((m) => m.t === 'session' && m.session.id === sessionId && m.session.state === 'active');

  const through = () => [...lb.forwarded.values()].reduce((x, y) => x + y, 0);
  const before = through();
  agent.conn.reconnectNow();
  await until(() => through() > before && agent.status === 'online', 5000, 'the agent back');
  agent.conn.send(grant);
  // B refuses the rep's input: the repeated grant no longer covers them.
  await new Promise((r) => setTimeout(r, 300));
  rep.conn.send({ t: 'key.combo', sessionId, codes: ['AltLeft', 'F4'] });
  await rep.next((m) => m.t === 'error' && m.code === 'not_consented');
  assert.not.ok(agent.messages.some((m) => m.t === 'key.combo'), 'no input reached the agent');
  for (const cl of [rep, cust, agent]) cl.close();
});

test.run();
