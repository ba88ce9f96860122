// The Request Tracker connector against a real RT 5 (Debian's packages, test/helpers/request-tracker.ts)
// and a real Bridge server: sessions are made the way people make them (portal, key, rep accepts,
// chat, end, rep survey) and RT is checked over its REST 2 API. The connector runs in this process
// on the server's store, fed the events a session produced, as the outbox feeds it.
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type Msg } from '../../protocol/index.ts';
import type { OutboundEvent, OutboundEventType } from '../../protocol/api/events.ts';
import { DEFAULTS, deepMerge, type Config } from '../../server/config.ts';
import type { Ctx } from '../../server/context.ts';
import { Directory } from '../../server/core/directory.ts';
import { Hub } from '../../server/core/hub.ts';
import { Integrations } from '../../server/integrations/integrations.ts';
import { RequestTrackerClient, RtError } from '../../server/integrations/request-tracker/client.ts';
import { RequestTrackerConnector } from '../../server/integrations/request-tracker/connector.ts';
import * as v from 'valibot';
import { RequestTrackerConfig } from '../../server/integrations/request-tracker/config.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import type { Store } from '../../server/store/store.ts';
import { startRequestTracker, type TestRequestTracker } from '../helpers/request-tracker.ts';
import { api, createKey, joinSession, loginRep, startServer, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let rt: TestRequestTracker;
let server: TestServer;
let store: Store;
let root: RequestTrackerClient;
const serverConfig = { agreement: null, companyName: 'Acme Support' };

test.before(async () => {
  const t0 = Date.now();
  [rt, server] = await Promise.all([startRequestTracker(), startServer({ config: serverConfig })]);
  console.log(`  RT up in ${rt.timings.totalMs} ms (database ${rt.timings.initMs} ms, connector data ${rt.timings.insertMs} ms, rt-server ${rt.timings.serverMs} ms); both servers in ${Date.now() - t0} ms`);
  store = await openSqliteStore(server.dataDir);
  root = new RequestTrackerClient({ url: rt.url, auth: { username: rt.root.username, password: rt.root.password }, timeoutMs: 10_000 });
});
test.after(async () => {
  await store?.close();
  await Promise.all([rt?.stop(), server?.stop()]);
});

/** The connector on the server's store, as the server would build it with this configuration. */
async function connector(over: object = {}): Promise<RequestTrackerConnector> {
  const rtConfig = v.parse(RequestTrackerConfig, { url: rt.url, token: rt.token, queue: rt.queue, ...over });
  const config: Config = deepMerge(DEFAULTS, { ...serverConfig, integrations: { requestTracker: rtConfig } });
  const dir = new Directory(store, config);
  await dir.reload();
  const hub = new Hub(config, store, dir);
  const ctx: Ctx = { config, store, dir, hub, integrations: new Integrations(config, store, hub, dir), publicUrl: () => server.url };
  return new RequestTrackerConnector(ctx, rtConfig);
}

let sequence = 0;
async function event(type: OutboundEventType, sessionId: string): Promise<OutboundEvent> {
  const s = await store.getSession(sessionId);
  sequence++;
  return { id: `${sessionId}-${sequence}`, type, sessionId, sequence, occurredAt: Date.now(), externalKey: s?.external_key ?? null, data: {} };
}

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Live { sessionId: string; customer: TestClient; rep: TestClient; cookie: string }

/** A rep accepts, both chat, the rep ends and answers the exit survey. */
async function chatAndEnd(l: Live, resolved: string): Promise<void> {
  l.rep.conn.send({ t: 'accept', sessionId: l.sessionId });
  await l.customer.waitFor((m) => m.t === 'session' && m.session.state === 'active');
  await l.customer.conn.sendReliable({ t: 'chat', sessionId: l.sessionId, id: newClientId(), text: 'The printer shows error 42.' });
  await l.rep.conn.sendReliable({ t: 'chat', sessionId: l.sessionId, id: newClientId(), text: 'Please power-cycle it.' });
  l.rep.conn.send({ t: 'end', sessionId: l.sessionId });
  await l.customer.waitFor((m) => m.t === 'session' && m.session.state === 'ended');
  const id = newClientId();
  await l.rep.conn.sendReliable({ t: 'survey', sessionId: l.sessionId, id, answers: { resolved, comment: 'Printer works again' } });
  await l.rep.waitFor<Msg<'done'>>((m) => m.t === 'done' && m.ref === id);
}

async function portalSession(): Promise<Live> {
  const cookie = await loginRep(server);
  const rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;
  const r = await api(server, 'POST', '/api/portal/submit', { name: 'Ana Lima', company: 'Lima Logistics', issue: 'Printer offline', description: 'The office printer stopped printing this morning.' });
  assert.is(r.status, 200);
  const customer = wsClient(server, 'customer', r.body.token);
  await customer.ready;
  return { sessionId: r.body.sessionId, customer, rep, cookie };
}

async function keySession(externalKey: string): Promise<Live> {
  const cookie = await loginRep(server);
  const rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;
  const k = await createKey(server, cookie, { externalKey });
  const j = await joinSession(server, k.key, 'customer', 'Bo Berg');
  const customer = wsClient(server, 'customer', j.token);
  await customer.ready;
  return { sessionId: k.sessionId, customer, rep, cookie };
}

async function attachments(ticket: number): Promise<{ Subject: string; Filename: string; ContentType: string; Content: string }[]> {
  const r = await fetch(`${rt.url}/REST/2.0/ticket/${ticket}/attachments?fields=Subject,Filename,ContentType,Content&per_page=100`, { headers: { authorization: `token ${rt.token}` } });
  const items = ((await r.json()) as { items: { Subject: string; Filename: string; ContentType: string; Content: string }[] }).items;
  // REST 2 sends attachment content base64-encoded in some versions and as text in others.
  return items.map((a) => ({ ...a, Content: /^[A-Za-z0-9+/=\s]+$/.test(a.Content) && a.Content.length > 8 ? Buffer.from(a.Content, 'base64').toString('utf8') : a.Content }));
}

test('a portal chat becomes a ticket with its fields and session id; the end comments the chat log with the transcript attached; "Yes" resolves it', async () => {
  const rtc = await connector();
  const l = await portalSession();
  await rtc.handle(await event('session.started', l.sessionId));

  const key = (await store.getSession(l.sessionId))!.external_key;
  assert.match(key ?? '', /^\d+$/, 'the session\'s external key is the ticket number');
  const ticketId = Number(key);
  const ticket = (await root.getTicket(ticketId))!;
  assert.is(ticket.subject, 'Printer offline');
  assert.equal(ticket.customFields[rt.customField], [l.sessionId]);
  const [created] = await attachments(ticketId);
  assert.match(created.Content, 'Customer: Ana Lima');
  assert.match(created.Content, 'Company: Lima Logistics');
  assert.match(created.Content, 'The office printer stopped printing this morning.');
  // Bridge's own views see the key: the rep's history record carries it.
  const rec = await api(server, 'GET', `/api/history/${l.sessionId}`, undefined, { cookie: l.cookie });
  assert.is(rec.body.session.externalKey, key);

  // A retry (lost acknowledgement) and a retry after the key was lost make no second ticket.
  await rtc.handle(await event('session.started', l.sessionId));
  await store.updateSession(l.sessionId, { external_key: null });
  await rtc.handle(await event('session.started', l.sessionId));
  assert.equal(await root.findTicketsByCustomField(rt.customField, l.sessionId), [ticketId]);
  assert.is((await store.getSession(l.sessionId))!.external_key, key);

  await chatAndEnd(l, 'Yes');
  const ended = await event('session.ended', l.sessionId);
  await rtc.handle(ended);
  await rtc.handle(ended); // the outbox may deliver it again: still one comment
  const comments = (await attachments(ticketId)).filter((a) => a.Subject === `Bridge session ${l.sessionId} ended`);
  assert.is(comments.length, 1, 'one closing comment');
  const all = await attachments(ticketId);
  const body = all.find((a) => a.ContentType === 'text/plain' && a.Content.includes('Chat log:'))!;
  assert.ok(body, 'the comment has the record and the chat log');
  assert.match(body.Content, 'Customer: Ana Lima (Lima Logistics)');
  assert.match(body.Content, /Primary representative: \S/);
  assert.match(body.Content, /Accepted: \d{4}-/);
  assert.match(body.Content, /Duration: \d+:\d\d:\d\d from acceptance/);
  assert.match(body.Content, 'Files:\n  (none)');
  assert.match(body.Content, 'Ana Lima: The printer shows error 42.');
  assert.match(body.Content, 'Please power-cycle it.');
  assert.match(body.Content, /\* /, 'system lines are kept by default');
  const file = all.find((a) => a.Filename === `transcript-${l.sessionId}.txt`)!;
  assert.ok(file, 'the transcript is attached');
  assert.match(file.Content, 'Acme Support support session');
  assert.match(file.Content, 'Please power-cycle it.');

  assert.is((await root.getTicket(ticketId))!.status, 'new');
  await rtc.handle(await event('survey.rep', l.sessionId));
  assert.is((await root.getTicket(ticketId))!.status, 'resolved');
  await rtc.handle(await event('survey.rep', l.sessionId)); // again: nothing to do, no error
  l.customer.close();
  l.rep.close();
});

test('an external key naming a ticket uses that ticket; created on accept; system lines hidden; "No" leaves it open', async () => {
  const existing = await root.createTicket({ queue: rt.queue, subject: 'Laptop will not boot', content: 'Opened by phone.', requestor: ['bo@example.com'] });
  const rtc = await connector({ createOn: 'session.accepted', systemMessages: false });
  assert.equal(rtc.eventTypes, ['session.accepted', 'session.ended', 'survey.rep']);
  const l = await keySession(`RT#${existing}`);
  await chatAndEnd(l, 'No, will try later');
  for (const type of ['session.accepted', 'session.ended', 'survey.rep'] as const) await rtc.handle(await event(type, l.sessionId));

  assert.equal(await root.findTicketsByCustomField(rt.customField, l.sessionId), [existing], 'no new ticket');
  const t = (await root.getTicket(existing))!;
  assert.equal(t.customFields[rt.customField], [l.sessionId]);
  assert.is(t.status, 'new');
  assert.is((await store.getSession(l.sessionId))!.external_key, `RT#${existing}`, 'the help desk\'s key stays as it was');
  const file = (await attachments(existing)).find((a) => a.Filename === `transcript-${l.sessionId}.txt`)!;
  assert.match(file.Content, 'Bo Berg: The printer shows error 42.');
  assert.not.match(file.Content, /\] [^:]+: \* /, 'no system lines');
  l.customer.close();
  l.rep.close();
});

