// No loss: a client that drops and resumes receives every event sent meanwhile exactly once;
// resends are deduplicated by client id.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decode, encode, newClientId, PROTOCOL_VERSION, type Message, type Msg } from '../../protocol/index.ts';
import { rawSocket, startServer, until, type TestServer } from '../helpers/server.ts';
import { activeSession } from '../helpers/session.ts';

let server: TestServer;
test.before(async () => {
  server = await startServer({ config: { agreement: null } });
});
test.after(async () => {
  await server.stop();
});

/** Opens a raw socket, sends `first`, collects decoded messages. */
async function raw(path: string, first: Message, headers: Record<string, string> = {}) {
  const ws = rawSocket(server, path, headers);
  const got: Message[] = [];
  ws.on('message', (d) => {
    const r = decode(new Uint8Array(d as Buffer));
    if (r.ok) got.push(r.msg);
  });
  await new Promise<void>((res, rej) => { ws.once('open', () => res()); ws.once('error', rej); });
  ws.send(encode(first));
  return { ws, got };
}

/** An active session (test/helpers/session.ts), with the customer named `cust`. */
async function active() {
  const s = await activeSession(server);
  await s.customer.waitFor((m) => m.t === 'session' && m.session.state === 'active');
  return { ...s, cust: s.customer };
}

test('a customer that drops and resumes gets every message exactly once', async () => {
  const { rep, cust, sessionId } = await active();
  await cust.waitFor((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'accepted');
  const before = cust.events(sessionId).length;
  // drop the customer's socket; while it is away, the rep says 10 things
  cust.conn.reconnectNow();
  const sent = Array.from({ length: 10 }, (_, i) => `message ${i}`);
  await Promise.all(sent.map((text) => rep.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text })));
  await until(() => cust.status === 'online' && cust.events(sessionId).filter((e) => e.body.kind === 'chat').length >= 10, 15_000, 'resume');
  await new Promise((r) => setTimeout(r, 200));
  const chats = cust.events(sessionId).filter((e) => e.body.kind === 'chat').map((e) => (e.body as { text: string }).text);
  assert.equal(chats, sent);
  const seqs = cust.events(sessionId).map((e) => e.seq);
  assert.equal(seqs, [...new Set(seqs)].sort((a, b) => a - b));
  assert.is(cust.events(sessionId).length, before + 10);
  assert.is(seqs.at(-1), seqs.length);
});

test('on the wire: resume replays exactly the events after lastSeq', async () => {
  const { rep, cust, sessionId } = await active();
  for (let i = 0; i < 5; i++) await rep.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: `x${i}` });
  await until(() => cust.events(sessionId).filter((e) => e.body.kind === 'chat').length === 5);
  const resumeToken = cust.conn.welcome!.resumeToken;
  const last = cust.conn.lastSeq[sessionId];
  cust.close();
  for (let i = 5; i < 8; i++) await rep.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: `x${i}` });
  const { ws, got } = await raw('/ws/customer', { t: 'resume', v: PROTOCOL_VERSION, role: 'customer', resumeToken, lastSeq: { [sessionId]: last - 2 } });
  await until(() => got.filter((m) => m.t === 'event').length >= 5, 5000, 'replay');
  await new Promise((r) => setTimeout(r, 200));
  const events = got.filter((m): m is Msg<'event'> => m.t === 'event');
  assert.equal(events.map((e) => e.seq), [last - 1, last, last + 1, last + 2, last + 3]);
  assert.equal(events.slice(2).map((e) => (e.body as { text: string }).text), ['x5', 'x6', 'x7']);
  ws.close();
});

test('a resent message is stored once and acked with the same seq', async () => {
  const { cust, rep, sessionId, token } = await active();
  const { ws, got } = await raw('/ws/customer', { t: 'hello', v: PROTOCOL_VERSION, role: 'customer', credential: token });
  await until(() => got.some((m) => m.t === 'welcome'));
  const chat: Msg<'chat'> = { t: 'chat', sessionId, id: 'fixed-id-1', text: 'only once please' };
  ws.send(encode(chat));
  ws.send(encode(chat));
  await until(() => got.filter((m) => m.t === 'ack').length === 2);
  const acks = got.filter((m): m is Msg<'ack'> => m.t === 'ack');
  assert.is(acks[0].seq, acks[1].seq);
  ws.send(encode(chat));
  await until(() => got.filter((m) => m.t === 'ack').length === 3);
  await new Promise((r) => setTimeout(r, 200));
  assert.is(rep.events(sessionId).filter((e) => e.id === 'fixed-id-1').length, 1);
  assert.is(cust.events(sessionId).filter((e) => e.id === 'fixed-id-1').length, 1);
  ws.close();
});

test('messages queued while offline are delivered after reconnect', async () => {
  const { rep, cust, sessionId } = await active();
  cust.conn.reconnectNow();
  const p = cust.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: 'typed while offline' });
  const seq = await p;
  assert.ok(seq > 0);
  await rep.waitFor((m) => m.t === 'event' && m.body.kind === 'chat' && m.body.text === 'typed while offline');
});

test('a rep console resumes too', async () => {
  const { rep, cust, sessionId } = await active();
  rep.conn.reconnectNow();
  await cust.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: 'are you there?' });
  await rep.waitFor((m) => m.t === 'event' && m.body.kind === 'chat' && m.body.text === 'are you there?');
  await until(() => rep.status === 'online');
  assert.is(rep.events(sessionId).filter((e) => e.body.kind === 'chat' && e.body.text === 'are you there?').length, 1);
});

test.run();
