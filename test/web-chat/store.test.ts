// The chat store without a browser (as the agent window uses it): over a real server with `ws`
// sockets, an unacknowledged message survives a "reload" (a new store on the same storage),
// is sent exactly once, and the rebuilt log has no gaps and no doubles.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import type { SocketLike } from '../../protocol/connection.ts';
import { createChatStore, type ChatStore, type PersistLike } from '../../web-chat/state/store.ts';
import { createKey, joinSession, loginRep, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let rep: TestClient;

class MemoryStorage implements PersistLike {
  readonly map = new Map<string, string>();
  getItem(k: string) { return this.map.get(k) ?? null; }
  setItem(k: string, v: string) { this.map.set(k, v); }
  removeItem(k: string) { this.map.delete(k); }
}

function open(token: string, sessionId: string, storage: PersistLike, net: { offline: boolean }): ChatStore {
  return createChatStore({
    url: `${server.wsUrl}/ws/customer`, credential: token, sessionId, storage, backoffMs: [50, 100],
    // "Offline": connections go nowhere (port 9 on loopback refuses).
    createSocket: (u) => new WebSocket(net.offline ? 'ws://127.0.0.1:9/' : u) as unknown as SocketLike,
  });
}
/** A session a rep accepted, and a first store on fresh storage. */
async function session() {
  const cookie = await loginRep(server);
  const k = await createKey(server, cookie);
  const j = await joinSession(server, k.key);
  const storage = new MemoryStorage();
  const net = { offline: false };
  const a = open(j.token, j.sessionId, storage, net);
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

test.run();
