// Connections that break or stall (docs/ARCHITECTURE.md "No loss"): an abruptly closed socket resumes without loss;
// a reader that stops reading (half-open: its TCP socket paused) or reads slowly doesn't make the
// server buffer without bound or hold up other sessions — frames to it are dropped, control data
// waits within limits, file chunks are paced — and it catches up once it reads again.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type WebSocket from 'ws';
import { newClientId, type Msg } from '../../protocol/index.ts';
import { activeSession, type ActiveSession } from '../helpers/session.ts';
import { joinAgent, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let a: ActiveSession; // the session whose rep misbehaves
let b: ActiveSession; // a bystander session: must not notice
let agent: TestClient;

const MiB = 1024 * 1024;

function rssMB(): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.proc.pid}/status`, 'utf8'))![1]) / 1024;
}

/** The TCP socket under a test client's current WebSocket. */
function tcp(client: TestClient): Socket {
  const ws = (client.conn as unknown as { socket: WebSocket | null }).socket;
  if (!ws) throw new Error('not connected');
  return (ws as unknown as { _socket: Socket })._socket;
}

/** Round trip of one chat line in the bystander session, customer → rep. */
async function bystanderLatency(): Promise<number> {
  const id = newClientId();
  const t0 = performance.now();
  void b.customer.conn.sendReliable({ t: 'chat', sessionId: b.sessionId, id, text: 'still there?' });
  await b.rep.next((m) => m.t === 'event' && m.id === id, 10_000);
  return performance.now() - t0;
}

test.before(async () => {
  // The heartbeat would (rightly) drop a reader stalled for two periods: keep it out of these tests.
  server = await startServer({ config: { agreement: null, files: { maxBytes: 256 * MiB, maxPerSession: 100 } }, env: { BRIDGE_HEARTBEAT_MS: '600000' } });
  a = await activeSession(server);
  b = await activeSession(server, { cookie: a.cookie });
  const j = await joinAgent(server, a.token);
  agent = wsClient(server, 'agent', j.token);
  await agent.ready;
  agent.conn.send({ t: 'grant', sessionId: a.sessionId, grant: 'view', epoch: 1, reps: [a.repId], apps: null });
  await a.rep.waitFor((m) => m.t === 'grant' && m.grant === 'view');
});
test.after(async () => {
  agent?.close();
  a?.close();
  b?.close();
  await server?.stop();
});

test('abrupt close: the customer reconnects, gets what it missed once, and its own unsent lines go out', async () => {
  tcp(a.customer).destroy();
  await until(() => a.customer.status !== 'online', 5000, 'the customer notices');
  const fromRep: string[] = [];
  const fromCustomer: Promise<number>[] = [];
  for (let i = 0; i < 10; i++) {
    const id = newClientId();
    fromRep.push(id);
    await a.rep.conn.sendReliable({ t: 'chat', sessionId: a.sessionId, id, text: `while you were away ${i}` });
    fromCustomer.push(a.customer.conn.sendReliable({ t: 'chat', sessionId: a.sessionId, id: newClientId(), text: `typed offline ${i}` }));
  }
  await until(() => a.customer.status === 'online', 10_000, 'the customer back');
  await Promise.all(fromCustomer);
  await until(() => fromRep.every((id) => a.customer.events().some((e) => e.id === id)), 5000, 'the missed lines');
  for (const id of fromRep) assert.is(a.customer.events().filter((e) => e.id === id).length, 1);
});

test('a rep that stops reading: frames to it are dropped, server memory stays bounded, the other session is unaffected', async () => {
  const base = rssMB();
  const socket = tcp(a.rep);
  socket.pause();
  const photo = randomBytes(256 * 1024);
  const frame = (seq: number): Msg<'frame'> => ({ t: 'frame', sessionId: a.sessionId, seq, display: 0, w: 1920, h: 1080, ts: Date.now(), rects: [{ k: 'jpeg', x: 0, y: 0, w: 1920, h: 1080, data: photo }] });
  // 600 full-screen photo frames (150 MiB) at the stalled viewer, with the agent ignoring acks.
  const lat: number[] = [];
  const chatIds: string[] = [];
  for (let i = 0; i < 600; i++) {
    agent.conn.send(frame(i));
    if (i % 40 === 0) {
      lat.push(await bystanderLatency());
      // Control data for the stalled rep is kept (never dropped) while within limits.
      const id = newClientId();
      chatIds.push(id);
      void a.customer.conn.sendReliable({ t: 'chat', sessionId: a.sessionId, id, text: `control line ${i}` });
    }
    if (agent.conn.bufferedAmount > 8 * MiB) await until(() => agent.conn.bufferedAmount < MiB, 10_000, 'the agent socket drains');
  }
  lat.push(await bystanderLatency());
  const grown = rssMB() - base;
  // Buffering them would cost 150 MB and more; dropping costs only garbage the GC has not returned yet.
  assert.ok(grown < 100, `server RSS grew by ${grown.toFixed(0)} MB for 150 MiB of frames at a stalled reader`);
  // Generous for a loaded 2-core machine: being blocked would mean no answer at all.
  assert.ok(Math.max(...lat) < 5000, `bystander latency while flooding: ${lat.map((x) => x.toFixed(0)).join(', ')} ms`);

  // Reading again: the rep catches up on every control line and frames flow again.
  const before = a.rep.messages.filter((m) => m.t === 'frame').length;
  socket.resume();
  await until(() => chatIds.every((id) => a.rep.events().some((e) => e.id === id)), 15_000, 'the stalled rep gets every chat line');
  await until(() => a.rep.messages.filter((m) => m.t === 'frame').length > before, 10_000, 'frames after the stall');
  const frames = a.rep.messages.filter((m) => m.t === 'frame').length;
  assert.ok(frames < 600, `frames were dropped for the stalled reader (${frames} of 600 delivered)`);
  agent.conn.send(frame(1000));
  await a.rep.next((m) => m.t === 'frame' && m.seq === 1000, 10_000);
});

/** Offers a file from the customer to the rep of session a, and the rep accepts it. */
async function acceptedFile(size: number): Promise<string> {
  const offerId = newClientId();
  a.customer.conn.send({ t: 'file.offer', sessionId: a.sessionId, id: offerId, name: 'big.bin', size });
  const reg = await a.customer.waitFor<Msg<'file.registered'>>((m) => m.t === 'file.registered' && m.id === offerId, 10_000);
  await a.rep.waitFor((m) => m.t === 'file.offer' && m.fileId === reg.fileId, 10_000);
  a.rep.conn.send({ t: 'file.answer', sessionId: a.sessionId, fileId: reg.fileId, accept: true });
  await a.customer.waitFor((m) => m.t === 'file.answer' && m.fileId === reg.fileId, 10_000);
  return reg.fileId;
}

test('a file to a reader that stopped reading is paced by progress: the server holds a few MiB, not the file', async () => {
  const size = 64 * MiB;
  const chunk = randomBytes(256 * 1024);
  const fileId = await acceptedFile(size);
  const socket = tcp(a.rep);
  socket.pause();
  const base = rssMB();
  // A well-behaved sender (as the chat and the console): at most 1 MiB ahead of the last progress.
  let sent = 0;
  let confirmed = 0;
  const pump = () => {
    while (sent < size && sent - confirmed < MiB) {
      a.customer.conn.send({ t: 'file.chunk', sessionId: a.sessionId, fileId, offset: sent, data: chunk });
      sent += chunk.length;
    }
  };
  const seen = a.customer.messages.length;
  const progressTimer = setInterval(() => {
    for (const m of a.customer.messages.slice(seen)) if (m.t === 'file.progress' && m.fileId === fileId) confirmed = Math.max(confirmed, m.bytes);
    pump();
  }, 10);
  pump();
  try {
    // Progress stalls while the reader is stalled: the sender is held back well before the end.
    let last = -1;
    await until(async () => {
      const stuck = confirmed === last;
      last = confirmed;
      if (!stuck) await new Promise((r) => setTimeout(r, 1000));
      return stuck;
    }, 30_000, 'progress to stall');
    assert.ok(sent < size / 2, `the sender was held back (sent ${sent / MiB} of ${size / MiB} MiB)`);
    const grown = rssMB() - base;
    assert.ok(grown < 48, `server RSS grew by ${grown.toFixed(0)} MB`);
    assert.ok(await bystanderLatency() < 5000, 'the other session still answers');
    // Reading again: the transfer runs to the end and arrives intact.
    socket.resume();
    await until(() => confirmed >= size, 60_000, 'the whole file confirmed');
  } finally {
    clearInterval(progressTimer);
  }
  const { createHash } = await import('node:crypto');
  const h = createHash('sha256');
  for (let i = 0; i < size / chunk.length; i++) h.update(chunk);
  a.customer.conn.send({ t: 'file.done', sessionId: a.sessionId, fileId, sha256: h.digest('hex') });
  await a.rep.waitFor((m) => m.t === 'file.done' && m.fileId === fileId, 20_000);
  await a.rep.waitFor((m) => m.t === 'event' && m.body.kind === 'file' && m.body.fileId === fileId && m.body.status === 'done', 20_000);
});

test('a sender that ignores progress is refused, not buffered', async () => {
  const size = 64 * MiB;
  const chunk = randomBytes(256 * 1024);
  const fileId = await acceptedFile(size);
  const socket = tcp(a.rep);
  socket.pause();
  const seen = a.customer.messages.length;
  for (let off = 0; off < 32 * MiB && a.customer.status === 'online'; off += chunk.length) {
    a.customer.conn.send({ t: 'file.chunk', sessionId: a.sessionId, fileId, offset: off, data: chunk });
    if (a.customer.conn.bufferedAmount > 4 * MiB) await until(() => a.customer.conn.bufferedAmount < MiB || a.customer.status !== 'online', 20_000, 'the sender socket drains');
  }
  await until(() => a.customer.messages.slice(seen).some((m) => m.t === 'error' && /receiver is behind/.test(m.message)), 30_000, 'a refusal');
  assert.ok(await bystanderLatency() < 5000, 'the other session still answers');
  socket.resume();
  await until(() => a.rep.status === 'online' && a.customer.status === 'online', 30_000, 'both online');
  const id = newClientId();
  await a.customer.conn.sendReliable({ t: 'chat', sessionId: a.sessionId, id, text: 'after the file' });
  await a.rep.waitFor((m) => m.t === 'event' && m.id === id, 30_000);
});

test.run();
