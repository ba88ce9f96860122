// Screen and file relay through the server: requests and input go rep → agent with `from`
// set by the server; frames go agent → granted reps as the original bytes; grants are stored;
// files are offered, approved, stored, forwarded and checksummed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encode, newClientId, type Msg } from '../../protocol/index.ts';
import { api, createKey, joinAgent, joinSession, loginRep, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let rep: TestClient;
let agent: TestClient;
let cust: TestClient;
let sessionId: string;
let repId: string;
let cookie: string;
test.before(async () => {
  server = await startServer({ config: { agreement: null, files: { maxBytes: 1_000_000 } } });
  cookie = await loginRep(server);
  rep = wsClient(server, 'rep', '', { cookie });
  repId = (await rep.ready).rep!.id;
  const k = await createKey(server, cookie);
  sessionId = k.sessionId;
  const j = await joinSession(server, k.key);
  cust = wsClient(server, 'customer', j.token);
  await cust.ready;
  const a = await joinAgent(server, j.token);
  agent = wsClient(server, 'agent', a.token);
  await agent.ready;
  rep.conn.send({ t: 'accept', sessionId });
  await agent.waitFor((m) => m.t === 'session' && m.session.state === 'active' && m.session.agentOnline);
});
test.after(async () => {
  await server.stop();
});

test('screen request, grant, frames and input', async () => {
  rep.conn.send({ t: 'screen.request', sessionId, want: 'control', from: { role: 'rep', name: 'forged' } });
  // The request is session state: the agent and the browser chat both see it in `session`,
  // with the rep as the server knows them (a forged `from` is ignored).
  const req = await agent.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.screenRequest !== null);
  assert.is(req.session.screenRequest!.repId, repId);
  assert.is(req.session.screenRequest!.repName, 'Administrator');
  const inChat = await cust.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.screenRequest !== null);
  assert.is(inChat.session.screenRequest!.want, 'control');

  // before a grant, input is refused and frames are not relayed
  rep.conn.send({ t: 'pointer', sessionId, x: 1, y: 1 });
  await rep.waitFor((m) => m.t === 'error' && m.code === 'not_consented');

  agent.conn.send({ t: 'sysinfo', sessionId, info: { os: 'linux', release: '6', arch: 'x64', hostname: 'h', cpu: 'c', cores: 2, memoryMB: 1, agentVersion: '0', displays: [] } });
  await rep.waitFor((m) => m.t === 'sysinfo');
  agent.conn.send({ t: 'grant', sessionId, grant: 'control', epoch: 1, reps: [repId], apps: null });
  await rep.waitFor((m) => m.t === 'grant' && m.grant === 'control');
  await cust.waitFor((m) => m.t === 'event' && m.body.kind === 'grant' && m.body.grant === 'control');

  const frame: Msg<'frame'> = { t: 'frame', sessionId, seq: 1, display: 0, w: 64, h: 64, ts: Date.now(), rects: [{ k: 'jpeg', x: 0, y: 0, w: 64, h: 64, data: new Uint8Array(5000).fill(9) }] };
  agent.conn.send(frame);
  const got = await rep.waitFor<Msg<'frame'>>((m) => m.t === 'frame');
  assert.is(got.seq, 1);
  assert.equal(encode(got).byteLength, encode(frame).byteLength);
  rep.conn.send({ t: 'frame.ack', sessionId, seq: 1 });
  await agent.waitFor((m) => m.t === 'frame.ack' && m.seq === 1);

  rep.conn.send({ t: 'key.combo', sessionId, codes: ['ControlLeft', 'AltLeft', 'Delete'] });
  rep.conn.send({ t: 'button', sessionId, x: 5, y: 6, button: 'left', down: true });
  const combo = await agent.waitFor<Msg<'key.combo'>>((m) => m.t === 'key.combo');
  assert.is(combo.from?.id, repId);
  await agent.waitFor((m) => m.t === 'button' && m.x === 5);

  // customers don't send input, agents don't send requests
  cust.conn.send({ t: 'pointer', sessionId, x: 1, y: 1 });
  await cust.waitFor((m) => m.t === 'error' && m.code === 'forbidden');

  // END SCREEN SHARE: no more frames to anyone, input refused again
  agent.conn.send({ t: 'grant', sessionId, grant: 'none', epoch: 2, reps: [], apps: null });
  await rep.waitFor((m) => m.t === 'grant' && m.grant === 'none');
  agent.conn.send({ ...frame, seq: 2 });
  rep.conn.send({ t: 'wheel', sessionId, x: 1, y: 1, dx: 0, dy: 1 });
  await rep.next((m) => m.t === 'error' && m.code === 'not_consented');
  assert.not.ok(rep.messages.some((m) => m.t === 'frame' && m.seq === 2));
});

