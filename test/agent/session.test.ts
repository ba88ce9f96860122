// The agent's own consent enforcement, without the server's defence in depth: AgentSession fed
// messages as a compromised server could send them, with recording fakes for capture and input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { InputMessage, Message, Msg, PendingScreenRequest } from '../../protocol/index.ts';
import type { CaptureLoop } from '../../agent/capture/capture-loop.ts';
import { Consent } from '../../agent/session/consent.ts';
import type { InputInjector } from '../../agent/input/input-injector.ts';
import type { PointerGuard } from '../../agent/input/pointer-guard.ts';
import { AgentSession } from '../../agent/session/agent-session.ts';
import { WindowRelay } from '../../agent/window/host/relay.ts';

const SID = 's1';
const rep = (id: string) => ({ role: 'rep' as const, id, name: `Rep ${id}` });

function setup(onRequest?: (req: PendingScreenRequest, covers: Array<{ id: string; name: string }>) => void) {
  const sent: Message[] = [];
  const applied: InputMessage[] = [];
  const calls: string[] = [];
  let paused = false;
  const up = { send: (m: Message) => { sent.push(m); return true; }, sendReliable: async () => 1 };
  const consent = new Consent();
  const capture = { start: () => calls.push('capture.start'), stop: () => calls.push('capture.stop'), ack: () => {}, refresh: () => calls.push('refresh') } as unknown as CaptureLoop;
  const input = { enqueue: (m: InputMessage) => applied.push(m), discard: async () => { calls.push('discard'); } } as unknown as InputInjector;
  const guard = { start: () => {}, stop: () => {}, get paused() { return paused; } } as unknown as PointerGuard;
  const relay = new WindowRelay(up, () => {}, () => {});
  const session = new AgentSession({
    up, consent, capture, input, guard, relay, watermark: null,
    displays: () => [{ id: 1, name: 'screen', x: 0, y: 0, w: 800, h: 600, scale: 1, primary: true }],
    listWindows: async () => [],
    onEnded: () => calls.push('ended'),
    onRequest,
  });
  const welcome: Msg<'welcome'> = { t: 'welcome', v: 1, role: 'agent', participantId: 'agent1', sessionId: SID, resumeToken: 'r', serverTime: 0 };
  session.onWelcome(welcome);
  const update = (reps: string[], screenRequest: Msg<'session'>['session']['screenRequest'] = null) => session.onServerMessage({
    t: 'session',
    session: { id: SID, state: 'active', queue: { kind: 'general' }, queueName: 'General', customer: { name: 'c', company: '', issue: '', description: '', platform: '' }, reps: reps.map((id) => ({ id, name: `Rep ${id}` })), primaryRepId: reps[0] ?? null, createdAt: 0, queuedAt: null, acceptedAt: 0, endedAt: null, externalKey: null, customerOnline: true, agentOnline: true, endReason: null, redirectUrl: null, screenRequest, sharing: 'none' },
  });
  return { sent, applied, calls, consent, session, update, pause: (p: boolean) => { paused = p; } };
}

const pointer = (from: string): InputMessage => ({ t: 'pointer', sessionId: SID, display: 0, x: 10, y: 10, from: rep(from) });

test('grant messages from the network never change the grant or start capture', () => {
  const t = setup();
  t.update(['a']);
  for (const g of ['view', 'control'] as const) t.session.onServerMessage({ t: 'grant', sessionId: SID, grant: g, epoch: 5, reps: ['a'], apps: null, from: rep('a') } as Message);
  assert.is(t.consent.grant, 'none');
  assert.not.ok(t.calls.includes('capture.start'));
  t.session.onServerMessage(pointer('a'));
  t.session.onServerMessage({ t: 'key', sessionId: SID, code: 'KeyA', down: true, from: rep('a') });
  assert.is(t.applied.length, 0);
});

test('view: capture runs, input is not applied', async () => {
  const t = setup();
  t.update(['a']);
  await t.session.decide('view');
  assert.ok(t.calls.includes('capture.start'));
  t.session.onServerMessage(pointer('a'));
  assert.is(t.applied.length, 0);
  const g = t.sent.filter((m): m is Msg<'grant'> => m.t === 'grant').at(-1)!;
  assert.equal([g.grant, g.reps], ['view', ['a']]);
});

