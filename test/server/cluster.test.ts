// Several bridge servers (docs/ARCHITECTURE.md, "Several nodes"): two server processes on one
// PostgreSQL and one NATS server. A customer on node A, a rep on node B: the queue, the accept,
// chat both ways, typing, presence and the end cross between them, each line exactly once and in
// seq order on both sides.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encode, newClientId, type Message, type Msg } from '../../protocol/index.ts';
import { startNats, type TestNats } from '../helpers/nats.ts';
import { postgresDatabase } from '../helpers/postgres.ts';
import { api, joinAgent, loginRep, startServer, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let nats: TestNats;
let a: TestServer;
let b: TestServer;

test.before(async () => {
  const [bus, databaseUrl] = await Promise.all([startNats(), postgresDatabase()]);
  nats = bus;
  const config = { agreement: null };
  const env = (node: string) => ({ BRIDGE_DATABASE_URL: databaseUrl, BRIDGE_NATS_URL: nats.url, BRIDGE_NODE_ID: node, BRIDGE_ADMIN_PASSWORD: 'cluster-admin-pw' });
  // One after the other: the first runs the migrations and seeds the admin.
  a = await startServer({ config, store: 'sqlite', env: env('a') });
  b = await startServer({ config, store: 'sqlite', env: env('b') });
});
test.after(async () => {
  // Nothing went wrong on either node that no client was told about.
  for (const node of [a, b]) if (node) assert.not.match(node.output(), /\[bridge\]/);
  await Promise.all([a?.stop(), b?.stop()]);
  await nats?.stop();
});

/** Transcript lines a client got, as "seq:kind:text", checking seqs only ever go up by one. */
function lines(c: TestClient, sessionId: string): string[] {
  const evs = c.events(sessionId);
  evs.forEach((e, i) => { if (i > 0) assert.is(e.seq, evs[i - 1].seq + 1, `contiguous seqs at ${i}`); });
  return evs.map((e) => `${e.seq}:${e.body.kind}:${'text' in e.body ? e.body.text : ''}`);
}

/** The session waits in the general queue of a console's view (snapshot or delta); `online`: with its customer connected. */
function queued(m: Message, sessionId: string, online = false): boolean {
  const entries = m.t === 'rep.queues' ? m.queues.flatMap((q) => q.sessions.map((session) => ({ ref: q.ref, session })))
    : m.t === 'rep.queues.delta' ? [...m.added, ...m.changed] : [];
  return entries.some((e) => e.ref.kind === 'general' && e.session.id === sessionId && (!online || e.session.customerOnline));
}

test('a customer on node A and a rep on node B: queue, accept, chat both ways, typing, end', async () => {
  // The rep is on B before the customer arrives on A.
  const cookie = await loginRep(b, 'admin', 'cluster-admin-pw');
  const rep = wsClient(b, 'rep', '', { cookie });
  await rep.ready;

  const r = await api(a, 'POST', '/api/portal/submit', { name: 'Ada', company: 'ACME', issue: 'Printer', description: 'on fire' });
  assert.is(r.status, 200, JSON.stringify(r.body));
  const { token, sessionId } = r.body as { token: string; sessionId: string };
  const cust = wsClient(a, 'customer', token);
  await cust.ready;
  await cust.waitFor((m) => m.t === 'queue.status' && m.position === 1);

  // B's queue view shows the session waiting, with its customer online (connected to A).
  await rep.waitFor((m) => queued(m, sessionId, true));

  rep.conn.send({ t: 'accept', sessionId });
  const active = await cust.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.state === 'active');
  assert.equal(active.session.reps.map((x) => x.name), ['Administrator']);
  await cust.waitFor((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'accepted');
  const repView = await rep.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.id === sessionId && m.session.state === 'active');
  assert.ok(repView.session.customerOnline, 'the rep on B sees the customer on A online');

  // Chat both ways at once: both nodes append to one transcript side by side.
  const sent: Promise<number>[] = [];
  for (let i = 1; i <= 10; i++) {
    sent.push(cust.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: `customer ${i}` }));
    sent.push(rep.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: `rep ${i}` }));
  }
  const seqs = await Promise.all(sent);
  assert.is(new Set(seqs).size, 20, 'every line got its own seq');
  const last = Math.max(...seqs);
  await cust.waitFor((m) => m.t === 'event' && m.seq === last);
  await rep.waitFor((m) => m.t === 'event' && m.seq === last);
  const seenByCustomer = lines(cust, sessionId);
  const seenByRep = lines(rep, sessionId);
  assert.equal(seenByCustomer, seenByRep.slice(seenByRep.length - seenByCustomer.length), 'both sides read the same lines in the same order');
  for (const who of ['customer', 'rep']) {
    const texts = seenByCustomer.filter((l) => l.includes(`:chat:${who} `)).map((l) => l.split(':')[2]);
    assert.equal(texts, Array.from({ length: 10 }, (_, i) => `${who} ${i + 1}`), `${who}'s lines once each, in the order sent`);
  }

  // Typing crosses both ways.
  cust.conn.send({ t: 'typing', sessionId, active: true });
  assert.is((await rep.waitFor<Msg<'typing'>>((m) => m.t === 'typing')).from?.role, 'customer');
  rep.conn.send({ t: 'typing', sessionId, active: true });
  assert.is((await cust.waitFor<Msg<'typing'>>((m) => m.t === 'typing')).from?.role, 'rep');

  // The customer leaves A: B's rep sees them go offline.
  const offline = rep.next<Msg<'session'>>((m) => m.t === 'session' && m.session.id === sessionId && !m.session.customerOnline);
  cust.conn.close();
  await offline;
  const back = wsClient(a, 'customer', token);
  await back.ready;
  await rep.next<Msg<'session'>>((m) => m.t === 'session' && m.session.id === sessionId && m.session.customerOnline);

  // The rep ends the session on B; the customer on A sees the line and the state.
  rep.conn.send({ t: 'end', sessionId });
  const ended = await back.waitFor<Msg<'event'>>((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'ended');
  await back.waitFor((m) => m.t === 'session' && m.session.state === 'ended');
  const all = lines(back, sessionId);
  assert.is(all.length, ended.seq, 'the customer back on A read every line once, 1 to the end');
  // A's copy of the record followed: the ended session refuses new chat on A.
  const refused = await back.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: 'still there?' }).then(() => 'sent', (e: Error) => e.message);
  assert.match(refused, /ended/);

  rep.close();
  back.close();
});

