// The Request Tracker connector end to end: a real RT 5 (Debian's packages,
// test/helpers/request-tracker.ts), a real Bridge server configured with the connector, and the
// outbox driving it. Sessions are made the way people make them (the portal, or a help desk's key
// for a ticket it has; a rep accepts, both chat, the rep ends and answers the survey); RT is read
// over its REST 2 API. RT goes down through a loopback forwarder the test can close and reopen.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type EventDelivery, type Msg } from '../../protocol/index.ts';
import { loadConfig } from '../../server/config.ts';
import { apiCredentials } from '../helpers/api-client.ts';
import { RtReader, startRequestTracker, type TestRequestTracker } from '../helpers/request-tracker.ts';
import { api, joinSession, loginRep, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let rt: TestRequestTracker;
let reader: RtReader;
let relay: Forwarder;
let server: TestServer;
let admin: string;

/** A loopback TCP forwarder to RT: `down()` refuses connections (RT unreachable), `up()` forwards again. */
class Forwarder {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  up(): Promise<void> {
    const server = createServer((inbound) => {
      const outbound = connect(this.target.port, this.target.host);
      for (const s of [inbound, outbound]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => { inbound.destroy(); outbound.destroy(); });
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    this.server = server;
    return new Promise((resolve) => server.listen(this.port, '127.0.0.1', () => { this.port = (server.address() as AddressInfo).port; resolve(); }));
  }
  down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

const BASE = { agreement: null, companyName: 'Acme Support', outbox: { retryBaseMs: 300, retryMaxMs: 1500 } };

function withConnector(url: string, over: object = {}) {
  return { ...BASE, integrations: { requestTracker: { url, token: rt.token, queue: rt.queue, timeoutSec: 5, ...over } } };
}

test.before(async () => {
  rt = await startRequestTracker();
  console.log(`  RT up in ${rt.timings.totalMs} ms (database ${rt.timings.initMs} ms, connector data ${rt.timings.insertMs} ms, rt-server ${rt.timings.serverMs} ms)`);
  reader = new RtReader(rt);
  const u = new URL(rt.url);
  relay = new Forwarder({ host: u.hostname, port: Number(u.port) });
  await relay.up();
  server = await startServer({ config: withConnector(relay.url) });
  admin = await loginRep(server);
});
test.after(async () => {
  await server?.stop();
  await relay?.down();
  await rt?.stop();
});

/** The connector's delivery log for one session, oldest first. */
async function deliveries(s: TestServer, cookie: string, sessionId: string): Promise<EventDelivery[]> {
  const r = await api(s, 'GET', '/api/admin/connectors/request-tracker/deliveries?limit=200', undefined, { cookie });
  assert.is(r.status, 200, JSON.stringify(r.body));
  return (r.body.deliveries as EventDelivery[]).filter((d) => d.sessionId === sessionId).reverse();
}

/** Waits until the connector has carried out every listed event type of the session. */
async function settled(s: TestServer, cookie: string, sessionId: string, types: string[]): Promise<EventDelivery[]> {
  let list: EventDelivery[] = [];
  await until(async () => {
    list = await deliveries(s, cookie, sessionId);
    return types.every((t) => list.some((d) => d.type === t && d.state === 'delivered'));
  }, 30_000, `the connector to carry out ${types.join(', ')}: ${JSON.stringify(list.map((d) => [d.type, d.state, d.lastError]))}`);
  return list;
}

interface Live { sessionId: string; customer: TestClient; rep: TestClient; cookie: string }

async function repOnline(s: TestServer): Promise<{ rep: TestClient; cookie: string }> {
  const cookie = await loginRep(s);
  const rep = wsClient(s, 'rep', '', { cookie });
  await rep.ready;
  return { rep, cookie };
}

async function portalSession(s: TestServer): Promise<Live> {
  const { rep, cookie } = await repOnline(s);
  const r = await api(s, 'POST', '/api/portal/submit', { name: 'Ana Lima', company: 'Lima Logistics', issue: 'Printer offline', description: 'The office printer stopped printing this morning.' });
  assert.is(r.status, 200);
  const customer = wsClient(s, 'customer', r.body.token);
  await customer.ready;
  return { sessionId: r.body.sessionId, customer, rep, cookie };
}

/** A rep accepts, both chat, the rep ends and answers the exit survey. */
async function chatAndEnd(l: Live, resolved: string): Promise<void> {
  l.rep.conn.send({ t: 'accept', sessionId: l.sessionId });
  await l.customer.waitFor((m) => m.t === 'session' && (m as Msg<'session'>).session.state === 'active');
  await l.customer.conn.sendReliable({ t: 'chat', sessionId: l.sessionId, id: newClientId(), text: 'The printer shows error 42.' });
  await l.rep.conn.sendReliable({ t: 'chat', sessionId: l.sessionId, id: newClientId(), text: 'Please power-cycle it.' });
  l.rep.conn.send({ t: 'end', sessionId: l.sessionId });
  await l.customer.waitFor((m) => m.t === 'session' && (m as Msg<'session'>).session.state === 'ended');
  const id = newClientId();
  await l.rep.conn.sendReliable({ t: 'survey', sessionId: l.sessionId, id, answers: { resolved, comment: 'Printer works again' } });
  await l.rep.waitFor<Msg<'done'>>((m) => m.t === 'done' && m.ref === id);
}

function close(l: Live): void {
  l.customer.close();
  l.rep.close();
}

test('a portal chat becomes a ticket with its fields and session id; the end comments the chat log with the transcript attached; "Yes" resolves it; redelivered events do nothing twice', async () => {
  const l = await portalSession(server);
  await chatAndEnd(l, 'Yes');
  const log = await settled(server, admin, l.sessionId, ['session.queued', 'session.ended', 'survey.rep']);

  const { token } = await apiCredentials(server, admin, ['reporting']);
  const rec = await api(server, 'GET', `/api/v1/sessions/${l.sessionId}`, undefined, { authorization: `Bearer ${token}` });
  const key = rec.body.externalKey as string;
  assert.match(key ?? '', /^RT#\d+$/, 'the session\'s external key names the ticket');
  const ticketId = Number(key.slice(3));
  const ticket = await reader.ticket(ticketId);
  assert.is(ticket.subject, 'Printer offline');
  assert.equal(ticket.customFields[rt.customField], [l.sessionId]);
  assert.is(ticket.status, 'resolved');
  const all = await reader.attachments(ticketId);
  assert.match(all[0].Content, 'Customer: Ana Lima');
  assert.match(all[0].Content, 'Company: Lima Logistics');
  assert.match(all[0].Content, 'The office printer stopped printing this morning.');
  const body = all.find((a) => a.ContentType === 'text/plain' && a.Content.includes('Chat log:'))!;
  assert.ok(body, 'the comment has the record and the chat log');
  assert.match(body.Content, 'Customer: Ana Lima (Lima Logistics)');
  assert.match(body.Content, /Primary representative: \S/);
  assert.match(body.Content, /Accepted: \d{4}-/);
  assert.match(body.Content, 'Ana Lima: The printer shows error 42.');
  assert.match(body.Content, 'Please power-cycle it.');
  assert.match(body.Content, /\* /, 'system lines are kept by default');
  const file = all.find((a) => a.Filename === `transcript-${l.sessionId}.txt`)!;
  assert.ok(file, 'the transcript is attached');
  assert.match(file.Content, 'Acme Support support session');

  // The outbox delivers at least once: an administrator's redelivery of the start and the end
  // (as after a lost acknowledgement) makes no second ticket and no second comment.
  for (const type of ['session.queued', 'session.ended']) {
    const d = log.find((x) => x.type === type)!;
    const r = await api(server, 'POST', `/api/admin/connectors/request-tracker/deliveries/${d.eventId}/redeliver`, undefined, { cookie: admin });
    assert.is(r.status, 200, JSON.stringify(r.body));
  }
  await until(async () => (await deliveries(server, admin, l.sessionId)).filter((d) => d.attempts >= 2 && d.state === 'delivered').length === 2, 15_000, 'both redelivered');
  assert.equal(await reader.ticketsOfSession(l.sessionId), [ticketId], 'one ticket');
  const comments = (await reader.attachments(ticketId)).filter((a) => a.Subject === `Bridge session ${l.sessionId} ended`);
  assert.is(comments.length, 1, 'one closing comment');
  close(l);
});

test('a help desk\'s key for its ticket uses that ticket; created on accept; system lines hidden; "No" leaves it open', async () => {
  const existing = await reader.createTicket('Laptop will not boot', 'Opened by phone.');
  const other = await startServer({ config: withConnector(rt.url, { createOn: 'session.accepted', systemMessages: false }) });
  try {
    const cookie = await loginRep(other);
    const { token } = await apiCredentials(other, cookie, ['command']);
    const k = await api(other, 'POST', '/api/v1/session-keys', { externalKey: `RT#${existing}`, customer: { name: 'Bo Berg', issue: 'Laptop' } }, { authorization: `Bearer ${token}` });
    assert.is(k.status, 200, JSON.stringify(k.body));
    const { rep } = await repOnline(other);
    const customer = wsClient(other, 'customer', (await joinSession(other, k.body.key, 'customer', 'Bo Berg')).token);
    await customer.ready;
    const l = { sessionId: k.body.sessionId as string, customer, rep, cookie };
    await chatAndEnd(l, 'No, will try later');
    const log = await settled(other, cookie, l.sessionId, ['session.accepted', 'session.ended', 'survey.rep']);
    assert.not.ok(log.some((d) => d.type === 'session.queued'), 'the arrival is not the connector\'s business here');

    assert.equal(await reader.ticketsOfSession(l.sessionId), [existing], 'no new ticket');
    const t = await reader.ticket(existing);
    assert.equal(t.customFields[rt.customField], [l.sessionId]);
    assert.is(t.status, 'new');
    const file = (await reader.attachments(existing)).find((a) => a.Filename === `transcript-${l.sessionId}.txt`)!;
    assert.match(file.Content, 'Bo Berg: The printer shows error 42.');
    assert.not.match(file.Content, /\] [^:]+: \* /, 'no system lines');
    const rec = await api(other, 'GET', `/api/history/${l.sessionId}`, undefined, { cookie });
    assert.is(rec.body.session.externalKey, `RT#${existing}`, 'the help desk\'s key stays as it was');
    close(l);
  } finally {
    await other.stop();
  }
});

test('a key a rep makes is no ticket until its customer comes; a bare number in the external key is not taken for a ticket number', async () => {
  const { rep, cookie } = await repOnline(server);
  const unused = await api(server, 'POST', '/api/session-keys', {}, { cookie });
  const taken = await api(server, 'POST', '/api/session-keys', { externalKey: '1' }, { cookie });
  const customer = wsClient(server, 'customer', (await joinSession(server, taken.body.key, 'customer', 'Cy Number')).token);
  await customer.ready;
  await settled(server, admin, taken.body.sessionId, ['session.queued']);
  const [ticket] = await reader.ticketsOfSession(taken.body.sessionId);
  assert.ok(ticket > 1, 'a ticket of its own, not #1');
  assert.is((await reader.ticket(1)).customFields[rt.customField]?.includes(taken.body.sessionId) ?? false, false);
  const rec = await api(server, 'GET', `/api/history/${taken.body.sessionId}`, undefined, { cookie });
  assert.is(rec.body.session.externalKey, '1', 'the other help desk\'s key stays');
  assert.equal(await deliveries(server, admin, unused.body.sessionId), [], 'nothing for the unused key');
  customer.close();
  rep.close();
});

test('while RT is unreachable the log says so and the outbox keeps trying; once RT answers the ticket is made', async () => {
  await relay.down();
  const l = await portalSession(server);
  let first: EventDelivery | undefined;
  await until(async () => {
    first = (await deliveries(server, admin, l.sessionId)).find((d) => d.type === 'session.queued');
    return (first?.attempts ?? 0) >= 2;
  }, 15_000, 'two failed attempts');
  assert.is(first!.state, 'pending');
  assert.match(first!.lastError ?? '', /could not be reached \(ECONNREFUSED\)/);
  await relay.up();
  await settled(server, admin, l.sessionId, ['session.queued']);
  assert.is((await reader.ticketsOfSession(l.sessionId)).length, 1);
  close(l);
});

test('the configuration needs a token or a user name and password, and an http(s) address', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-rt-config-'));
  const load = (requestTracker: object) => {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ integrations: { requestTracker } }));
    return loadConfig([], { BRIDGE_CONFIG: file });
  };
  try {
    assert.throws(() => load({ url: rt.url, queue: 'q' }), /integrations\.requestTracker/);
    assert.throws(() => load({ url: rt.url, queue: 'q', token: 't', username: 'u', password: 'p' }), /integrations\.requestTracker/);
    assert.throws(() => load({ url: 'ftp://x', queue: 'q', token: 't' }), /integrations\.requestTracker\.url/);
    const c = load({ url: rt.url, queue: 'q', token: 't' }).config.integrations.requestTracker!;
    assert.equal([c.createOn, c.customField, c.systemMessages, c.resolve], ['session.queued', 'Bridge session', true, { question: 'resolved', answers: ['Yes'] }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
