// Rep operations on a session: accept, second rep joins, transfer (rep, team, general), hold,
// end; the customer agreement (decline ends the session).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type Msg } from '../../protocol/index.ts';
import { api, createKey, createRep, createTeam, joinSession, loginRep, startServer, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let admin: string;
let teamId: string;
let riley: TestClient;
let sam: TestClient;
let rileyId: string;
let samId: string;
test.before(async () => {
  server = await startServer({ config: { agreement: { text: 'Do you agree?', timeoutSec: 60 } } });
  admin = await loginRep(server);
  teamId = await createTeam(server, admin, 'Tier 1');
  rileyId = await createRep(server, admin, { username: 'riley', password: 'riley-pass-1', name: 'Riley', teamIds: [teamId] });
  samId = await createRep(server, admin, { username: 'sam', password: 'sam-pass-12', name: 'Sam', teamIds: [teamId] });
  riley = wsClient(server, 'rep', '', { cookie: await loginRep(server, 'riley', 'riley-pass-1') });
  sam = wsClient(server, 'rep', '', { cookie: await loginRep(server, 'sam', 'sam-pass-12') });
  await Promise.all([riley.ready, sam.ready]);
});
test.after(async () => {
  riley.close();
  sam.close();
  await server.stop();
});

const stateIs = (id: string, state: string) => (m: any) => m.t === 'session' && m.session.id === id && m.session.state === state;
const systemCode = (code: string) => (m: any) => m.t === 'event' && m.body.kind === 'system' && m.body.code === code;

async function customerFor(cookieOfRep: string, queue?: object) {
  const k = await createKey(server, cookieOfRep, queue ? { queue } : {});
  const j = await joinSession(server, k.key);
  const c = wsClient(server, 'customer', j.token);
  const w = await c.ready;
  return { c, w, sessionId: k.sessionId };
}

test('team queue → accept → second rep joins → transfer to rep → hold → resume → end', async () => {
  const rileyCookie = await loginRep(server, 'riley', 'riley-pass-1');
  const { c, w, sessionId } = await customerFor(rileyCookie, { kind: 'team', id: teamId });
  assert.equal(w.customer?.agreement, { text: 'Do you agree?', timeoutSec: 60 });
  await c.conn.sendReliable({ t: 'agreement', sessionId, id: newClientId(), accepted: true });

  // both team members see it in the team queue
  await sam.waitForQueues((m) => m.queues.some((q) => q.ref.kind === 'team' && q.sessions.some((s) => s.id === sessionId)));
  riley.conn.send({ t: 'accept', sessionId });
  await c.waitFor(stateIs(sessionId, 'active'));
  await c.waitFor(systemCode('accepted'));
  // a second accept is a conflict
  sam.conn.send({ t: 'accept', sessionId });
  await sam.waitFor((m) => m.t === 'error' && m.code === 'conflict');

  sam.conn.send({ t: 'join', sessionId });
  const joined = await c.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.reps.length === 2);
  assert.equal(joined.session.reps.map((r) => r.name).sort(), ['Riley', 'Sam']);
  // Sam gets the whole transcript on join
  await sam.waitFor((m) => m.t === 'event' && m.sessionId === sessionId && m.body.kind === 'agreement');

  // transfer to Sam's personal queue: both reps leave, the customer waits again
  riley.conn.send({ t: 'transfer', sessionId, to: { kind: 'rep', id: samId } });
  const queued = await c.waitFor<Msg<'session'>>((m) => stateIs(sessionId, 'queued')(m) && (m as Msg<'session'>).session.queue.kind === 'personal');
  assert.is(queued.session.queue.id, samId);
  await c.waitFor(systemCode('transferred'));
  await sam.waitForQueues((m) => m.queues.some((q) => q.ref.kind === 'personal' && q.ref.id === samId && q.sessions.some((s) => s.id === sessionId)));
  // Riley can't act on it any more
  riley.conn.send({ t: 'hold', sessionId });
  await riley.waitFor((m) => m.t === 'error' && m.code === 'forbidden');

  sam.conn.send({ t: 'accept', sessionId });
  await c.waitFor((m) => stateIs(sessionId, 'active')(m) && (m as Msg<'session'>).session.primaryRepId === samId);

  // hold: back to Sam's personal queue, state held
  sam.conn.send({ t: 'hold', sessionId });
  const held = await c.waitFor<Msg<'session'>>(stateIs(sessionId, 'held'));
  assert.equal(held.session.queue, { kind: 'personal', id: samId });
  await c.waitFor(systemCode('held'));
  sam.conn.send({ t: 'accept', sessionId });
  await c.waitFor(systemCode('resumed'));
  await c.waitFor(stateIs(sessionId, 'active'));

  // transfer to the general queue and the team
  sam.conn.send({ t: 'transfer', sessionId, to: { kind: 'general' } });
  await c.waitFor((m) => stateIs(sessionId, 'queued')(m) && (m as Msg<'session'>).session.queue.kind === 'general');
  riley.conn.send({ t: 'accept', sessionId });
  await c.waitFor((m) => stateIs(sessionId, 'active')(m) && (m as Msg<'session'>).session.primaryRepId === rileyId);
  riley.conn.send({ t: 'transfer', sessionId, to: { kind: 'team', id: teamId } });
  await c.waitFor((m) => stateIs(sessionId, 'queued')(m) && (m as Msg<'session'>).session.queue.kind === 'team');
  riley.conn.send({ t: 'accept', sessionId });
  await c.waitFor((m) => stateIs(sessionId, 'active')(m) && (m as Msg<'session'>).session.primaryRepId === rileyId && (m as Msg<'session'>).session.queue.kind === 'team');

  riley.conn.send({ t: 'end', sessionId, reason: 'resolved' });
  const ended = await c.waitFor<Msg<'session'>>(stateIs(sessionId, 'ended'));
  assert.is(ended.session.endReason, 'resolved');
  await riley.waitFor(stateIs(sessionId, 'ended'));
  // nothing more can be said
  const err = c.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: 'hello?' });
  await c.waitFor((m) => m.t === 'error' && m.code === 'ended');
  void err.catch(() => {});
  c.close();

  const rec = await api(server, 'GET', `/api/history/${sessionId}`, undefined, { cookie: rileyCookie });
  assert.is(rec.status, 200);
  assert.is(rec.body.session.team, 'Tier 1');
  assert.is(rec.body.session.primaryRep, 'Riley');
  assert.ok(rec.body.session.durationSec >= 0);
  const codes = rec.body.events.filter((e: any) => e.body.kind === 'system').map((e: any) => e.body.code);
  // Every rep hold or transfer takes out is a `rep.left` line after the line that says why.
  assert.equal(codes, ['accepted', 'rep.joined', 'transferred', 'rep.left', 'rep.left', 'accepted', 'held', 'rep.left', 'resumed', 'transferred', 'rep.left', 'accepted', 'transferred', 'rep.left', 'accepted', 'ended']);
});