test('file from the rep to the customer side: offer, accept, chunks, sha256, record', async () => {
  const data = new Uint8Array(300_000).map((_, i) => (i * 31) % 251);
  const sha = createHash('sha256').update(data).digest('hex');
  const offerId = newClientId();
  rep.conn.send({ t: 'file.offer', sessionId, id: offerId, name: '../../etc/passwd', size: data.byteLength });
  const reg = await rep.waitFor<Msg<'file.registered'>>((m) => m.t === 'file.registered' && m.id === offerId);
  const offer = await cust.waitFor<Msg<'file.offer'>>((m) => m.t === 'file.offer' && m.fileId === reg.fileId);
  assert.is(offer.name, 'passwd');
  assert.is(offer.from?.role, 'rep');
  cust.conn.send({ t: 'file.answer', sessionId, fileId: reg.fileId, accept: true });
  await rep.waitFor((m) => m.t === 'file.answer' && m.fileId === reg.fileId && m.accept);
  for (let off = 0; off < data.byteLength; off += 128 * 1024) {
    rep.conn.send({ t: 'file.chunk', sessionId, fileId: reg.fileId, offset: off, data: data.subarray(off, off + 128 * 1024) });
  }
  await rep.waitFor((m) => m.t === 'file.progress' && m.bytes === data.byteLength);
  rep.conn.send({ t: 'file.done', sessionId, fileId: reg.fileId, sha256: sha });
  await cust.waitFor((m) => m.t === 'file.done' && m.fileId === reg.fileId);
  const chunks = cust.messages.filter((m): m is Msg<'file.chunk'> => m.t === 'file.chunk' && m.fileId === reg.fileId);
  const received = Buffer.concat(chunks.map((c) => c.data));
  assert.is(createHash('sha256').update(received).digest('hex'), sha);
  await cust.waitFor((m) => m.t === 'event' && m.body.kind === 'file' && m.body.status === 'done');
  const stored = join(server.dataDir, 'files', sessionId, reg.fileId);
  assert.ok(existsSync(stored));
  assert.is(createHash('sha256').update(readFileSync(stored)).digest('hex'), sha);
});

test('files: too large refused, declined offers stop, a bad checksum fails', async () => {
  rep.conn.send({ t: 'file.offer', sessionId, id: 'big', name: 'big.iso', size: 2_000_000 });
  await rep.waitFor((m) => m.t === 'error' && m.code === 'too_large' && m.ref === 'big');

  agent.conn.send({ t: 'file.offer', sessionId, id: 'f2', name: 'log.txt', size: 3 });
  const reg = await agent.waitFor<Msg<'file.registered'>>((m) => m.t === 'file.registered' && m.id === 'f2');
  await rep.waitFor((m) => m.t === 'file.offer' && m.fileId === reg.fileId);
  rep.conn.send({ t: 'file.answer', sessionId, fileId: reg.fileId, accept: false });
  await agent.waitFor((m) => m.t === 'file.answer' && !m.accept);
  agent.conn.send({ t: 'file.chunk', sessionId, fileId: reg.fileId, offset: 0, data: new Uint8Array(3) });
  await agent.waitFor((m) => m.t === 'error' && m.code === 'not_found');

  agent.conn.send({ t: 'file.offer', sessionId, id: 'f3', name: 'a.txt', size: 3 });
  const reg3 = await agent.waitFor<Msg<'file.registered'>>((m) => m.t === 'file.registered' && m.id === 'f3');
  await rep.waitFor((m) => m.t === 'file.offer' && m.fileId === reg3.fileId);
  rep.conn.send({ t: 'file.answer', sessionId, fileId: reg3.fileId, accept: true });
  await agent.waitFor((m) => m.t === 'file.answer' && m.fileId === reg3.fileId);
  agent.conn.send({ t: 'file.chunk', sessionId, fileId: reg3.fileId, offset: 0, data: new Uint8Array([1, 2, 3]) });
  await rep.waitFor((m) => m.t === 'file.chunk' && m.fileId === reg3.fileId);
  agent.conn.send({ t: 'file.done', sessionId, fileId: reg3.fileId, sha256: '0'.repeat(64) });
  const cancel = await rep.waitFor<Msg<'file.cancel'>>((m) => m.t === 'file.cancel' && m.fileId === reg3.fileId);
  assert.match(cancel.reason, /checksum/);

  const rec = await api(server, 'GET', `/api/history/${sessionId}`, undefined, { cookie });
  assert.is(rec.body.session.fileCount, 1);
  const statuses = rec.body.events.filter((e: any) => e.body.kind === 'file').map((e: any) => e.body.status);
  assert.ok(statuses.includes('declined') && statuses.includes('failed') && statuses.includes('done'));
});

test('the agent speaks for the customer in the chat', async () => {
  await agent.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: 'from the agent window' });
  const ev = await rep.waitFor<Msg<'event'>>((m) => m.t === 'event' && m.body.kind === 'chat' && m.body.text === 'from the agent window');
  assert.is(ev.from.role, 'customer');
  await until(() => cust.events(sessionId).some((e) => e.id === ev.id));
});

test.run();
