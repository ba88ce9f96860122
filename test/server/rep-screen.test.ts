// Show My Screen through the real server: who may share and view, the share as everyone sees it,
// frames relayed as the received bytes, an oversized chunk refused with a code, a view that never
// acknowledges held at REP_SCREEN_IN_FLIGHT frames (and only a keyframe after it catches up), the
// customer closing the view, the share ending when its rep's socket goes, the transcript lines,
// and the agent window's path (the agent's relay to its window) carrying the view both ways.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decode, encode, REP_SCREEN_CODES, REP_SCREEN_FRAME_BYTES, REP_SCREEN_IN_FLIGHT, type Message, type Msg } from '../../protocol/index.ts';
import { WindowRelay } from '../../agent/window/host/relay.ts';
import { createKey, joinAgent, joinSession, loginRep, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let cookie: string;
let rep: TestClient;
const clients: TestClient[] = [];
test.before(async () => {
  server = await startServer({ config: { agreement: null } });
  cookie = await loginRep(server);
  rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;
});
test.after(async () => {
  for (const c of clients) c.close();
  rep.close();
  await server.stop();
});

function client(role: 'rep' | 'customer' | 'agent', credential: string, opts = {}): TestClient {
  const c = wsClient(server, role, credential, opts);
  clients.push(c);
  return c;
}

async function activeSession(by = rep) {
  const k = await createKey(server, cookie);
  const j = await joinSession(server, k.key);
  const cust = client('customer', j.token);
  await cust.ready;
  by.conn.send({ t: 'accept', sessionId: k.sessionId });
  await cust.waitFor((m) => m.t === 'session' && m.session.state === 'active');
  return { sessionId: k.sessionId, token: j.token, cust };
}

const stateOf = (c: TestClient, pred: (s: Msg<'repscreen.state'>) => boolean = () => true) =>
  c.next<Msg<'repscreen.state'>>((m) => m.t === 'repscreen.state' && pred(m));
const errorFrom = (c: TestClient, ref: string) => c.next<Msg<'error'>>((m) => m.t === 'error' && m.ref === ref, 3000);
const frame = (sessionId: string, share: string, seq: number, key: boolean, bytes = 64): Msg<'repscreen.frame'> =>
  ({ t: 'repscreen.frame', sessionId, share, seq, key, ts: Date.now(), w: 640, h: 360, data: new Uint8Array(bytes).fill(seq % 256) });
const framesOf = (c: TestClient, share: string) => c.messages.filter((m): m is Msg<'repscreen.frame'> => m.t === 'repscreen.frame' && m.share === share);

async function startShare(sessionId: string, viewer: TestClient) {
  const shown = stateOf(viewer, (s) => s.share !== null);
  rep.conn.send({ t: 'repscreen.start', sessionId, codec: 'vp8' });
  const state = await shown;
  return state.share!.id;
}

test('only reps share and only the customer side views; the share reaches everyone in the session', async () => {
  const { sessionId, token, cust } = await activeSession();
  cust.conn.send({ t: 'repscreen.start', sessionId, codec: 'vp8' });
  assert.is((await errorFrom(cust, 'repscreen.start')).code, 'forbidden');
  const share = await startShare(sessionId, cust);
  const st = (await rep.waitFor<Msg<'repscreen.state'>>((m) => m.t === 'repscreen.state' && m.share?.id === share)).share!;
  assert.equal([st.repName, st.codec, st.viewers, st.unsupported], ['Administrator', 'vp8', 0, 0]);
  rep.conn.send({ t: 'repscreen.view', sessionId, share, state: 'open' });
  assert.is((await errorFrom(rep, 'repscreen.view')).code, 'forbidden');
  // A customer of another session can't view this one.
  const other = await activeSession();
  other.cust.conn.send({ t: 'repscreen.view', sessionId, share, state: 'open' });
  assert.is((await errorFrom(other.cust, 'repscreen.view')).code, 'forbidden');
  // A customer page that connects later (a reload) hears of the share at once.
  const reloaded = client('customer', token);
  await reloaded.waitFor((m) => m.t === 'repscreen.state' && m.share?.id === share);
  rep.conn.send({ t: 'repscreen.stop', sessionId });
  const ended = await stateOf(cust, (s) => s.share === null);
  assert.is(ended.ended, 'rep');
});

test('frames go as the received bytes to open views; a view asks for a keyframe; the rep sees who watches and who cannot', async () => {
  const { sessionId, token, cust } = await activeSession();
  const share = await startShare(sessionId, cust);
  const asked = rep.next<Msg<'repscreen.keyframe'>>((m) => m.t === 'repscreen.keyframe' && m.share === share);
  const counted = stateOf(rep, (s) => s.share?.viewers === 1);
  cust.conn.send({ t: 'repscreen.view', sessionId, share, state: 'open' });
  await asked;
  await counted;
  // Before its first keyframe a view gets no delta frame.
  rep.conn.send(frame(sessionId, share, 1, false));
  rep.conn.send(frame(sessionId, share, 2, true, 5000));
  rep.conn.send(frame(sessionId, share, 3, false));
  await until(() => framesOf(cust, share).length === 2, 3000, 'frames at the customer');
  const got = framesOf(cust, share);
  assert.equal(got.map((f) => [f.seq, f.key, f.data.byteLength]), [[2, true, 5000], [3, false, 64]]);
  assert.is(got[0].data[4999], 2);
  // A second customer-side view without WebCodecs (the agent's window in an old browser): the rep is told, and it gets no frames.
  const agent = client('agent', (await joinAgent(server, token)).token);
  await agent.ready;
  const told = stateOf(rep, (s) => s.share?.unsupported === 1 && s.share.viewers === 1);
  agent.conn.send({ t: 'repscreen.view', sessionId, share, state: 'unsupported' });
  await told;
  rep.conn.send(frame(sessionId, share, 4, true));
  await until(() => framesOf(cust, share).length === 3, 3000, 'the next frame');
  assert.is(framesOf(agent, share).length, 0);
  rep.conn.send({ t: 'repscreen.stop', sessionId });
  await stateOf(cust, (s) => s.share === null);
});

test('an oversized chunk is refused with too_large and the server carries on', async () => {
  const { sessionId, cust } = await activeSession();
  const share = await startShare(sessionId, cust);
  rep.conn.send(frame(sessionId, share, 1, true, REP_SCREEN_FRAME_BYTES + 2048));
  const err = await errorFrom(rep, 'repscreen.frame');
  assert.is(err.code, 'too_large');
  // Decoding refuses it before the schema too (the codec's own bound).
  const r = decode(encode(frame(sessionId, share, 1, true, REP_SCREEN_FRAME_BYTES + 2048)));
  assert.is(r.ok ? 'ok' : r.error.code, 'too_large');
  cust.conn.send({ t: 'repscreen.view', sessionId, share, state: 'open' });
  rep.conn.send(frame(sessionId, share, 2, true));
  await until(() => framesOf(cust, share).length === 1, 3000, 'a good frame after the bad one');
  rep.conn.send({ t: 'repscreen.stop', sessionId });
  await stateOf(cust, (s) => s.share === null);
});

test('a view that never acknowledges gets REP_SCREEN_IN_FLIGHT frames, then nothing; acks bring a keyframe first', async () => {
  const { sessionId, cust } = await activeSession();
  const share = await startShare(sessionId, cust);
  cust.conn.send({ t: 'repscreen.view', sessionId, share, state: 'open' });
  await stateOf(rep, (s) => s.share?.viewers === 1);
  for (let seq = 1; seq <= 60; seq++) rep.conn.send(frame(sessionId, share, seq, seq === 1 || seq % 20 === 0, 20_000));
  await until(() => framesOf(cust, share).length >= REP_SCREEN_IN_FLIGHT, 3000, 'the first frames');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(framesOf(cust, share).map((f) => f.seq), [1, 2, 3, 4], 'only the frames in flight, keyframes included, nothing queued');
  // Acknowledging makes room: the server asks the rep for a keyframe and sends no delta before it.
  const asked = rep.next((m) => m.t === 'repscreen.keyframe' && m.share === share, 3000);
  for (const seq of [1, 2, 3, 4]) cust.conn.send({ t: 'repscreen.ack', sessionId, share, seq });
  await asked;
  rep.conn.send(frame(sessionId, share, 61, false));
  rep.conn.send(frame(sessionId, share, 62, true));
  rep.conn.send(frame(sessionId, share, 63, false));
  await until(() => framesOf(cust, share).length === 6, 3000, 'frames after catching up');
  assert.equal(framesOf(cust, share).slice(4).map((f) => f.seq), [62, 63]);
  rep.conn.send({ t: 'repscreen.stop', sessionId });
  await stateOf(cust, (s) => s.share === null);
});

test('the customer closes the view: the share ends for the rep, and the transcript has start and close', async () => {
  const { sessionId, cust } = await activeSession();
  const share = await startShare(sessionId, cust);
  const ended = stateOf(rep, (s) => s.sessionId === sessionId && s.share === null);
  cust.conn.send({ t: 'repscreen.close', sessionId, share });
  assert.is((await ended).ended, 'customer');
  await until(() => cust.events(sessionId).some((e) => e.body.kind === 'system' && e.body.code === REP_SCREEN_CODES.closed), 3000, 'the close line');
  const lines = cust.events(sessionId).filter((e) => e.body.kind === 'system' && e.body.code.startsWith('repscreen.')).map((e) => e.body.kind === 'system' && [e.body.code, e.body.text]);
  assert.equal(lines, [[REP_SCREEN_CODES.started, 'Administrator started showing their screen.'], [REP_SCREEN_CODES.closed, "The customer closed the view of Administrator's screen."]]);
  // Frames of the ended share go nowhere, and closing it again is a clear not_found.
  cust.conn.send({ t: 'repscreen.close', sessionId, share });
  assert.is((await errorFrom(cust, 'repscreen.close')).code, 'not_found');
});

test("the share ends when the rep's console goes, with a line", async () => {
  const rep2 = client('rep', '', { cookie });
  await rep2.ready;
  const { sessionId, cust } = await activeSession();
  const shown = stateOf(cust, (s) => s.share !== null);
  rep2.conn.send({ t: 'repscreen.start', sessionId, codec: 'vp9' as never });
  // vp9 is spelled as WebCodecs spells it; a made-up codec is refused by the schema.
  assert.is((await errorFrom(rep2, 'repscreen.start')).code, 'invalid');
  rep2.conn.send({ t: 'repscreen.start', sessionId, codec: 'vp09.00.10.08' });
  await shown;
  const ended = stateOf(cust, (s) => s.share === null);
  rep2.close();
  assert.is((await ended).ended, 'left');
  await until(() => cust.events(sessionId).some((e) => e.body.kind === 'system' && e.body.code === REP_SCREEN_CODES.stopped), 3000, 'the stop line');
});

test("the agent window's path: the agent's relay passes the share, frames, acks and close between window and server", async () => {
  const { sessionId, token, cust } = await activeSession();
  const a = await joinAgent(server, token);
  const agent = client('agent', a.token);
  const welcome = await agent.ready;
  const toWindow: Message[] = [];
  const relay = new WindowRelay({ send: (m) => agent.conn.send(m), sendReliable: (m) => agent.conn.sendReliable(m) }, (m) => toWindow.push(m), () => {});
  const windowClient = { send: (m: Message) => toWindow.push(m) };
  const share = await startShare(sessionId, cust);
  // What the agent receives from the server, the relay sees.
  const feed = (m: Message) => relay.fromServer(m);
  feed(welcome);
  for (const m of agent.messages) feed(m);
  const seen = agent.messages.length;
  await until(() => agent.messages.some((m) => m.t === 'repscreen.state' && m.share?.id === share), 3000, 'the share at the agent');
  for (const m of agent.messages.slice(seen)) feed(m);
  assert.ok(toWindow.some((m) => m.t === 'repscreen.state' && m.share?.id === share), 'the window hears of the share');
  relay.fromWindow({ t: 'repscreen.view', sessionId, share, state: 'open' }, windowClient as never);
  await stateOf(rep, (s) => s.share?.viewers === 1);
  rep.conn.send(frame(sessionId, share, 1, true, 1000));
  await until(() => framesOf(agent, share).length === 1, 3000, 'the frame at the agent');
  feed(framesOf(agent, share)[0]);
  const f = toWindow.find((m): m is Msg<'repscreen.frame'> => m.t === 'repscreen.frame');
  assert.is(f?.data.byteLength, 1000, 'the frame reaches the window');
  relay.fromWindow({ t: 'repscreen.close', sessionId, share }, windowClient as never);
  const ended = await stateOf(rep, (s) => s.sessionId === sessionId && s.share === null);
  assert.is(ended.ended, 'customer');
});

test.run();