test('control: only covered reps, only from reps, not while the customer has the pointer', async () => {
  const t = setup();
  t.update(['a']);
  await t.session.decide('control');
  t.session.onServerMessage(pointer('a'));
  assert.is(t.applied.length, 1);
  t.update(['a', 'b']); // b joins later: not covered
  t.session.onServerMessage(pointer('b'));
  t.session.onServerMessage({ ...pointer('a'), from: { role: 'customer', id: 'a', name: 'x' } });
  t.session.onServerMessage({ ...pointer('a'), from: undefined });
  t.session.onServerMessage({ ...pointer('a'), sessionId: 'other' });
  assert.is(t.applied.length, 1);
  t.pause(true);
  t.session.onServerMessage(pointer('a'));
  assert.is(t.applied.length, 1);
});

test('END SCREEN SHARE: capture stops, queued input is discarded, none announced with a new epoch', async () => {
  const t = setup();
  t.update(['a']);
  await t.session.decide('control');
  const epoch = t.consent.snapshot.epoch;
  await t.session.decide('none');
  assert.ok(t.calls.lastIndexOf('capture.stop') > t.calls.lastIndexOf('capture.start'));
  assert.ok(t.calls.includes('discard'));
  t.session.onServerMessage(pointer('a'));
  assert.is(t.applied.length, 0);
  const g = t.sent.filter((m): m is Msg<'grant'> => m.t === 'grant').at(-1)!;
  assert.is(g.grant, 'none');
  assert.ok(g.epoch > epoch);
});

test('acks and refreshes count only from covered reps', async () => {
  const t = setup();
  t.update(['a', 'b']);
  await t.session.decide('view');
  t.update(['a', 'b', 'c']);
  t.session.onServerMessage({ t: 'frame.refresh', sessionId: SID, from: rep('c') });
  assert.not.ok(t.calls.includes('refresh'), 'a late rep cannot restart the stream');
  t.session.onServerMessage({ t: 'frame.refresh', sessionId: SID, from: rep('b') });
  assert.ok(t.calls.includes('refresh'));
});

test('the session ending stops sharing', async () => {
  const t = setup();
  t.update(['a']);
  await t.session.decide('view');
  t.session.onServerMessage({ t: 'error', code: 'ended', message: 'gone' });
  assert.ok(t.calls.includes('ended'));
  t.session.shutdown();
  assert.is(t.consent.grant, 'none');
  await t.session.decide('control');
  assert.is(t.consent.grant, 'none', 'no grant after the end');
});

test('a rep who leaves (hold, transfer) drops out of the grant; nobody left ends sharing', async () => {
  const t = setup();
  t.update(['a', 'b']);
  await t.session.decide('control');
  t.update(['b']);
  assert.equal(t.consent.snapshot.reps, ['b']);
  assert.is(t.consent.grant, 'control');
  t.session.onServerMessage(pointer('a'));
  assert.is(t.applied.length, 0, 'the rep who left can no longer move anything');
  t.update(['a', 'b']); // back again: not covered without a new grant
  assert.equal(t.consent.snapshot.reps, ['b']);
  t.update([]);
  assert.is(t.consent.grant, 'none');
  assert.ok(t.calls.lastIndexOf('capture.stop') > t.calls.lastIndexOf('capture.start'));
});

test('an open request reaches the prompt once; refusing it is sent as a decline', async () => {
  const asked: string[] = [];
  const t = setup((r, covers) => asked.push(`${r.repName}:${r.want}:${covers.map((c) => c.name).join('+')}`));
  const req = { id: 'r1', want: 'control' as const, repId: 'a', repName: 'Rep a', at: 1, expiresAt: 2 };
  t.update(['a', 'b'], req);
  t.update(['a', 'b'], req);
  assert.equal(asked, ['Rep a:control:Rep a+Rep b'], 'asked once, naming every rep the answer covers');
  await t.session.decide('none');
  const decline = t.sent.find((m): m is Msg<'screen.decline'> => m.t === 'screen.decline');
  assert.equal(decline, { t: 'screen.decline', sessionId: SID, requestId: 'r1' });
});

