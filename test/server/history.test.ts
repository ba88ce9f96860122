// GET /api/history/:id is the whole record of a session: survey answers with the question texts
// from the config, every rep who took part with join and leave times (hold and transfer write the
// leave time; reps still in at the end left at the end), the agent's system information (kept
// across a restart), and a link to the transcript as text. Search takes its text literally.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type Msg } from '../../protocol/index.ts';
import { api, createKey, createRep, joinAgent, joinSession, loginRep, startServer, wsClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
test.before(async () => {
  server = await startServer({ config: { agreement: null } });
});
test.after(async () => {
  await server.stop();
});

const SYSINFO = { os: 'Linux', release: '6.1.0', arch: 'x64', hostname: 'henry-pc', cpu: 'Test CPU', cores: 4, memoryMB: 8192, agentVersion: '0.1.0', displays: [{ id: 0, name: 'Main', x: 0, y: 0, w: 1920, h: 1080, scale: 1, primary: true }] };
const active = (sessionId: string, repId?: string) => (m: Msg<'session'> | { t: string }) =>
  m.t === 'session' && (m as Msg<'session'>).session.id === sessionId && (m as Msg<'session'>).session.state === 'active' && (repId === undefined || (m as Msg<'session'>).session.primaryRepId === repId);

test('a record with two reps, surveys, system information and the transcript', async () => {
  const admin = await loginRep(server);
  const benId = await createRep(server, admin, { username: 'ben', password: 'ben-pass-1', name: 'Ben Ode' });
  const ben = await loginRep(server, 'ben', 'ben-pass-1');
  const repA = wsClient(server, 'rep', '', { cookie: admin });
  const adminId = (await repA.ready).rep!.id;
  const repB = wsClient(server, 'rep', '', { cookie: ben });
  await repB.ready;
  const k = await createKey(server, admin);
  const sessionId = k.sessionId;
  const custToken = (await joinSession(server, k.key, 'customer', 'Henry Alder')).token;
  const c = wsClient(server, 'customer', custToken);
  await c.ready;
  repA.conn.send({ t: 'accept', sessionId });
  await c.waitFor(active(sessionId));
  const agent = wsClient(server, 'agent', (await joinAgent(server, custToken)).token);
  await agent.ready;
  agent.conn.send({ t: 'sysinfo', sessionId, info: SYSINFO });
  await repA.waitFor((m) => m.t === 'sysinfo');
  agent.conn.send({ t: 'grant', sessionId, grant: 'control', epoch: 1, reps: [adminId], apps: null });
  await c.waitFor((m) => m.t === 'event' && m.body.kind === 'grant');
  await c.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: 'My printer does not print.' });

  const beforeTransfer = Date.now();
  repA.conn.send({ t: 'transfer', sessionId, to: { kind: 'rep', id: benId } });
  await c.waitFor((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'transferred');
  const afterTransfer = Date.now();
  repB.conn.send({ t: 'accept', sessionId });
  await c.waitFor(active(sessionId, benId));
  repB.conn.send({ t: 'end', sessionId, reason: 'resolved' });
  await c.waitFor((m) => m.t === 'session' && m.session.state === 'ended');
  const cid = newClientId();
  await c.conn.sendReliable({ t: 'survey', sessionId, id: cid, answers: { rating: 4, comment: 'Quick' } });
  await c.waitFor((m) => m.t === 'done' && m.ref === cid);
  await repB.conn.sendReliable({ t: 'survey', sessionId, id: newClientId(), answers: { resolved: 'Yes', comment: 'New driver', legacy: 'kept' } });
  c.close(); agent.close(); repA.close(); repB.close();

  // The system information is a stored record, not only what the live session remembers.
  await server.restart();
  const rec = await api(server, 'GET', `/api/history/${sessionId}`, undefined, { cookie: admin });
  assert.is(rec.status, 200);
  const b = rec.body;

  assert.equal(b.reps.map((r: any) => r.name), ['Administrator', 'Ben Ode']);
  const [a, bo] = b.reps;
  assert.ok(a.leftAt >= beforeTransfer && a.leftAt <= afterTransfer, `the first rep left at the transfer (${a.leftAt})`);
  assert.ok(bo.joinedAt >= a.leftAt);
  assert.is(bo.leftAt, b.session.endedAt, 'a rep in the session at its end left at the end');

  const cust = b.surveys.find((s: any) => s.role === 'customer');
  assert.equal(cust.items, [
    { id: 'rating', question: 'How satisfied are you with the support you received?', answer: 4 },
    { id: 'comment', question: 'Anything you would like to tell us?', answer: 'Quick' },
  ]);
  const rep = b.surveys.find((s: any) => s.role === 'rep');
  assert.is(rep.repName, 'Ben Ode');
  assert.equal(rep.items.map((i: any) => [i.question, i.answer]), [
    ["Was the customer's issue resolved?", 'Yes'],
    ['Comments', 'New driver'],
    ['legacy', 'kept'], // an answer to a question the config no longer has keeps its id
  ]);

  assert.equal(b.sysinfo.info, SYSINFO);
  assert.ok(b.sysinfo.at >= b.session.startedAt);

  const txt = await fetch(server.url + b.transcriptUrl, { headers: { cookie: admin } });
  assert.is(txt.status, 200);
  assert.match(txt.headers.get('content-type')!, /^text\/plain/);
  assert.match(txt.headers.get('content-disposition')!, /attachment; filename="transcript-/);
  const text = await txt.text();
  assert.match(text, /Henry Alder: My printer does not print\./);
  assert.match(text, /can now view and control the customer's screen\.|allowed viewing and control of the screen\./);
  assert.not.match(text, /screen access: control/);
});

test('history search takes % and _ literally', async () => {
  const admin = await loginRep(server);
  const submit = async (name: string, company: string) => (await api(server, 'POST', '/api/portal/submit', { name, company })).body as { token: string; sessionId: string };
  const pct = await submit('Percy Cent', 'Save 50% Ltd');
  await submit('Percy Other', 'Save 500 Ltd');
  const und = await submit('Una Score', 'a_b Works');
  await submit('Una Other', 'axb Works');
  const chat = wsClient(server, 'customer', pct.token);
  await chat.ready;
  await chat.conn.sendReliable({ t: 'chat', sessionId: pct.sessionId, id: newClientId(), text: 'I want 10%_off' });
  chat.close();
  const found = async (q: string) => ((await api(server, 'GET', `/api/history?q=${encodeURIComponent(q)}`, undefined, { cookie: admin })).body.sessions as { id: string }[]).map((r) => r.id);
  assert.equal(await found('50%'), [pct.sessionId]);
  assert.equal(await found('a_b'), [und.sessionId]);
  assert.equal(await found('10%_off'), [pct.sessionId], 'chat text too');
});

test.run();