test('declining the agreement ends the session', async () => {
  const { c, sessionId } = await customerFor(admin);
  await c.conn.sendReliable({ t: 'agreement', sessionId, id: newClientId(), accepted: false });
  const ended = await c.waitFor<Msg<'session'>>(stateIs(sessionId, 'ended'));
  assert.is(ended.session.endReason, 'agreement declined');
  c.close();
});

test('the customer can end the session; the rep still sees them leave afterwards', async () => {
  const rileyCookie = await loginRep(server, 'riley', 'riley-pass-1');
  const { c, sessionId } = await customerFor(rileyCookie);
  await c.conn.sendReliable({ t: 'agreement', sessionId, id: newClientId(), accepted: true });
  riley.conn.send({ t: 'accept', sessionId });
  await riley.waitFor((m: any) => stateIs(sessionId, 'active')(m) && m.session.customerOnline);
  c.conn.send({ t: 'end', sessionId });
  await c.waitFor(stateIs(sessionId, 'ended'));
  await riley.waitFor(stateIs(sessionId, 'ended'));
  c.close();
  const gone = await riley.waitFor<Msg<'session'>>((m: any) => stateIs(sessionId, 'ended')(m) && !m.session.customerOnline);
  assert.is(gone.session.agentOnline, false);
});

test.run();