const event = (seq: number, from: Msg<'event'>['from'], code: string): Message => ({ t: 'event', sessionId: SID, seq, at: 0, from, body: { kind: 'system', code, text: `${from.name} ${code}` } });
const lastGrant = (t: ReturnType<typeof setup>) => t.sent.filter((m): m is Msg<'grant'> => m.t === 'grant').at(-1)!;

test('the grant covers exactly the reps the prompt named: one who joined while the customer read is not covered', async () => {
  const t = setup();
  t.update(['a']);
  t.update(['a', 'b']); // b joins after the prompt was drawn naming only a
  await t.session.decide('control', null, ['a']);
  assert.equal(t.consent.snapshot.reps, ['a']);
  t.session.onServerMessage(pointer('b'));
  assert.is(t.applied.length, 0);
  // Named but gone by the time of the answer: not covered; nobody left, nothing shared.
  t.update(['b']);
  await t.session.decide('view', null, ['a', 'x']);
  assert.is(t.consent.grant, 'none');
  // A change without names (CHANGE RELEASE) keeps whom the grant covers.
  t.update(['a', 'b']);
  await t.session.decide('view', null, ['a']);
  await t.session.decide('control');
  assert.equal([t.consent.grant, t.consent.snapshot.reps], ['control', ['a']]);
});

test('after a reconnect: a rep who left after the grant (rep.left, replayed) is not covered though back in the session', async () => {
  const t = setup();
  t.update(['a']);
  t.session.onServerMessage(event(5, rep('a'), 'rep.joined'));
  await t.session.decide('control', null, ['a']);
  t.session.onServerMessage(event(4, rep('a'), 'rep.left')); // older than the grant: no news
  assert.is(t.consent.grant, 'control');
  // Offline meanwhile: a held, then picked the session up again. The agent comes back...
  t.session.onWelcome({ t: 'welcome', v: 1, role: 'agent', participantId: 'agent1', sessionId: SID, resumeToken: 'r', serverTime: 0 });
  t.update(['a']); // ...a is in the session again...
  assert.is(t.consent.grant, 'control', 'the session message alone cannot tell');
  t.session.onServerMessage(event(6, rep('a'), 'rep.left')); // ...and the replay says a left after the grant
  assert.is(t.consent.grant, 'none');
  assert.equal([lastGrant(t).grant, lastGrant(t).reps], ['none', []]);
  t.session.onServerMessage(pointer('a'));
  assert.is(t.applied.length, 0);
  // A fresh decision covers a again; the old line doesn't undo it.
  await t.session.decide('view', null, ['a']);
  t.session.onServerMessage(event(6, rep('a'), 'rep.left'));
  assert.equal([t.consent.grant, t.consent.snapshot.reps], ['view', ['a']]);
});

test('system information: only the basics before the first grant, everything after it (also after a reconnect)', async () => {
  const t = setup();
  const infos = () => t.sent.filter((m): m is Msg<'sysinfo'> => m.t === 'sysinfo').map((m) => m.info);
  assert.is(infos().length, 1);
  const basic = infos()[0];
  assert.equal(Object.keys(basic).sort(), ['agentVersion', 'arch', 'displays', 'os']);
  assert.equal(basic.displays, []);
  t.update(['a']);
  await t.session.decide('view', null, ['a']);
  const full = infos().at(-1)!;
  assert.ok(full.hostname && full.cpu && full.release !== undefined && full.memoryMB, 'host name, CPU, release, memory after the grant');
  assert.is(full.displays.length, 1);
  await t.session.decide('none');
  t.session.onWelcome({ t: 'welcome', v: 1, role: 'agent', participantId: 'agent1', sessionId: SID, resumeToken: 'r', serverTime: 0 });
  assert.ok(infos().at(-1)!.hostname, 'once disclosed, a reconnect sends it all again');
});

test.run();
