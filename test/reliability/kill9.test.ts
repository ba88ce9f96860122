// kill -9 of the server mid-conversation, restarted on the same data dir (docs/ARCHITECTURE.md "No loss"): every
// acknowledged message is in the stored transcript, both clients resume by themselves, the
// messages they sent while the server was gone are delivered, and nothing is stored or shown twice.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type Msg } from '../../protocol/index.ts';
import { activeSession, type ActiveSession } from '../helpers/session.ts';
import { api, startServer, until, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let s: ActiveSession;

test.before(async () => {
  // Both sides chat at machine speed: a budget above that (the limit has its own test, abuse-volume).
  server = await startServer({ config: { agreement: null, rateLimit: { messageBurst: 500, messagesPerMin: 60_000 } } });
  s = await activeSession(server);
});
test.after(async () => {
  s?.close();
  await server?.stop();
});

interface Tracked { id: string; from: 'customer' | 'rep'; acked: boolean; done: Promise<number> }

function say(client: TestClient, from: 'customer' | 'rep', n: number, all: Tracked[]): void {
  const id = newClientId();
  const t: Tracked = { id, from, acked: false, done: client.conn.sendReliable({ t: 'chat', sessionId: s.sessionId, id, text: `${from} ${n}` }) };
  t.done.then(() => { t.acked = true; }, () => {});
  all.push(t);
}

async function transcript(): Promise<Msg<'event'>[]> {
  const r = await api(server, 'GET', `/api/sessions/${s.sessionId}/transcript?format=json`, undefined, { authorization: `Bearer ${s.token}` });
  assert.is(r.status, 200, JSON.stringify(r.body));
  return r.body.events;
}

function assertOnce(events: Msg<'event'>[], ids: string[], where: string): void {
  const count = new Map<string, number>();
  for (const e of events) if (e.id) count.set(e.id, (count.get(e.id) ?? 0) + 1);
  for (const id of ids) assert.is(count.get(id) ?? 0, 1, `${where}: message ${id} present ${count.get(id) ?? 0} times`);
}

test('kill -9 mid-conversation: acknowledged messages survive, clients resume, nothing duplicated', async () => {
  const all: Tracked[] = [];
  let n = 0;
  // Both sides talk steadily; the kill lands while messages are in flight.
  for (; n < 40; n++) {
    say(s.customer, 'customer', n, all);
    say(s.rep, 'rep', n, all);
    await new Promise((r) => setTimeout(r, 5));
  }
  await until(() => all.some((t) => t.acked), 5000, 'a first ack');
  await server.kill9();
  const ackedBeforeKill = all.filter((t) => t.acked).map((t) => t.id);
  assert.ok(ackedBeforeKill.length > 0);

  // The server is gone: both keep typing (kept in their outboxes).
  await until(() => s.customer.status === 'offline' && s.rep.status === 'offline', 5000, 'both clients offline');
  for (; n < 50; n++) { say(s.customer, 'customer', n, all); say(s.rep, 'rep', n, all); }

  await server.restart();
  await until(() => s.customer.status === 'online' && s.rep.status === 'online', 15_000, 'both clients back online');
  for (; n < 60; n++) { say(s.customer, 'customer', n, all); say(s.rep, 'rep', n, all); }
  await Promise.race([Promise.all(all.map((t) => t.done)), new Promise((_, j) => setTimeout(() => j(new Error('not every message was acked')), 20_000))]);

  const stored = await transcript();
  const chats = stored.filter((e) => e.body.kind === 'chat');
  // Everything acked before the kill is in the transcript (the durability claim) ...
  assertOnce(chats, ackedBeforeKill, 'transcript, acked before the kill');
  // ... and every message ever sent is stored exactly once, in one strictly increasing seq order.
  assertOnce(chats, all.map((t) => t.id), 'transcript');
  assert.is(chats.length, all.length, 'no extra chat lines');
  const seqs = stored.map((e) => e.seq);
  assert.equal(seqs, [...new Set(seqs)].sort((a, b) => a - b), 'seqs unique and increasing');
  assert.equal(seqs, seqs.map((_, i) => i + 1), 'no gap in the seqs');

  // Each side received the other's messages exactly once (resume replays only what it lacked).
  await until(() => s.rep.events(s.sessionId).filter((e) => e.body.kind === 'chat').length >= all.length, 10_000, 'the rep has every line');
  await until(() => s.customer.events(s.sessionId).filter((e) => e.body.kind === 'chat').length >= all.length, 10_000, 'the customer has every line');
  assertOnce(s.rep.events(s.sessionId), all.map((t) => t.id), 'rep view');
  assertOnce(s.customer.events(s.sessionId), all.map((t) => t.id), 'customer view');
  // The order each side sees is the stored order.
  const order = chats.map((e) => e.id);
  assert.equal(s.rep.events(s.sessionId).filter((e) => e.body.kind === 'chat').map((e) => e.id), order);
  assert.equal(s.customer.events(s.sessionId).filter((e) => e.body.kind === 'chat').map((e) => e.id), order);
});

test('two kills in a row, one before the first resend is acked: still exactly once', async () => {
  const all: Tracked[] = [];
  await server.kill9();
  for (let n = 0; n < 15; n++) say(s.customer, 'customer', 100 + n, all);
  await server.restart();
  // Kill again as soon as the customer is back (the resends are in flight or just stored).
  await until(() => s.customer.status === 'online', 15_000, 'customer online');
  await server.kill9();
  for (let n = 15; n < 20; n++) say(s.customer, 'customer', 100 + n, all);
  await server.restart();
  await Promise.race([Promise.all(all.map((t) => t.done)), new Promise((_, j) => setTimeout(() => j(new Error('not every message was acked')), 20_000))]);
  const chats = (await transcript()).filter((e) => e.body.kind === 'chat');
  assertOnce(chats, all.map((t) => t.id), 'transcript');
  await until(() => all.every((t) => s.rep.events(s.sessionId).some((e) => e.id === t.id)), 10_000, 'the rep has every line');
  assertOnce(s.rep.events(s.sessionId), all.map((t) => t.id), 'rep view');
});

test.run();