test('an RT that is down or refuses the token gives an error that says so (the outbox retries it)', async () => {
  const l = await portalSession();
  const nobody = `http://127.0.0.1:${await closedPort()}`;
  const down = await connector({ url: nobody, timeoutSec: 2 });
  const e1 = await down.handle(await event('session.started', l.sessionId)).then(() => null, (e: unknown) => e);
  assert.instance(e1, RtError);
  assert.is((e1 as Error).message, `Request Tracker at ${nobody} could not be reached (ECONNREFUSED): GET /tickets`);

  const refused = await connector({ token: '1-99-0123456789abcdef0123456789abcdef' });
  const e2 = await refused.handle(await event('session.started', l.sessionId)).then(() => null, (e: unknown) => e);
  assert.instance(e2, RtError);
  assert.match((e2 as Error).message, /failed with 401 \(check the token or user name and password\)/);
  assert.is((await store.getSession(l.sessionId))!.external_key, null, 'nothing recorded');

  // Once RT answers again (the outbox's next attempt) the same event goes through, by user and password.
  const back = await connector({ token: null, username: rt.bridgeUser.username, password: rt.bridgeUser.password });
  await back.handle(await event('session.started', l.sessionId));
  assert.match((await store.getSession(l.sessionId))!.external_key ?? '', /^\d+$/);
  l.customer.close();
  l.rep.close();
});

test('the configuration needs a token or a user name and password', () => {
  assert.not.ok(v.safeParse(RequestTrackerConfig, { url: rt.url, queue: 'q' }).success);
  assert.not.ok(v.safeParse(RequestTrackerConfig, { url: rt.url, queue: 'q', token: 't', username: 'u', password: 'p' }).success);
  assert.not.ok(v.safeParse(RequestTrackerConfig, { url: 'ftp://x', queue: 'q', token: 't' }).success);
  const c = v.parse(RequestTrackerConfig, { url: rt.url, queue: 'q', token: 't' });
  assert.equal([c.createOn, c.customField, c.systemMessages, c.resolve], ['session.started', 'Bridge session', true, { question: 'resolved', answers: ['Yes'] }]);
});

test.run();