/** A rep on B, a customer on A who submits from the portal, the rep accepting: both have seen the accepted line. */
async function acceptedAcross(name: string) {
  const rep = wsClient(b, 'rep', '', { cookie: await loginRep(b, 'admin', 'cluster-admin-pw') });
  const repId = (await rep.ready).rep!.id;
  const r = await api(a, 'POST', '/api/portal/submit', { name, company: 'ACME', issue: 'Other', description: '' });
  const { token, sessionId } = r.body as { token: string; sessionId: string };
  const cust = wsClient(a, 'customer', token);
  await cust.ready;
  await rep.waitFor((m) => queued(m, sessionId));
  rep.conn.send({ t: 'accept', sessionId });
  const accepted = (m: Message) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'accepted';
  await Promise.all([cust.waitFor(accepted), rep.waitFor(accepted)]);
  return { rep, repId, cust, token, sessionId };
}

test('the agent on node A, the viewer on node B: grant, frames, acks and input cross both ways', async () => {
  const { rep, repId, cust, token, sessionId } = await acceptedAcross('Grace');
  const agent = wsClient(a, 'agent', (await joinAgent(a, token)).token);
  await agent.ready;
  await rep.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.id === sessionId && m.session.agentOnline);

  // Before a grant, B refuses the rep's input.
  rep.conn.send({ t: 'pointer', sessionId, x: 1, y: 1 });
  await rep.waitFor((m) => m.t === 'error' && m.code === 'not_consented');

  agent.conn.send({ t: 'grant', sessionId, grant: 'control', epoch: 1, reps: [repId], apps: null });
  await rep.waitFor((m) => m.t === 'grant' && m.grant === 'control');
  await cust.waitFor((m) => m.t === 'event' && m.body.kind === 'grant' && m.body.grant === 'control');

  // Frames paced by the viewer's acks, end to end: the next goes once the last one's ack is back.
  for (let seq = 1; seq <= 5; seq++) {
    const frame: Msg<'frame'> = { t: 'frame', sessionId, seq, display: 0, w: 64, h: 64, ts: Date.now(), rects: [{ k: 'jpeg', x: 0, y: 0, w: 64, h: 64, data: new Uint8Array(20_000).fill(seq) }] };
    agent.conn.send(frame);
    const got = await rep.waitFor<Msg<'frame'>>((m) => m.t === 'frame' && m.seq === seq);
    assert.equal(encode(got).byteLength, encode(frame).byteLength, 'the frame crossed as it was sent');
    rep.conn.send({ t: 'frame.ack', sessionId, seq });
    await agent.waitFor((m) => m.t === 'frame.ack' && m.seq === seq);
  }
  rep.conn.send({ t: 'key.combo', sessionId, codes: ['ControlLeft', 'AltLeft', 'Delete'] });
  const combo = await agent.waitFor<Msg<'key.combo'>>((m) => m.t === 'key.combo');
  assert.is(combo.from?.id, repId, 'input names the rep as node B knows them');

  // END SCREEN SHARE on A: B stops relaying frames and refuses input again.
  agent.conn.send({ t: 'grant', sessionId, grant: 'none', epoch: 2, reps: [], apps: null });
  await rep.waitFor((m) => m.t === 'grant' && m.grant === 'none');
  agent.conn.send({ t: 'frame', sessionId, seq: 6, display: 0, w: 64, h: 64, ts: Date.now(), rects: [] });
  rep.conn.send({ t: 'key.combo', sessionId, codes: ['AltLeft', 'F4'] });
  await rep.next((m) => m.t === 'error' && m.code === 'not_consented');
  assert.not.ok(rep.messages.some((m) => m.t === 'frame' && m.seq === 6));

  for (const c of [rep, cust, agent]) c.close();
});

test('both nodes end one session at the same moment: it ends once', async () => {
  const { rep, cust, sessionId } = await acceptedAcross('Hedy');

  cust.conn.send({ t: 'end', sessionId });
  rep.conn.send({ t: 'end', sessionId });
  await cust.waitFor((m) => m.t === 'session' && m.session.state === 'ended');
  await rep.waitFor((m) => m.t === 'session' && m.session.id === sessionId && m.session.state === 'ended');
  const endLine = (c: TestClient) => c.events(sessionId).filter((e) => e.body.kind === 'system' && e.body.code === 'ended');
  await cust.waitFor((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'ended');
  await new Promise((res) => setTimeout(res, 300)); // a second end line would be here by now
  assert.is(endLine(cust).length, 1, 'one end line for the customer on A');
  assert.is(endLine(rep).length, 1, 'one end line for the rep on B');
  lines(cust, sessionId);
  lines(rep, sessionId);
  for (const c of [rep, cust]) c.close();
});

test.run();
