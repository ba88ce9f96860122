// Outbound events end to end: an administrator registers webhook endpoints, a whole session
// (key with external key, join, accept, grant, file, hold, transfer, the customer leaving,
// both surveys) reaches a real HTTP receiver as signed events, each type once, in order per
// session; a failing receiver gets the same event again with the same id, the delivery log
// shows the attempts, redelivery works, and an endpoint that keeps failing is given up on
// without holding up the session's later events.
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, OUTBOUND_EVENT_TYPES, type Msg } from '../../protocol/index.ts';
import { api, createKey, createRep, joinAgent, joinSession, loginRep, startServer, until, wsClient, type TestServer } from '../helpers/server.ts';
import { startReceiver, verifySignature, type Receiver } from '../helpers/webhook-receiver.ts';

let server: TestServer;
let admin: string;
const receivers: Receiver[] = [];
const BASE = '/api/admin/event-endpoints';

async function receiverWithEndpoint(body: object = {}): Promise<{ rcv: Receiver; id: string }> {
  const rcv = await startReceiver();
  receivers.push(rcv);
  const r = await api(server, 'POST', BASE, { url: rcv.url, ...body }, { cookie: admin });
  assert.is(r.status, 201, JSON.stringify(r.body));
  rcv.secret = r.body.secret;
  return { rcv, id: r.body.endpoint.id };
}
const of = (rcv: Receiver, sessionId: string) => rcv.accepted().filter((e) => e.sessionId === sessionId);

test.before(async () => {
  server = await startServer({ config: { agreement: null, outbox: { retryBaseMs: 100, retryMaxMs: 400, retryForSec: 3 } } });
  admin = await loginRep(server);
});
test.after(async () => {
  await server.stop();
  for (const r of receivers) await r.close();
});

