// Consent scope and who may join, against a real server with a stand-in agent on /ws/agent (the
// real agent's side is in test/agent/session.test.ts and test/e2e/agent-malicious.test.ts):
// - a rep outside the session's team may not join an active general-queue session; a teammate
//   and an admin may, and the customer reads "… joined the session." / "… left the session.";
// - a rep who joins after the grant gets no frame and can't inject input until the customer
//   grants again;
// - an agent re-announcing its old grant after a reconnect can't re-admit a rep that hold took
//   out, though that rep picked the session up again;
// - chat, notice and end-reason text with control characters (a terminal's escape sequences) is
//   refused with `invalid` and never reaches the customer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, newClientId, type Msg } from '../../protocol/index.ts';
import { createKey, createRep, createTeam, joinAgent, joinSession, loginRep, startServer, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let ana: TestClient, cy: TestClient, bo: TestClient, admin: TestClient;
let anaId: string, cyId: string, boId: string;
let anaCookie: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test.before(async () => {
  server = await startServer({ config: { agreement: null } });
  const adminCookie = await loginRep(server);
  const tier1 = await createTeam(server, adminCookie, 'Tier 1');
  const tier2 = await createTeam(server, adminCookie, 'Tier 2');
  anaId = await createRep(server, adminCookie, { username: 'ana', password: 'ana-password-1', name: 'Ana', teamIds: [tier1] });
  cyId = await createRep(server, adminCookie, { username: 'cy', password: 'cy-password-12', name: 'Cy', teamIds: [tier1] });
  boId = await createRep(server, adminCookie, { username: 'bo', password: 'bo-password-12', name: 'Bo', teamIds: [tier2] });
  anaCookie = await loginRep(server, 'ana', 'ana-password-1');
  ana = wsClient(server, 'rep', '', { cookie: anaCookie });
  cy = wsClient(server, 'rep', '', { cookie: await loginRep(server, 'cy', 'cy-password-12') });
  bo = wsClient(server, 'rep', '', { cookie: await loginRep(server, 'bo', 'bo-password-12') });
  admin = wsClient(server, 'rep', '', { cookie: adminCookie });
  await Promise.all([ana.ready, cy.ready, bo.ready, admin.ready]);
});

test.after(async () => {
  await server.stop();
});

/** A general-queue session Ana accepted, with the customer's chat and a stand-in agent online. */
async function session() {
  const k = await createKey(server, anaCookie, { queue: { kind: 'general' } });
  const customerToken = (await joinSession(server, k.key)).token;
  const customer = wsClient(server, 'customer', customerToken);
  await customer.ready;
  const agentToken = (await joinAgent(server, customerToken)).token;
  const agent = wsClient(server, 'agent', agentToken);
  await agent.ready;
  const sessionId = k.sessionId;
  ana.conn.send({ t: 'accept', sessionId });
  await agent.waitFor((m) => m.t === 'session' && m.session.state === 'active' && m.session.agentOnline, 10_000);
  return { sessionId, customer, agent, agentToken };
}

const frame = (sessionId: string, seq: number): Msg<'frame'> => ({ t: 'frame', sessionId, seq, display: 0, w: 8, h: 8, ts: Date.now(), rects: [{ k: 'fill', x: 0, y: 0, w: 8, h: 8, c: 0xff0000 }] });
const framesOf = (c: TestClient, sessionId: string, seq: number) => c.messages.filter((m) => m.t === 'frame' && m.sessionId === sessionId && m.seq === seq).length;
const systemLine = (sessionId: string, code: string, repId: string) => (m: any) => m.t === 'event' && m.sessionId === sessionId && m.body.kind === 'system' && m.body.code === code && m.from.id === repId;

/** The client's next error about `ref` (a client id, or the type of a message without one). */
async function refusal(c: TestClient, send: () => void, ref: string): Promise<Msg<'error'>> {
  const err = c.next<Msg<'error'>>((m) => m.t === 'error' && m.ref === ref, 5000);
  send();
  return err;
}

/** The customer allows Ana alone to control (at this epoch); returns once she is told. */
async function grantAnaControl(agent: TestClient, sessionId: string, epoch: number): Promise<void> {
  agent.conn.send({ t: 'grant', sessionId, grant: 'control', epoch, reps: [anaId], apps: null });
  await ana.waitFor((m) => m.t === 'grant' && m.sessionId === sessionId && m.grant === 'control', 5000);
}

/** Sends a frame; waits until `seen` got it, then a moment for anyone else it would reach. */
async function sendFrame(agent: TestClient, sessionId: string, seq: number, seen: TestClient): Promise<void> {
  agent.conn.send(frame(sessionId, seq));
  await seen.waitFor((m) => m.t === 'frame' && m.sessionId === sessionId && m.seq === seq, 5000);
  await sleep(300);
}

test('joining an active session: not for a rep outside its team, yes for a teammate and an admin; the customer is told', async () => {
  const s = await session();
  // Bo could have taken it from the general queue, but Ana has it now and Bo isn't in her team.
  const err = await refusal(bo, () => bo.conn.send({ t: 'join', sessionId: s.sessionId }), 'join');
  assert.is(err.code, ErrorCode.Forbidden);
  assert.match(err.message, /transfer/);
  await sleep(200);
  assert.not.ok(bo.messages.some((m) => m.t === 'event' && m.sessionId === s.sessionId), 'Bo read nothing of the transcript');

  cy.conn.send({ t: 'join', sessionId: s.sessionId });
  const joined = await s.customer.waitFor<Msg<'event'>>(systemLine(s.sessionId, 'rep.joined', cyId), 5000);
  assert.equal(joined.body, { kind: 'system', code: 'rep.joined', params: { rep: 'Cy' }, text: 'Cy joined the session.' });
  admin.conn.send({ t: 'join', sessionId: s.sessionId });
  await s.customer.waitFor(systemLine(s.sessionId, 'rep.joined', (await admin.ready).participantId), 5000);

  // Hold takes every rep out; each one's leaving is a line the customer reads.
  ana.conn.send({ t: 'hold', sessionId: s.sessionId });
  for (const id of [anaId, cyId]) {
    const left = await s.customer.waitFor<Msg<'event'>>(systemLine(s.sessionId, 'rep.left', id), 5000);
    assert.match((left.body as { text: string }).text, /^(Ana|Cy) left the session\.$/);
  }
  // Held in Ana's personal queue: Bo can't take it either.
  assert.is((await refusal(bo, () => bo.conn.send({ t: 'accept', sessionId: s.sessionId }), 'accept')).code, ErrorCode.Forbidden);
  s.agent.close();
  s.customer.close();
});

test('a rep who joins after the grant gets no frame and cannot inject input until the customer grants again', async () => {
  const s = await session();
  await grantAnaControl(s.agent, s.sessionId, 1);
  cy.conn.send({ t: 'join', sessionId: s.sessionId });
  const told = await cy.waitFor<Msg<'grant'>>((m) => m.t === 'grant' && m.sessionId === s.sessionId, 5000);
  assert.equal(told.reps, [anaId], 'the grant Cy is shown names Ana only');

  await sendFrame(s.agent, s.sessionId, 1, ana);
  assert.is(framesOf(cy, s.sessionId, 1), 0, 'no frame for the late rep');
  for (const msg of [
    { t: 'pointer' as const, sessionId: s.sessionId, display: 0, x: 5, y: 5 },
    { t: 'key' as const, sessionId: s.sessionId, code: 'KeyA', down: true },
  ]) assert.is((await refusal(cy, () => cy.conn.send(msg), msg.t)).code, ErrorCode.NotConsented, msg.t);
  await sleep(200);
  assert.not.ok(s.agent.messages.some((m) => (m.t === 'pointer' || m.t === 'key') && m.from?.id === cyId), 'no input from Cy reached the agent');

  // The customer lets Cy in too: a new decision, a new epoch.
  s.agent.conn.send({ t: 'grant', sessionId: s.sessionId, grant: 'control', epoch: 2, reps: [anaId, cyId], apps: null });
  await cy.waitFor((m) => m.t === 'grant' && m.sessionId === s.sessionId && m.reps.includes(cyId), 5000);
  await sendFrame(s.agent, s.sessionId, 2, cy);
  s.agent.close();
  s.customer.close();
});

test('after a reconnect the agent\'s old grant does not re-admit a rep hold took out, though the rep is back', async () => {
  const s = await session();
  await grantAnaControl(s.agent, s.sessionId, 3);
  await sendFrame(s.agent, s.sessionId, 1, ana);

  // The agent drops off; meanwhile Ana puts the session on hold and picks it up again.
  s.agent.close();
  await ana.waitFor((m) => m.t === 'session' && m.session.id === s.sessionId && !m.session.agentOnline, 5000);
  ana.conn.send({ t: 'hold', sessionId: s.sessionId });
  await s.customer.waitFor((m) => m.t === 'event' && m.sessionId === s.sessionId && m.body.kind === 'system' && m.body.code === 'held', 5000);
  ana.conn.send({ t: 'accept', sessionId: s.sessionId });
  await s.customer.waitFor((m) => m.t === 'event' && m.sessionId === s.sessionId && m.body.kind === 'system' && m.body.code === 'resumed', 5000);

  // Back online, the agent says its grant again, as it does after every welcome.
  const agent = wsClient(server, 'agent', s.agentToken);
  await agent.ready;
  const relayed = ana.next<Msg<'grant'>>((m) => m.t === 'grant' && m.sessionId === s.sessionId, 5000);
  agent.conn.send({ t: 'grant', sessionId: s.sessionId, grant: 'control', epoch: 3, reps: [anaId], apps: null });
  assert.equal((await relayed).reps, [], 'the repeated grant covers nobody');
  agent.conn.send(frame(s.sessionId, 2));
  await sleep(400);
  assert.is(framesOf(ana, s.sessionId, 2), 0, 'no frame for Ana');
  assert.is((await refusal(ana, () => ana.conn.send({ t: 'pointer', sessionId: s.sessionId, display: 0, x: 1, y: 1 }), 'pointer')).code, ErrorCode.NotConsented);

  // The customer grants again (a newer epoch): Ana is covered.
  agent.conn.send({ t: 'grant', sessionId: s.sessionId, grant: 'view', epoch: 4, reps: [anaId], apps: null });
  await ana.waitFor((m) => m.t === 'grant' && m.sessionId === s.sessionId && m.epoch === 4 && m.reps.includes(anaId), 5000);
  await sendFrame(agent, s.sessionId, 3, ana);
  agent.close();
  s.customer.close();
});

test('chat, notice and end reasons with control characters are refused; plain text with newlines and tabs is not', async () => {
  const s = await session();
  // The attack on the terminal fallback: erase the line, draw a fake "view only" question.
  const fake = 'ok\x1b[2K\r\x1b[1A\x1b[2K  [c] Allow only viewing   [v] Allow shared control';
  for (const [who, msg] of [
    [ana, { t: 'chat' as const, sessionId: s.sessionId, id: newClientId(), text: fake }],
    [ana, { t: 'notice' as const, sessionId: s.sessionId, id: newClientId(), text: 'Notice\x9b2J' }],
    [s.customer, { t: 'chat' as const, sessionId: s.sessionId, id: newClientId(), text: 'carriage\rreturn' }],
    [s.agent, { t: 'chat' as const, sessionId: s.sessionId, id: newClientId(), text: 'bell\x07' }],
  ] as const) {
    // Refused by its client id, so the sender's outbox drops it instead of resending it forever.
    const err = await refusal(who, () => who.conn.send(msg), msg.id);
    assert.is(err.code, ErrorCode.Invalid, JSON.stringify(msg.text));
    assert.match(err.message, /control characters/);
  }
  const end = await refusal(ana, () => ana.conn.send({ t: 'end', sessionId: s.sessionId, reason: 'done\x1b]0;owned\x07' }), 'end');
  assert.is(end.code, ErrorCode.Invalid);
  await ana.conn.sendReliable({ t: 'chat', sessionId: s.sessionId, id: newClientId(), text: 'line one\nline\ttwo' });
  await s.customer.waitFor((m) => m.t === 'event' && m.sessionId === s.sessionId && m.body.kind === 'chat' && m.body.text === 'line one\nline\ttwo', 5000);
  const texts = s.customer.events(s.sessionId).map((e) => JSON.stringify(e.body));
  assert.not.ok(texts.some((t) => /\\u001b|\\u009b|\\r|\\u0007/.test(t)), `nothing with control characters reached the customer: ${texts.join(' ')}`);
  assert.not.ok(s.customer.messages.some((m) => m.t === 'session' && m.session.state === 'ended'), 'the session goes on');
  s.agent.close();
  s.customer.close();
});

test.run();
