// Several bridge servers (docs/ARCHITECTURE.md, "Several nodes"): two server processes on one
// PostgreSQL and one NATS server. A customer on node A, a rep on node B: the queue, the accept,
// chat both ways, typing, presence and the end cross between them, each line exactly once and in
// seq order on both sides.
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encode, newClientId, type Message, type Msg } from '../../protocol/index.ts';
import { CLUSTER_ADMIN_PASSWORD, startCluster } from '../helpers/cluster.ts';
import type { TestNats } from '../helpers/nats.ts';
import { api, joinAgent, loginRep, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let nats: TestNats;
let a: TestServer;
let b: TestServer;

test.before(async () => {
  ({ nats, nodes: [a, b] } = await startCluster(2, { agreement: null }));
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
  const cookie = await loginRep(b, 'admin', CLUSTER_ADMIN_PASSWORD);
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
  // The rep sees the customer online once A attached them, which is before A's replay has read
  // the store: the end line, sent at once, may reach A during the read and must wait for the
  // replayed lines (else the client takes them as repeats and the count below falls short).

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
  const rep = wsClient(b, 'rep', '', { cookie: await loginRep(b, 'admin', CLUSTER_ADMIN_PASSWORD) });
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

/** Sends `data` as a file from `from` to `to` (on the other node), a window of 4 chunks as the client keeps it; returns the file id. */
async function sendFile(from: TestClient, to: TestClient, sessionId: string, data: Uint8Array<ArrayBuffer>): Promise<string> {
  const offerId = newClientId();
  from.conn.send({ t: 'file.offer', sessionId, id: offerId, name: 'report.bin', size: data.byteLength });
  const { fileId } = await from.waitFor<Msg<'file.registered'>>((m) => m.t === 'file.registered' && m.id === offerId);
  await to.waitFor((m) => m.t === 'file.offer' && m.fileId === fileId);
  to.conn.send({ t: 'file.answer', sessionId, fileId, accept: true });
  await from.waitFor((m) => m.t === 'file.answer' && m.fileId === fileId && m.accept);
  const chunk = 256 * 1024;
  let acked = 0;
  for (let off = 0; off < data.byteLength; off += chunk) {
    // The sender's pace is the server's file.progress, which the far node's delivery holds back.
    if (off - acked >= 4 * chunk) acked = (await from.next<Msg<'file.progress'>>((m) => m.t === 'file.progress' && m.fileId === fileId)).bytes;
    from.conn.send({ t: 'file.chunk', sessionId, fileId, offset: off, data: data.subarray(off, off + chunk) });
  }
  await from.waitFor((m) => m.t === 'file.progress' && m.fileId === fileId && m.bytes === data.byteLength);
  from.conn.send({ t: 'file.done', sessionId, fileId, sha256: createHash('sha256').update(data).digest('hex') });
  await to.waitFor((m) => m.t === 'file.done' && m.fileId === fileId);
  return fileId;
}

function received(c: TestClient, fileId: string): string {
  const chunks = c.messages.filter((m): m is Msg<'file.chunk'> => m.t === 'file.chunk' && m.fileId === fileId);
  return createHash('sha256').update(Buffer.concat(chunks.map((x) => x.data))).digest('hex');
}

test('files cross nodes both ways: offer, answer, chunks paced by the far side, done; a cancel from the far side', async () => {
  const { rep, cust, sessionId } = await acceptedAcross('Lise');
  const data = new Uint8Array(3 * 1024 * 1024 + 123).map((_, i) => (i * 31) % 251);
  const sha = createHash('sha256').update(data).digest('hex');

  const up = await sendFile(cust, rep, sessionId, data);
  assert.is(received(rep, up), sha, 'the rep on B got the customer\'s bytes from A, in order');
  await rep.waitFor((m) => m.t === 'event' && m.body.kind === 'file' && m.body.fileId === up && m.body.status === 'done');
  // Progress reached the receiver too, as on one node.
  await rep.waitFor((m) => m.t === 'file.progress' && m.fileId === up && m.bytes === data.byteLength);

  const down = await sendFile(rep, cust, sessionId, data.slice(0, 700_000));
  assert.is(received(cust, down), createHash('sha256').update(data.slice(0, 700_000)).digest('hex'));

  // The receiver on A cancels a transfer B holds: both sides hear it, one failed line.
  const offerId = newClientId();
  rep.conn.send({ t: 'file.offer', sessionId, id: offerId, name: 'x.bin', size: 10 });
  const { fileId } = await rep.waitFor<Msg<'file.registered'>>((m) => m.t === 'file.registered' && m.id === offerId);
  await cust.waitFor((m) => m.t === 'file.offer' && m.fileId === fileId);
  cust.conn.send({ t: 'file.cancel', sessionId, fileId, reason: 'not now' });
  await rep.waitFor((m) => m.t === 'file.cancel' && m.fileId === fileId && m.reason === 'not now');
  await cust.waitFor((m) => m.t === 'event' && m.body.kind === 'file' && m.body.fileId === fileId && m.body.status === 'failed');
  // A node that holds no such transfer says so.
  cust.conn.send({ t: 'file.answer', sessionId, fileId: 'nope', accept: true });
  await cust.waitFor((m) => m.t === 'error' && m.code === 'not_found');
  for (const c of [rep, cust]) c.close();
});

/** The reps A's portal lists as available. */
async function portalReps(node: TestServer): Promise<string[]> {
  return ((await api(node, 'GET', '/api/portal')).body as { reps: { name: string }[] }).reps.map((r) => r.name);
}

test('a rep with tabs on both nodes, availability, diagnostics and sysinfo across nodes', async () => {
  const cookie = await loginRep(b, 'admin', CLUSTER_ADMIN_PASSWORD);
  // The rep's console on B makes them available on A's portal too.
  const rep = wsClient(b, 'rep', '', { cookie });
  await rep.ready;
  await until(async () => (await portalReps(a)).includes('Administrator'), 5000, "A's portal lists the rep on B");
  rep.conn.send({ t: 'availability', status: 'away' });
  await until(async () => (await portalReps(a)).length === 0, 5000, "A's portal drops the rep who chose away on B");
  rep.conn.send({ t: 'availability', status: 'available' });
  await until(async () => (await portalReps(a)).includes('Administrator'), 5000, 'available again');

  // A second tab of the same rep on A; the customer and the agent on A; the accept on B.
  const tab = wsClient(a, 'rep', '', { cookie });
  await tab.ready;
  const r = await api(a, 'POST', '/api/portal/submit', { name: 'Emmy', company: 'ACME', issue: 'Other', description: '' });
  const { token, sessionId } = r.body as { token: string; sessionId: string };
  const cust = wsClient(a, 'customer', token);
  await cust.ready;
  await rep.waitFor((m) => queued(m, sessionId));
  rep.conn.send({ t: 'accept', sessionId });
  await tab.waitFor((m) => m.t === 'session' && m.session.id === sessionId && m.session.state === 'active');
  await tab.waitFor((m) => m.t === 'event' && m.sessionId === sessionId && m.body.kind === 'system' && m.body.code === 'accepted');
  const said = await cust.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: 'hello both tabs' });
  await tab.waitFor((m) => m.t === 'event' && m.seq === said);
  await rep.waitFor((m) => m.t === 'event' && m.seq === said);

  // The agent on A sends its sysinfo; a tab opening later on B gets it.
  const agent = wsClient(a, 'agent', (await joinAgent(a, token)).token);
  await agent.ready;
  agent.conn.send({ t: 'sysinfo', sessionId, info: { os: 'linux', arch: 'x64', agentVersion: '1.0.0', displays: [] } } as Msg<'sysinfo'>);
  await rep.waitFor((m) => m.t === 'sysinfo' && m.sessionId === sessionId);
  const later = wsClient(b, 'rep', '', { cookie });
  await later.ready;
  await later.waitFor((m) => m.t === 'sysinfo' && m.sessionId === sessionId);
  later.close();

  // Diagnostics: the rep asks on B, the agent on A answers and reports; both tabs get the report.
  await rep.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.id === sessionId && m.session.agentOnline);
  rep.conn.send({ t: 'diag.request', sessionId, id: newClientId() });
  const req = await agent.waitFor<Msg<'diag.request'>>((m) => m.t === 'diag.request');
  assert.is(req.from?.role, 'rep');
  const again = newClientId();
  rep.conn.send({ t: 'diag.request', sessionId, id: again });
  assert.is((await rep.waitFor<Msg<'error'>>((m) => m.t === 'error' && m.ref === again)).code, 'conflict', 'one open request, across nodes');
  agent.conn.send({ t: 'diag.answer', sessionId, requestId: req.requestId!, allowed: true });
  await rep.waitFor((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'diagnostics.allowed');
  const report = { collectedAt: Date.now(), platform: 'linux', sections: [{ id: 'os', title: 'OS', status: 'ok' as const, ms: 3, data: { name: 'Debian' }, text: 'Debian 12' }] };
  agent.conn.send({ t: 'diag.report', sessionId, requestId: req.requestId!, report });
  const got = await rep.waitFor<Msg<'diag.report'>>((m) => m.t === 'diag.report' && m.sessionId === sessionId);
  assert.is(got.report.sections[0].text, 'Debian 12');
  await tab.waitFor((m) => m.t === 'diag.report' && m.sessionId === sessionId);
  // The request is closed on B too: the rep may ask again.
  rep.conn.send({ t: 'diag.request', sessionId, id: newClientId() });
  await agent.next((m) => m.t === 'diag.request' && m.requestId !== req.requestId);

  for (const c of [rep, tab, cust, agent]) c.close();
  // The rep's last consoles closed (one on each node): offline on A's portal.
  await until(async () => (await portalReps(a)).length === 0, 5000, 'the rep offline everywhere');
});

test('Show My Screen: the rep on B shows their screen to the customer on A, paced by A', async () => {
  const { rep, cust, sessionId } = await acceptedAcross('Ida');
  const frame = (share: string, seq: number, key: boolean): Msg<'repscreen.frame'> =>
    ({ t: 'repscreen.frame', sessionId, share, seq, key, ts: Date.now(), w: 640, h: 360, data: new Uint8Array(64).fill(seq) });
  rep.conn.send({ t: 'repscreen.start', sessionId, codec: 'vp8' });
  const { share } = await cust.waitFor<Msg<'repscreen.state'>>((m) => m.t === 'repscreen.state' && !!m.share);
  // The view opening on A asks B's rep for a keyframe; A's viewer shows in B's count.
  cust.conn.send({ t: 'repscreen.view', sessionId, share: share!.id, state: 'open' });
  await rep.waitFor((m) => m.t === 'repscreen.keyframe' && m.share === share!.id);
  await rep.waitFor((m) => m.t === 'repscreen.state' && m.share?.viewers === 1);
  rep.conn.send(frame(share!.id, 1, false)); // not a keyframe: the new view waits for one
  rep.conn.send(frame(share!.id, 2, true));
  const got = await cust.waitFor<Msg<'repscreen.frame'>>((m) => m.t === 'repscreen.frame');
  assert.is(got.seq, 2, 'the view starts at the keyframe');
  cust.conn.send({ t: 'repscreen.ack', sessionId, share: share!.id, seq: 2 });
  rep.conn.send(frame(share!.id, 3, false));
  await cust.waitFor((m) => m.t === 'repscreen.frame' && m.seq === 3);
  // The customer closes the view on A: B ends the share, one line.
  cust.conn.send({ t: 'repscreen.close', sessionId, share: share!.id });
  await rep.waitFor((m) => m.t === 'repscreen.state' && m.share === null && m.ended === 'customer');
  await cust.waitFor((m) => m.t === 'repscreen.state' && m.share === null);
  for (const c of [rep, cust]) c.close();
});

test.run();
