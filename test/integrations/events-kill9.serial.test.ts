// Outbound events survive kill -9: a session's events before and after the crash all reach the
// receivers at least once, and each event id once after deduplication, in sequence. One receiver
// holds its answer when the server dies (the attempt was in flight: it comes again after the
// restart with the same id), the other was refusing (the retry waits in the table and goes after
// the restart). A site without endpoints stores nothing. The help desk uses nothing but the
// public API: its token registers the endpoints and makes the key, and reads the cursor after.
// Events delivered long ago are pruned; those still waiting for a receiver are kept.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId } from '../../protocol/index.ts';
import { apiCredentials } from '../helpers/api-client.ts';
import { api, createKey, joinSession, loginRep, startServer, until, wsClient, type TestServer } from '../helpers/server.ts';
import { storeSql } from '../helpers/store-sql.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

let server: TestServer;
let holding: Receiver;
let refusing: Receiver;
test.before(async () => {
  server = await startServer({ config: { agreement: null, outbox: { retryBaseMs: 100, retryMaxMs: 300 } } });
  holding = await startReceiver();
  refusing = await startReceiver();
});
test.after(async () => {
  await server.stop();
  await holding.close();
  await refusing.close();
});

async function outboxRows(): Promise<number> {
  return (await storeSql<{ n: number }>(server, 'select count(*) as n from outbox_events'))[0].n;
}