test('endpoints: administrators only, checked bodies, secrets shown once, rotation, removal', async () => {
  assert.is((await api(server, 'GET', BASE)).status, 401);
  await createRep(server, admin, { username: 'ben', password: 'benbenben', name: 'Ben' });
  const ben = await loginRep(server, 'ben', 'benbenben');
  const refused = await api(server, 'POST', BASE, { url: 'https://example.test/hook' }, { cookie: ben });
  assert.is(refused.status, 403);
  assert.is(refused.body.error.code, 'forbidden');
  for (const bad of [{ url: 'ftp://example.test/x' }, { url: 'not a url' }, { url: 'https://example.test', eventTypes: ['session.nope'] }, { url: 'https://example.test', eventTypes: [] }, { url: 'https://example.test', eventTypes: ['session.held', 'session.held'] }]) {
    const r = await api(server, 'POST', BASE, bad, { cookie: admin });
    assert.is(r.status, 400, JSON.stringify(bad));
    assert.is(r.body.error.code, 'invalid');
  }
  const made = await api(server, 'POST', BASE, { url: 'https://example.test/hook', description: 'Desk', enabled: false }, { cookie: admin });
  assert.is(made.status, 201);
  assert.match(made.body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.equal(made.body.endpoint.eventTypes, [...OUTBOUND_EVENT_TYPES]);
  const id = made.body.endpoint.id;
  const listed = await api(server, 'GET', BASE, undefined, { cookie: admin });
  assert.not.ok(JSON.stringify(listed.body).includes(made.body.secret.slice(6)), 'the secret is never listed');
  const patched = await api(server, 'PATCH', `${BASE}/${id}`, { eventTypes: ['session.ended'], description: 'Desk 2' }, { cookie: admin });
  assert.equal([patched.body.endpoint.eventTypes, patched.body.endpoint.description, patched.body.endpoint.enabled], [['session.ended'], 'Desk 2', false]);
  const rotated = await api(server, 'POST', `${BASE}/${id}/rotate-secret`, undefined, { cookie: admin });
  assert.is(rotated.status, 200);
  assert.is.not(rotated.body.secret, made.body.secret);
  assert.ok(rotated.body.endpoint.previousSecretUntil > Date.now());
  assert.is((await api(server, 'DELETE', `${BASE}/${id}`, undefined, { cookie: admin })).status, 200);
  const gone = await api(server, 'GET', `${BASE}/${id}`, undefined, { cookie: admin });
  assert.is(gone.status, 404);
  assert.is(gone.body.error.code, 'not_found');
});

test('a whole session reaches the receiver: every type once, signed, in order, no transcript text', async () => {
  const { rcv } = await receiverWithEndpoint({ description: 'help desk' });
  const rep = wsClient(server, 'rep', '', { cookie: admin });
  const repId = (await rep.ready).rep!.id;
  const k = await createKey(server, admin, { externalKey: 'RT-1234' });
  const sessionId = k.sessionId;
  const j = await joinSession(server, k.key, 'customer', 'Dana Customer');
  const cust = wsClient(server, 'customer', j.token);
  await cust.ready;
  rep.conn.send({ t: 'accept', sessionId });
  await cust.waitFor((m) => m.t === 'session' && m.session.state === 'active');
  await cust.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: 'my password is hunter2' });

  // The customer's agent grants control, then ends screen sharing.
  const agent = wsClient(server, 'agent', (await joinAgent(server, j.token)).token);
  await agent.ready;
  agent.conn.send({ t: 'grant', sessionId, grant: 'control', epoch: 1, reps: [repId], apps: null });
  await rep.waitFor((m) => m.t === 'grant' && m.grant === 'control');
  agent.conn.send({ t: 'grant', sessionId, grant: 'none', epoch: 2, reps: [], apps: null });
  await rep.waitFor((m) => m.t === 'grant' && m.grant === 'none');

  // A file from the rep to the customer.
  const data = new Uint8Array(1000).map((_, i) => i % 251);
  const sha = createHash('sha256').update(data).digest('hex');
  const offerId = newClientId();
  rep.conn.send({ t: 'file.offer', sessionId, id: offerId, name: 'fix.reg', size: data.byteLength });
  const reg = await rep.waitFor<Msg<'file.registered'>>((m) => m.t === 'file.registered' && m.id === offerId);
  await cust.waitFor((m) => m.t === 'file.offer' && m.fileId === reg.fileId);
  cust.conn.send({ t: 'file.answer', sessionId, fileId: reg.fileId, accept: true });
  await rep.waitFor((m) => m.t === 'file.answer' && m.fileId === reg.fileId);
  rep.conn.send({ t: 'file.chunk', sessionId, fileId: reg.fileId, offset: 0, data });
  await rep.waitFor((m) => m.t === 'file.progress' && m.fileId === reg.fileId && m.bytes === data.byteLength);
  rep.conn.send({ t: 'file.done', sessionId, fileId: reg.fileId, sha256: sha });
  await cust.waitFor((m) => m.t === 'event' && m.body.kind === 'file' && m.body.status === 'done');

  // Hold and take back; transfer to the general queue and accept again.
  rep.conn.send({ t: 'hold', sessionId });
  await cust.waitFor((m) => m.t === 'session' && m.session.state === 'held');
  rep.conn.send({ t: 'accept', sessionId });
  await until(() => rep.messages.some((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'resumed'), 5000, 'resumed');
  rep.conn.send({ t: 'transfer', sessionId, to: { kind: 'general' } });
  await cust.waitFor((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'transferred');
  rep.conn.send({ t: 'accept', sessionId });
  await until(() => cust.events(sessionId).filter((m) => m.body.kind === 'system' && m.body.code === 'accepted').length === 2, 5000, 'accepted again');

  // The customer leaves (ends the chat); both sides answer their survey.
  cust.conn.send({ t: 'end', sessionId });
  await rep.waitFor((m) => m.t === 'session' && m.session.id === sessionId && m.session.state === 'ended');
  await cust.conn.sendReliable({ t: 'survey', sessionId, id: newClientId(), answers: { rating: 5, comment: 'Fixed quickly' } });
  await rep.conn.sendReliable({ t: 'survey', sessionId, id: newClientId(), answers: { resolved: 'Yes', comment: 'Registry fix' } });

  await until(() => of(rcv, sessionId).some((e) => e.type === 'survey.rep') && of(rcv, sessionId).some((e) => e.type === 'survey.customer'), 10_000, 'both surveys at the receiver');
  const events = of(rcv, sessionId);
  const types = events.map((e) => e.type);
  for (const t of OUTBOUND_EVENT_TYPES) assert.ok(types.includes(t), `${t} arrived (got ${types.join(', ')})`);
  assert.equal(types.filter((t) => t === 'session.accepted').length, 3, 'accept, resume, accept after the transfer');
  // Every request verified; ids are unique; the sequence counts 1, 2, 3, … in arrival order.
  assert.ok(rcv.received.every((r) => r.valid), 'every signature verifies');
  assert.is(new Set(events.map((e) => e.id)).size, events.length);
  assert.equal(events.map((e) => e.sequence), events.map((_, i) => i + 1));
  assert.ok(events.every((e) => e.externalKey === 'RT-1234' && e.sessionId === sessionId && e.id === rcv.received.find((r) => r.event?.id === e.id)!.id));
  assert.equal(types.slice(0, 3), ['session.started', 'session.queued', 'session.accepted']);
  assert.ok(types.indexOf('customer.left') === types.indexOf('session.ended') - 1, 'customer.left comes right before session.ended');

  const one = (t: string) => events.find((e) => e.type === t)!.data;
  assert.equal(one('screen.granted'), { grant: 'control', reps: [{ id: repId, name: 'Administrator' }] });
  assert.equal(one('file.transferred').file, { id: reg.fileId, name: 'fix.reg', size: 1000, sha256: sha, mime: null });
  assert.equal(one('file.transferred').to, 'customer');
  assert.is(one('session.queued').customer.name, 'Dana Customer');
  assert.equal(events.filter((e) => e.type === 'session.accepted').map((e) => e.data.resumed), [false, true, false]);
  assert.is(one('session.transferred').to.kind, 'general');
  assert.equal(one('session.held').rep, { id: repId, name: 'Administrator' });
  assert.is(one('customer.left').reason, 'ended by the customer');
  assert.equal([one('session.ended').state, one('session.ended').by.role, one('session.ended').fileCount, one('session.ended').reboot], ['ended', 'customer', 1, 'no']);
  assert.equal(one('survey.customer').answers[0], { id: 'rating', question: 'How satisfied are you with the support you received?', answer: 5 });
  assert.equal(one('survey.rep').rep, { id: repId, name: 'Administrator' });
  assert.is(one('survey.rep').answers[0].answer, 'Yes');
  assert.not.ok(rcv.received.some((r) => r.body.includes('hunter2')), 'no transcript text in any event');

  // A receiver refuses what was changed on the way, or signed with another secret.
  const r = rcv.received[0]!;
  assert.ok(verifySignature(rcv.secret, r.id, String(r.timestamp), r.body, r.signature));
  assert.not.ok(verifySignature(rcv.secret, r.id, String(r.timestamp), r.body.replace('RT-1234', 'RT-9999'), r.signature), 'tampered body');
  assert.not.ok(verifySignature(rcv.secret, r.id, String(r.timestamp + 1), r.body, r.signature), 'tampered timestamp');
  assert.not.ok(verifySignature(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, r.id, String(r.timestamp), r.body, r.signature), 'other secret');
  assert.ok(Math.abs(r.timestamp - Date.now() / 1000) < 60);
  cust.close();
  agent.close();
  rep.close();
  for (const x of receivers) x.answer = () => 200;
});

test('500 then 200: the same event again with the same id, in order; the log shows it; redelivery', async () => {
  const { rcv, id } = await receiverWithEndpoint({ eventTypes: ['session.started', 'session.queued'] });
  const seen = new Set<string>();
  rcv.answer = (r) => (seen.has(r.id) ? 200 : (seen.add(r.id), 500));
  const k = await createKey(server, admin, { externalKey: 'RT-2' });
  await joinSession(server, k.key);
  await until(() => of(rcv, k.sessionId).length === 2, 10_000, 'both events accepted');
  const [started, queued] = of(rcv, k.sessionId);
  assert.equal([started.type, queued.type], ['session.started', 'session.queued']);
  const forStarted = rcv.received.filter((r) => r.id === started.id);
  assert.equal(forStarted.map((r) => r.status), [500, 200]);
  assert.is(forStarted[0]!.body, forStarted[1]!.body, 'the same body each time');
  // Event 2 of the session waited for event 1: it was first sent after event 1 was accepted.
  const firstQueued = rcv.received.findIndex((r) => r.id === queued.id);
  const startedOk = rcv.received.findIndex((r) => r.id === started.id && r.status === 200);
  assert.ok(firstQueued > startedOk, 'in order per session');

  const log = await api(server, 'GET', `${BASE}/${id}/deliveries`, undefined, { cookie: admin });
  assert.is(log.status, 200);
  const mine = log.body.deliveries.filter((d: any) => d.sessionId === k.sessionId);
  assert.equal(mine.map((d: any) => [d.type, d.state, d.attempts, d.lastStatus]), [['session.queued', 'delivered', 2, 200], ['session.started', 'delivered', 2, 200]]);
  assert.ok(mine.every((d: any) => d.deliveredAt >= d.createdAt && d.lastError === null && d.nextAttemptAt === null));

  const page1 = await api(server, 'GET', `${BASE}/${id}/deliveries?limit=1`, undefined, { cookie: admin });
  assert.is(page1.body.deliveries.length, 1);
  const page2 = await api(server, 'GET', `${BASE}/${id}/deliveries?limit=1&before=${encodeURIComponent(page1.body.next)}`, undefined, { cookie: admin });
  assert.is(page2.body.deliveries[0].eventId, started.id);
  assert.is(page2.body.next, null);
  assert.is((await api(server, 'GET', `${BASE}/${id}/deliveries?limit=0`, undefined, { cookie: admin })).status, 400);

  const again = await api(server, 'POST', `${BASE}/${id}/deliveries/${started.id}/redeliver`, undefined, { cookie: admin });
  assert.is(again.status, 200);
  await until(() => rcv.received.filter((r) => r.id === started.id).length === 3, 5000, 'redelivered');
  await until(async () => (await api(server, 'GET', `${BASE}/${id}/deliveries`, undefined, { cookie: admin })).body.deliveries.find((d: any) => d.eventId === started.id).attempts === 3, 5000, 'attempt logged');
  assert.is((await api(server, 'POST', `${BASE}/${id}/deliveries/evt_nope/redeliver`, undefined, { cookie: admin })).status, 404);
});

test('an endpoint that keeps failing is given up on after retryForSec; the session\'s later events go on', async () => {
  const { rcv, id } = await receiverWithEndpoint({ eventTypes: ['session.started', 'session.queued', 'session.accepted'] });
  rcv.answer = (r) => (r.event?.type === 'session.queued' ? 503 : 200);
  const rep = wsClient(server, 'rep', '', { cookie: admin });
  await rep.ready;
  const k = await createKey(server, admin);
  await joinSession(server, k.key);
  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  // Meanwhile the accepted event waits behind it with no due time: a backlog is never scanned.
  await until(async () => {
    const all = (await api(server, 'GET', `${BASE}/${id}/deliveries`, undefined, { cookie: admin })).body.deliveries;
    const accepted = all.find((d: any) => d.sessionId === k.sessionId && d.type === 'session.accepted');
    return accepted?.state === 'pending' && accepted.nextAttemptAt === null && accepted.attempts === 0;
  }, 3000, 'accepted waiting behind queued');
  await until(() => of(rcv, k.sessionId).some((e) => e.type === 'session.accepted'), 10_000, 'accepted arrives once queued failed');
  const log = (await api(server, 'GET', `${BASE}/${id}/deliveries?state=failed`, undefined, { cookie: admin })).body.deliveries;
  assert.is(log.length, 1);
  assert.is(log[0].type, 'session.queued');
  assert.ok(log[0].attempts >= 3, `retried (${log[0].attempts} attempts)`);
  assert.is(log[0].lastStatus, 503);
  assert.match(log[0].lastError, /^HTTP 503: no thanks 503/);
  const queuedTries = rcv.received.filter((r) => r.event?.type === 'session.queued' && r.event.sessionId === k.sessionId);
  const acceptedAt = rcv.received.find((r) => r.event?.type === 'session.accepted' && r.event.sessionId === k.sessionId)!.at;
  assert.ok(queuedTries.every((r) => r.at <= acceptedAt), 'accepted waited for queued to be given up');
  // The waits doubled: 100, 200, 400, 400 … ms.
  const gaps = queuedTries.slice(1).map((r, i) => r.at - queuedTries[i]!.at);
  assert.ok(gaps[0]! >= 90 && gaps[1]! >= 190, `backoff ${gaps.join(', ')}`);
  rep.close();
});

test.run();
