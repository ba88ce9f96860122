// Queue views as deltas (docs/ARCHITECTURE.md "Queue views"): a console gets one snapshot when
// it connects, then only the changes in queues its rep may see, numbered; a console that missed
// one asks for a snapshot and carries on from it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Message, Msg } from '../../protocol/index.ts';
import { applyQueues, emptyQueueState } from '../../console/queue-view.ts';
import { createKey, createRep, createTeam, joinSession, loginRep, startServer, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let adminCookie: string;
let teamA: string;
let teamB: string;
let ann: TestClient;
let bob: TestClient;
let admin: TestClient;

test.before(async () => {
  server = await startServer({ config: { agreement: null } });
  adminCookie = await loginRep(server);
  teamA = await createTeam(server, adminCookie, 'Team A');
  teamB = await createTeam(server, adminCookie, 'Team B');
  await createRep(server, adminCookie, { username: 'ann', password: 'ann-password-1', name: 'Ann', teamIds: [teamA] });
  await createRep(server, adminCookie, { username: 'bob', password: 'bob-password-1', name: 'Bob', teamIds: [teamB] });
  ann = wsClient(server, 'rep', '', { cookie: await loginRep(server, 'ann', 'ann-password-1') });
  bob = wsClient(server, 'rep', '', { cookie: await loginRep(server, 'bob', 'bob-password-1') });
  admin = wsClient(server, 'rep', '', { cookie: adminCookie });
  await Promise.all([ann.ready, bob.ready, admin.ready]);
  await Promise.all([ann, bob, admin].map((c) => c.waitFor((m) => m.t === 'rep.queues')));
});
test.after(async () => {
  await server.stop();
});

/** A customer waiting in a team's queue. */
async function waitingIn(teamId: string, name: string) {
  const k = await createKey(server, adminCookie, { queue: { kind: 'team', id: teamId } });
  const j = await joinSession(server, k.key, 'customer', name);
  const customer = wsClient(server, 'customer', j.token);
  await customer.ready;
  return { sessionId: j.sessionId, customer };
}

const mentions = (m: Message, sessionId: string) => (m.t === 'rep.queues' || m.t === 'rep.queues.delta') && JSON.stringify(m).includes(sessionId);
const deltas = (c: TestClient) => c.messages.filter((m): m is Msg<'rep.queues.delta'> => m.t === 'rep.queues.delta');

test('each console gets one snapshot, then deltas only for the queues its rep may see', async () => {
  const a = await waitingIn(teamA, 'Alma');
  const b = await waitingIn(teamB, 'Bert');
  // Ann (team A) is told Alma was added to team A's queue, in a delta of just that entry.
  const addA = await ann.waitFor<Msg<'rep.queues.delta'>>((m) => m.t === 'rep.queues.delta' && m.added.some((e) => e.session.id === a.sessionId));
  assert.equal(addA.added.map((e) => [e.ref, e.session.customer.name]), [[{ kind: 'team', id: teamA }, 'Alma']]);
  await bob.waitFor((m) => m.t === 'rep.queues.delta' && m.added.some((e) => e.session.id === b.sessionId));
  // The admin sees every team's queue.
  await admin.waitForQueues((q) => q.queues.some((x) => x.ref.id === teamA && x.sessions.some((s) => s.id === a.sessionId)) && q.queues.some((x) => x.ref.id === teamB && x.sessions.some((s) => s.id === b.sessionId)));

  // Ann accepts Alma: it leaves team A's queue and joins Ann's own sessions.
  ann.conn.send({ t: 'accept', sessionId: a.sessionId });
  const moved = await ann.waitForQueues((q) => q.mine.some((s) => s.id === a.sessionId && s.state === 'active'));
  assert.not.ok(moved.queues.find((x) => x.ref.id === teamA)!.sessions.some((s) => s.id === a.sessionId));
  await admin.waitForQueues((q) => !q.queues.find((x) => x.ref.id === teamA)!.sessions.some((s) => s.id === a.sessionId));
  // Bob's view of his own queue is unchanged by that; an admin's later change reaches him, so he has had time to hear of Alma.
  const b2 = await waitingIn(teamB, 'Bea');
  await bob.waitForQueues((q) => q.queues.find((x) => x.ref.id === teamB)!.sessions.some((s) => s.id === b2.sessionId));

  assert.not.ok(bob.messages.some((m) => mentions(m, a.sessionId)), 'nothing about team A reaches Bob');
  assert.not.ok(ann.messages.some((m) => mentions(m, b.sessionId) || mentions(m, b2.sessionId)), 'nothing about team B reaches Ann');
  assert.equal(ann.queues().queues.map((q) => q.ref.kind === 'team' ? q.ref.id : q.ref.kind), ['personal', teamA, 'general']);
  for (const c of [ann, bob, admin]) {
    assert.is(c.messages.filter((m) => m.t === 'rep.queues').length, 1, 'one snapshot per console');
    assert.equal(deltas(c).map((d) => d.seq), deltas(c).map((_, i) => i + 1), 'deltas numbered on from the snapshot');
  }
  for (const c of [a.customer, b.customer, b2.customer]) c.close();
});

test('a console that missed a delta asks for a snapshot and carries on from it', async () => {
  const snapshot = ann.messages.find((m): m is Msg<'rep.queues'> => m.t === 'rep.queues')!;
  const before = deltas(ann).length;
  const c1 = await waitingIn(teamA, 'Cleo');
  await ann.waitFor((m) => m.t === 'rep.queues.delta' && m.added.some((e) => e.session.id === c1.sessionId));
  const c2 = await waitingIn(teamA, 'Cyd');
  await ann.waitFor((m) => m.t === 'rep.queues.delta' && m.added.some((e) => e.session.id === c2.sessionId));
  const all = deltas(ann);
  assert.ok(all.length >= before + 2);

  // Folding everything but one delta (the one that carried Cleo) finds the gap at the next one.
  let state = applyQueues(emptyQueueState(), snapshot).state;
  const lost = all.find((d) => d.added.some((e) => e.session.id === c1.sessionId))!;
  let gapAt: number | null = null;
  for (const d of all) {
    if (d === lost) continue;
    const r = applyQueues(state, d);
    state = r.state;
    if (r.gap && gapAt === null) gapAt = d.seq;
  }
  assert.is(gapAt, lost.seq + 1, 'the delta after the lost one shows the gap');
  assert.is(state.seq, null, 'deltas wait for the snapshot');

  // The console asks; the snapshot has Cleo, and its seq is that of the last delta before it on the wire.
  const fresh = ann.next<Msg<'rep.queues'>>((m) => m.t === 'rep.queues');
  ann.conn.send({ t: 'rep.queues.refresh', lastSeq: gapAt! - 2 });
  const snap = await fresh;
  const upTo = ann.messages.slice(0, ann.messages.indexOf(snap)).filter((m): m is Msg<'rep.queues.delta'> => m.t === 'rep.queues.delta');
  const last = upTo.at(-1)!.seq;
  assert.is(snap.seq, last);
  const everyDelta = upTo.reduce((st, d) => applyQueues(st, d).state, applyQueues(emptyQueueState(), snapshot).state);
  state = applyQueues(state, snap).state;
  assert.equal(state.queues, everyDelta.queues, 'the snapshot equals what every delta before it folded to');
  assert.ok(snap.queues.find((q) => q.ref.id === teamA)!.sessions.some((s) => s.id === c1.sessionId));

  // The next change continues the numbering from the snapshot.
  const c3 = await waitingIn(teamA, 'Cy');
  const next = await ann.waitFor<Msg<'rep.queues.delta'>>((m) => m.t === 'rep.queues.delta' && m.added.some((e) => e.session.id === c3.sessionId));
  assert.ok(next.seq > last);
  state = deltas(ann).filter((d) => d.seq > last).reduce((s, d) => applyQueues(s, d).state, state);
  assert.is(state.seq, next.seq);
  assert.equal(state.queues.find((q) => q.ref.id === teamA)!.sessions.map((s) => s.customer.name), ['Cleo', 'Cyd', 'Cy']);
  for (const c of [c1.customer, c2.customer, c3.customer]) c.close();
});

test('a reconnecting console starts again from a snapshot', async () => {
  const cookie = await loginRep(server, 'ann', 'ann-password-1');
  const again = wsClient(server, 'rep', '', { cookie });
  const snap = await again.waitFor<Msg<'rep.queues'>>((m) => m.t === 'rep.queues');
  assert.is(snap.seq, 0);
  assert.equal(snap.queues.find((q) => q.ref.id === teamA)!.sessions.map((s) => s.customer.name), ['Cleo', 'Cyd', 'Cy']);
  again.close();
});

test.run();