test('events before and after a kill -9 arrive, each id once after dedup, in sequence', async () => {
  const admin = await loginRep(server);
  // Without endpoints (or connectors) nothing is written.
  const quiet = await createKey(server, admin);
  await joinSession(server, quiet.key);
  assert.is(await outboxRows(), 0);

  // The administrator registers the help desk's receivers; the help desk itself may only read them.
  const { token } = await apiCredentials(server, admin, ['command', 'reporting', 'events']);
  const helpDesk = { authorization: `Bearer ${token}` };
  assert.is((await api(server, 'POST', '/api/v1/event-endpoints', { url: holding.url }, helpDesk)).status, 404, 'no endpoint registration with an API token');
  const endpointIds: string[] = [];
  for (const rcv of [holding, refusing]) {
    const r = await api(server, 'POST', '/api/admin/event-endpoints', { url: rcv.url }, { cookie: admin });
    assert.is(r.status, 201, JSON.stringify(r.body));
    rcv.secret = r.body.secret;
    endpointIds.push(r.body.endpoint.id);
  }
  const cursor = (await api(server, 'GET', '/api/v1/sessions/changes', undefined, helpDesk)).body.nextCursor;
  const rep = wsClient(server, 'rep', '', { cookie: admin, backoffMs: [100, 200] });
  await rep.ready;
  const made = await api(server, 'POST', '/api/v1/session-keys', { externalKey: 'INC-7', customer: { name: 'Kim Kill' } }, helpDesk);
  const k = made.body as { key: string; sessionId: string };
  const j = await joinSession(server, k.key);
  const cust = wsClient(server, 'customer', j.token, { backoffMs: [100, 200] });
  await cust.ready;
  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  const mine = (rcv: Receiver) => rcv.accepted().filter((e) => e.sessionId === k.sessionId);
  await until(() => mine(holding).length === 3 && mine(refusing).length === 3, 10_000, 'started, queued, accepted');

  // session.held: one receiver holds its answer (in flight at the kill), the other refuses it.
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  let inFlight = false;
  holding.answer = async (r) => {
    if (r.event?.type === 'session.held') { inFlight = true; await released; }
    return 200;
  };
  refusing.answer = () => 503;
  rep.conn.send({ t: 'hold', sessionId: k.sessionId });
  await until(() => inFlight && refusing.received.filter((r) => r.event?.type === 'session.held').length >= 2, 10_000, 'held in flight at one, refused twice at the other');
  await server.kill9();
  release(); // the receiver did its work; its answer found no one
  refusing.answer = () => 200;
  holding.answer = () => 200;

  await server.restart();
  await until(() => rep.status === 'online' && cust.status === 'online', 10_000, 'clients back');
  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  await cust.waitFor((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'resumed', 10_000);
  await cust.conn.sendReliable({ t: 'chat', sessionId: k.sessionId, id: newClientId(), text: 'Still there?' });
  rep.conn.send({ t: 'end', sessionId: k.sessionId });
  await cust.waitFor((m) => m.t === 'session' && m.session.state === 'ended', 10_000);
  await cust.conn.sendReliable({ t: 'survey', sessionId: k.sessionId, id: newClientId(), answers: { rating: 4 } });
  await rep.conn.sendReliable({ t: 'survey', sessionId: k.sessionId, id: newClientId(), answers: { resolved: 'Yes' } });
  await until(() => mine(holding).some((e) => e.type === 'survey.rep') && mine(refusing).some((e) => e.type === 'survey.rep'), 10_000, 'survey.rep at both');

  const types = ['session.started', 'session.queued', 'session.accepted', 'session.held', 'session.accepted', 'session.ended', 'survey.customer', 'survey.rep'];
  for (const rcv of [holding, refusing]) {
    const events = mine(rcv);
    assert.equal(events.map((e) => e.type), types);
    assert.equal(events.map((e) => e.sequence), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.ok(events.every((e) => e.externalKey === 'INC-7'));
    assert.ok(rcv.received.every((r) => r.valid), 'every signature verifies');
  }
  // The attempt cut short by the kill came again under the same id (the receiver dedupes it).
  const heldId = mine(holding)[3].id;
  assert.is(holding.received.filter((r) => r.id === heldId && r.status === 200).length, 2);
  assert.ok(refusing.received.filter((r) => r.event?.type === 'session.held').length >= 3);
  // The help desk reads the delivery log (an attempt cut short by the crash is not counted).
  const log = (await api(server, 'GET', `/api/v1/event-endpoints/${endpointIds[1]}/deliveries?limit=100`, undefined, helpDesk)).body;
  const held = log.deliveries.find((d: { eventId: string; type: string }) => d.type === 'session.held' && d.eventId === mine(refusing)[3].id);
  assert.is(held.state, 'delivered');
  // Refused twice at the receiver, then delivered; the second refusal may have been answered just
  // as the server died, before its attempt was written, so it may not count.
  assert.ok(held.attempts >= 2, `refused, then delivered: ${held.attempts} attempts`);
  // The reporting cursor, across the crash too, gives the session once at its latest state.
  const changes = (await api(server, 'GET', `/api/v1/sessions/changes?cursor=${cursor}`, undefined, helpDesk)).body;
  assert.equal(changes.sessions.filter((x: { id: string }) => x.id === k.sessionId).map((x: { state: string; externalKey: string }) => [x.state, x.externalKey]), [['ended', 'INC-7']]);
  rep.close();
  cust.close();
});

test('after outbox.keepDays, sessions with nothing left to deliver lose their events; pending ones stay', async () => {
  const admin = await loginRep(server);
  refusing.answer = () => 503;
  const pending = await createKey(server, admin);
  await until(() => holding.accepted().some((e) => e.sessionId === pending.sessionId) && refusing.received.some((r) => r.event?.sessionId === pending.sessionId), 10_000, 'delivered to one, refused by the other');
  const before = await outboxRows();
  await storeSql(server, 'update outbox_events set occurred_at = occurred_at - ?', 31 * 86_400_000);
  const [{ n: kept }] = await storeSql<{ n: number }>(server, 'select count(*) as n from outbox_events where session_id = ?', pending.sessionId);
  await server.restart();
  await until(() => /outbound events deleted: delivered more than 30 days ago/.test(server.output()), 10_000, 'the pruning log line');
  assert.is(await outboxRows(), kept, `only the session still delivering keeps its ${kept} events (of ${before})`);
  assert.ok(kept > 0 && before > kept);
});

test.run();
