// Session recording on the server: the customer who refuses is never recorded (no bytes, 404);
// one who allows gets the frames exactly as relayed and the transcript on one timeline, with full
// pictures asked for every refreshSec on behalf of the covered rep; a kill -9 mid-recording
// leaves a readable file that goes on after the restart; only reps who may see the record
// download it; retention deletes old recordings and says so.
import { existsSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encode, newClientId, readRecords, recordMessage, RecordKind, type Msg } from '../../protocol/index.ts';
import { api, createKey, createRep, joinAgent, joinSession, loginRep, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let cookie: string;
let rep: TestClient;
let repId: string;

test.before(async () => {
  server = await startServer({ config: { agreement: null, recording: { policy: 'ask', refreshSec: 1, retentionDays: 1 } } });
  cookie = await loginRep(server);
  rep = wsClient(server, 'rep', '', { cookie, backoffMs: [100, 200] });
  repId = (await rep.ready).rep!.id;
});
test.after(async () => {
  await server.stop();
});

interface Shared { sessionId: string; customer: TestClient; agent: TestClient }

/** A customer who answers the recording prompt, an accepted session, an agent that granted viewing. */
async function sharedSession(allowed: boolean): Promise<Shared> {
  const k = await createKey(server, cookie);
  const j = await joinSession(server, k.key);
  const customer = wsClient(server, 'customer', j.token, { backoffMs: [100, 200] });
  await customer.ready;
  await customer.conn.sendReliable({ t: 'recording', sessionId: k.sessionId, id: newClientId(), allowed });
  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  const agent = wsClient(server, 'agent', (await joinAgent(server, j.token)).token, { backoffMs: [100, 200] });
  await agent.ready;
  agent.conn.send({ t: 'grant', sessionId: k.sessionId, grant: 'view', epoch: 1, reps: [repId], apps: null });
  await rep.waitFor((m) => m.t === 'grant' && m.sessionId === k.sessionId && m.grant === 'view');
  return { sessionId: k.sessionId, customer, agent };
}

function frame(sessionId: string, seq: number): Msg<'frame'> {
  return { t: 'frame', sessionId, seq, display: 0, w: 8, h: 8, ts: 1_700_000_000_000 + seq, rects: [{ k: 'fill', x: 0, y: 0, w: 8, h: 8, c: seq }] };
}

async function sendFrames(s: Shared, seqs: number[]): Promise<void> {
  for (const seq of seqs) {
    s.agent.conn.send(frame(s.sessionId, seq));
    await rep.waitFor((m) => m.t === 'frame' && m.sessionId === s.sessionId && m.seq === seq);
  }
}

const recordingFile = (sessionId: string) => join(server.dataDir, 'recordings', `${sessionId}.brec`);

const recordedIn = (file: string) => [...readRecords(readFileSync(file))];

function recorded(sessionId: string) {
  const entries = recordedIn(recordingFile(sessionId));
  return {
    entries,
    frames: entries.filter((e) => e.kind === RecordKind.frame).map((e) => recordMessage(e) as Msg<'frame'>),
    events: entries.filter((e) => e.kind === RecordKind.event).map((e) => recordMessage(e) as Msg<'event'>),
    refreshes: entries.filter((e) => e.kind === RecordKind.refresh).length,
  };
}

test('a customer who refuses is never recorded: no file, nothing to download', async () => {
  const s = await sharedSession(false);
  await rep.waitFor((m) => m.t === 'session' && m.session.id === s.sessionId && m.session.recording === 'off');
  await sendFrames(s, [1, 2]);
  assert.not.ok(existsSync(recordingFile(s.sessionId)), 'no recording file at all');
  const r = await api(server, 'GET', `/api/history/${s.sessionId}/recording`, undefined, { cookie });
  assert.is(r.status, 404);
  assert.match(r.body.error.message, /not recorded/);
  assert.is((await api(server, 'GET', `/api/history/${s.sessionId}`, undefined, { cookie })).body.recording, null, 'History offers no replay');
  s.customer.close();
  s.agent.close();
});

test('an allowed recording holds the frames as relayed and the transcript on one timeline, with refresh points; it survives kill -9', async () => {
  const s = await sharedSession(true);
  // The rep's console says so.
  await rep.waitFor((m) => m.t === 'session' && m.session.id === s.sessionId && m.session.recording === 'on');
  await sendFrames(s, [1, 2, 3]);
  await s.customer.conn.sendReliable({ t: 'chat', sessionId: s.sessionId, id: newClientId(), text: 'Can you see it?' });
  // A full picture is asked for every refreshSec, as the covered rep (the agent honours no one else).
  const refresh = await s.agent.waitFor<Msg<'frame.refresh'>>((m) => m.t === 'frame.refresh', 4000);
  assert.is(refresh.from?.id, repId);
  // The refresh point is written as the request leaves, beside the chat line: wait for both.
  await until(() => existsSync(recordingFile(s.sessionId)) && recorded(s.sessionId).events.some((e) => e.body.kind === 'chat') && recorded(s.sessionId).refreshes >= 1, 5000, 'the chat line and a refresh point in the recording');

  const before = recorded(s.sessionId);
  assert.equal(before.frames.map((f) => encode(f)), [1, 2, 3].map((n) => encode(frame(s.sessionId, n))), 'the frames exactly');
  assert.ok(before.events.some((e) => e.body.kind === 'recording' && e.body.allowed), 'the decision is on the timeline');
  assert.ok(before.events.some((e) => e.body.kind === 'grant'), 'grants are on the timeline');
  assert.ok(before.refreshes >= 1, 'refresh points');
  const times = before.entries.map((e) => e.at);
  assert.equal(times, [...times].sort((a, b) => a - b), 'one timeline, in order');

  // kill -9 a second after the last write (flushed every second): the file reads to its end.
  await new Promise((r) => setTimeout(r, 1200));
  await server.kill9();
  assert.ok(recorded(s.sessionId).frames.length >= 3, 'readable after the crash');
  await server.restart();
  await until(() => s.agent.status === 'online' && rep.status === 'online', 10_000, 'back online');
  s.agent.conn.send({ t: 'grant', sessionId: s.sessionId, grant: 'view', epoch: 1, reps: [repId], apps: null });
  await sendFrames(s, [4]);
  await until(() => recorded(s.sessionId).frames.some((f) => f.seq === 4), 5000, 'recording goes on after the restart');
  assert.equal(recorded(s.sessionId).frames.map((f) => f.seq), [1, 2, 3, 4], 'one file, one header, nothing lost');

  // The whole file, for reps who may see the record; others get 403.
  rep.conn.send({ t: 'end', sessionId: s.sessionId });
  await s.customer.waitFor((m) => m.t === 'session' && m.session.state === 'ended');
  const dl = await fetch(`${server.url}/api/history/${s.sessionId}/recording`, { headers: { cookie } });
  assert.is(dl.status, 200);
  assert.is(dl.headers.get('content-type'), 'application/octet-stream');
  assert.equal(new Uint8Array(await dl.arrayBuffer()), new Uint8Array(readFileSync(recordingFile(s.sessionId))));
  await createRep(server, cookie, { username: 'ben', password: 'ben-pass-1', name: 'Ben Other' });
  const ben = await loginRep(server, 'ben', 'ben-pass-1');
  assert.is((await api(server, 'GET', `/api/history/${s.sessionId}/recording`, undefined, { cookie: ben })).status, 403);
  const hist = await api(server, 'GET', `/api/history/${s.sessionId}`, undefined, { cookie });
  assert.is(hist.status, 200);
  // History's record says where the recording is and how large (the console's Replay and download).
  assert.equal(hist.body.recording, { bytes: readFileSync(recordingFile(s.sessionId)).length, url: `/api/history/${s.sessionId}/recording` });
  s.customer.close();
  s.agent.close();
});

test('policy always records without asking; policy off (the default) records nothing', async () => {
  for (const policy of ['always', 'off'] as const) {
    const other = await startServer({ config: { agreement: null, recording: { policy } } });
    try {
      const c = await loginRep(other);
      const r = wsClient(other, 'rep', '', { cookie: c });
      const id = (await r.ready).rep!.id;
      const k = await createKey(other, c);
      const j = await joinSession(other, k.key);
      const customer = wsClient(other, 'customer', j.token);
      await customer.ready;
      r.conn.send({ t: 'accept', sessionId: k.sessionId });
      const agent = wsClient(other, 'agent', (await joinAgent(other, j.token)).token);
      await agent.ready;
      agent.conn.send({ t: 'grant', sessionId: k.sessionId, grant: 'view', epoch: 1, reps: [id], apps: null });
      await r.waitFor((m) => m.t === 'grant' && m.grant === 'view');
      agent.conn.send(frame(k.sessionId, 1));
      await r.waitFor((m) => m.t === 'frame' && m.seq === 1);
      const file = join(other.dataDir, 'recordings', `${k.sessionId}.brec`);
      if (policy === 'always') {
        await until(() => existsSync(file) && recordedIn(file).some((e) => e.kind === RecordKind.frame), 5000, 'the frame recorded');
      } else {
        await new Promise((res) => setTimeout(res, 300));
        assert.not.ok(existsSync(file), 'nothing recorded under policy off');
      }
      for (const x of [customer, agent, r]) x.close();
    } finally {
      await other.stop();
    }
  }
});

test('recordings older than retentionDays are deleted at start, and the log says so', async () => {
  const files = readdirSync(join(server.dataDir, 'recordings'));
  assert.is(files.length, 1);
  const old = (Date.now() - 3 * 86_400_000) / 1000;
  utimesSync(join(server.dataDir, 'recordings', files[0]), old, old);
  await server.restart();
  await until(() => readdirSync(join(server.dataDir, 'recordings')).length === 0 && /recording of session \S+ deleted: older than 1 days/.test(server.output()), 5000, 'the old recording deleted, and logged');
});

test.run();
