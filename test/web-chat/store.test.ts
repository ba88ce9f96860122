// The chat store without a browser (as the agent window uses it): over a real server with `ws`
// sockets, an unacknowledged message survives a "reload" (a new store on the same storage),
// is sent exactly once, and the rebuilt log has no gaps and no doubles.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { createHash } from 'node:crypto';
import { resolveObjectURL } from 'node:buffer';
import type { SocketLike } from '../../protocol/connection.ts';
import { decode, FILE_CHUNK_BYTES, FILE_WINDOW_BYTES, type Message, type Msg } from '../../protocol/index.ts';
import { createChatStore, type ChatStore } from '../../web-chat/state/store.ts';
import type { PersistLike } from '../../web-chat/state/types.ts';
import { createKey, joinSession, loginRep, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let rep: TestClient;

class MemoryStorage implements PersistLike {
  readonly map = new Map<string, string>();
  getItem(k: string) { return this.map.get(k) ?? null; }
  setItem(k: string, v: string) { this.map.set(k, v); }
  removeItem(k: string) { this.map.delete(k); }
}

/** What the store sent and received, in order (`wire`, when given). */
type Wire = Array<{ dir: 'out' | 'in'; msg: Message }>;

function open(token: string, sessionId: string, storage: PersistLike, net: { offline: boolean }, wire?: Wire): ChatStore {
  return createChatStore({
    url: `${server.wsUrl}/ws/customer`, credential: token, sessionId, storage, backoffMs: [50, 100],
    // "Offline": connections go nowhere (port 9 on loopback refuses).
    createSocket: (u) => {
      const ws = new WebSocket(net.offline ? 'ws://127.0.0.1:9/' : u);
      if (wire) {
        const send = ws.send.bind(ws);
        ws.send = ((data: Uint8Array) => { const d = decode(data); if (d.ok) wire.push({ dir: 'out', msg: d.msg }); send(data); }) as typeof ws.send;
      }
      return ws as unknown as SocketLike;
    },
    ...(wire ? { onMessage: (msg: Message) => wire.push({ dir: 'in', msg }) } : {}),
  });
}
/** A session a rep accepted, and a first store on fresh storage. */
async function session(wire?: Wire) {
  const cookie = await loginRep(server);
  const k = await createKey(server, cookie);
  const j = await joinSession(server, k.key);
  const storage = new MemoryStorage();
  const net = { offline: false };
  const a = open(j.token, j.sessionId, storage, net, wire);
  await until(() => a.status.value === 'online', 5000, 'online');
  rep.conn.send({ t: 'accept', sessionId: j.sessionId });
  await until(() => a.session.value?.state === 'active', 5000, 'active');
  return { j, storage, net, a };
}

const texts = (s: ChatStore) => s.log.value.filter((e) => e.body.kind === 'chat').map((e) => (e.body as { text: string }).text);

test.before(async () => {
  server = await startServer({ config: { agreement: null } });
  const cookie = await loginRep(server);
  rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;
});
test.after(async () => {
  rep.close();
  await server.stop();
});

test('an unacked message survives a reload and is sent once', async () => {
  const { j, storage, net, a } = await session();
  a.say('first, acked');
  await until(() => a.log.value.some((e) => !e.pending && e.body.kind === 'chat'), 5000, 'first ack');
  assert.is(storage.getItem(`bridge.outbox.${j.sessionId}`), null, 'nothing pending after the ack');

  net.offline = true;
  a.reconnect();
  await until(() => a.status.value === 'offline', 5000, 'offline');
  a.say('second, typed offline');
  assert.ok(a.log.value.at(-1)?.pending, 'shown as pending');
  assert.match(storage.getItem(`bridge.outbox.${j.sessionId}`) ?? '', /second, typed offline/);
  a.dispose(); // the tab reloads

  net.offline = false;
  const b = open(j.token, j.sessionId, storage, net);
  await until(() => texts(b).length === 2 && !b.log.value.some((e) => e.pending), 8000, 'replay and resend');
  assert.equal(texts(b), ['first, acked', 'second, typed offline']);
  assert.ok(b.isMine(b.log.value.find((e) => e.body.kind === 'chat')!.from));
  await until(() => storage.getItem(`bridge.outbox.${j.sessionId}`) === null, 5000, 'outbox emptied');
  b.dispose();

  const c = open(j.token, j.sessionId, storage, net); // another reload: nothing to resend
  await until(() => texts(c).length === 2, 5000, 'replay');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(texts(c), ['first, acked', 'second, typed offline']);
  c.dispose();
  await rep.waitFor((m) => m.t === 'event' && m.body.kind === 'chat' && m.body.text === 'second, typed offline');
  assert.is(rep.events(j.sessionId).filter((e) => e.body.kind === 'chat' && e.body.text === 'second, typed offline').length, 1);
});

test('replayed history is not announced again; live events are', async () => {
  const { j, storage, net, a } = await session();
  await rep.conn.sendReliable({ t: 'nudge', sessionId: j.sessionId, id: `n-${Date.now()}` });
  await until(() => a.nudges.value === 1, 5000, 'live nudge');
  a.dispose();
  const b = open(j.token, j.sessionId, storage, net);
  await until(() => b.log.value.some((e) => e.body.kind === 'nudge'), 5000, 'replayed nudge');
  assert.is(b.nudges.value, 0, 'a replayed nudge does not shake again');
  b.dispose();
});

test('declining a file from the rep, then the rep ends the session: survey offered', async () => {
  const { j, a } = await session();
  rep.conn.send({ t: 'file.offer', sessionId: j.sessionId, id: `f-${Date.now()}`, name: '../../etc/passwd', size: 10 });
  await until(() => a.transfers.value.some((t) => t.dir === 'in' && t.state === 'offered'), 5000, 'the offer');
  const offer = a.transfers.value[0];
  assert.is(offer.name, 'passwd', 'the server sanitised the name');
  a.answerFile(offer.fileId!, false);
  await rep.waitFor((m) => m.t === 'file.answer' && m.fileId === offer.fileId && m.accept === false);
  rep.conn.send({ t: 'end', sessionId: j.sessionId });
  await until(() => a.ended.value !== null, 5000, 'the end');
  assert.is(a.ended.value?.noService, false, 'a served customer gets the survey');
  assert.ok(a.settings.value.survey.length > 0);
  a.dispose();
});

test('files both ways through the store: the sender keeps a window of chunks in flight; what arrives is checked before it can be saved', async () => {
  const wire: Wire = [];
  const { j, a } = await session(wire);
  const sessionId = j.sessionId;

  // Customer → rep, 2 MiB: the sender runs ahead of the server's confirmations, within the window.
  const bytes = new Uint8Array(2 * 1024 * 1024).map((_, i) => (i * 7) % 253);
  assert.is(a.sendFile(new File([bytes], 'dump.bin')), null);
  const offer = await rep.waitFor<Msg<'file.offer'>>((m) => m.t === 'file.offer' && m.sessionId === sessionId && m.name === 'dump.bin');
  rep.conn.send({ t: 'file.answer', sessionId, fileId: offer.fileId!, accept: true });
  const done = await rep.waitFor<Msg<'file.done'>>((m) => m.t === 'file.done' && m.fileId === offer.fileId, 20_000);
  assert.is(done.sha256, createHash('sha256').update(bytes).digest('hex'));
  await until(() => a.transfers.value.some((t) => t.dir === 'out' && t.state === 'done' && t.bytes === bytes.length), 5000, 'sent: done');
  let sent = 0, confirmed = 0, ahead = 0;
  for (const { dir, msg } of wire) {
    if (dir === 'out' && msg.t === 'file.chunk') { sent = msg.offset + msg.data.byteLength; ahead = Math.max(ahead, sent - confirmed); }
    if (dir === 'in' && msg.t === 'file.progress' && msg.fileId === offer.fileId) confirmed = Math.max(confirmed, msg.bytes);
  }
  assert.ok(ahead > FILE_CHUNK_BYTES, `more than one chunk in flight at a time (at most ${ahead} bytes ahead)`);
  assert.ok(ahead <= FILE_WINDOW_BYTES, `never more than the window ahead (${ahead} bytes)`);

  // Rep → customer: accepted in the store, offered for saving once its SHA-256 matches.
  const receive = async (name: string, data: Uint8Array<ArrayBuffer>, sha: string) => {
    const id = `f-${name}-${Date.now()}`;
    rep.conn.send({ t: 'file.offer', sessionId, id, name, size: data.byteLength });
    const reg = await rep.waitFor<Msg<'file.registered'>>((m) => m.t === 'file.registered' && m.id === id);
    await until(() => a.transfers.value.some((t) => t.fileId === reg.fileId && t.state === 'offered'), 5000, `${name} offered`);
    a.answerFile(reg.fileId, true);
    await rep.waitFor((m) => m.t === 'file.answer' && m.fileId === reg.fileId && m.accept);
    rep.conn.send({ t: 'file.chunk', sessionId, fileId: reg.fileId, offset: 0, data });
    rep.conn.send({ t: 'file.done', sessionId, fileId: reg.fileId, sha256: sha });
    await until(() => a.transfers.value.some((t) => t.fileId === reg.fileId && (t.state === 'done' || t.state === 'failed')), 5000, `${name} finished`);
    return a.transfers.value.find((t) => t.fileId === reg.fileId)!;
  };
  const text = new TextEncoder().encode('printer settings');
  const good = await receive('settings.txt', text, createHash('sha256').update(text).digest('hex'));
  assert.is(good.state, 'done');
  const saved = new Uint8Array(await resolveObjectURL(good.url!)!.arrayBuffer() as ArrayBuffer);
  assert.equal([...saved], [...text], 'the saved file has the bytes sent');
  a.dispose();
});

test.run();
