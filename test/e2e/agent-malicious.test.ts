// A malicious rep client without the customer's consent: fake grants, input, refresh requests.
// Nothing reaches the screen and no pixel leaves it. A rep who joins after the grant is not
// covered by it either.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRep, loginRep, until, wsClient } from '../helpers/server.ts';
import { mouseLocation, x } from '../helpers/xvfb.ts';
import { RepScreen, sleep, startXterm, windowApi, withAgent, world, type World } from '../agent/harness.ts';

let w: World;
let out: string;

function attack(client: typeof w.rep, sessionId: string, repId: string): void {
  const s = { sessionId };
  for (const grant of ['control', 'view'] as const) client.conn.send({ t: 'grant', ...s, grant, epoch: 99, reps: [repId], apps: null });
  client.conn.send({ t: 'frame.refresh', ...s });
  client.conn.send({ t: 'pointer', ...s, display: 0, x: 640, y: 400 });
  client.conn.send({ t: 'button', ...s, display: 0, x: 640, y: 400, button: 'left', down: true });
  client.conn.send({ t: 'button', ...s, display: 0, x: 640, y: 400, button: 'left', down: false });
  for (const code of ['KeyP', 'KeyW', 'KeyN', 'Enter']) {
    client.conn.send({ t: 'key', ...s, code, down: true });
    client.conn.send({ t: 'key', ...s, code, down: false });
  }
  client.conn.send({ t: 'key.combo', ...s, codes: ['ShiftLeft', 'KeyX'] });
}

test.before(async () => {
  try {
    // In the general queue (a second rep joins later: an admin, see below).
    w = await world({ key: { queue: { kind: 'general' } } });
    out = join(w.tmp, 'typed.txt');
    await startXterm(w, ['-bg', '#FF8010', '-geometry', '80x25+100+100', '-e', 'sh', '-c', `stty -echo; cat > ${out}`]);
    // The customer's pointer rests over the xterm, so keys would land there.
    x(w.xvfb.display, 'xdotool', ['mousemove', '300', '300']);
    await withAgent(w);
  } catch (e) { console.error('before failed:', e); throw e; }
});

test.after(async () => {
  await w?.teardown();
});

test('fake grants, input and refresh without consent achieve nothing', async () => {
  const screen = new RepScreen(w.rep, w.sessionId);
  attack(w.rep, w.sessionId, w.repId);
  await sleep(2000);
  screen.stop();
  assert.is(screen.frames.length, 0, 'no frame');
  assert.equal(mouseLocation(w.xvfb.display), { x: 300, y: 300 }, 'pointer untouched');
  assert.is(readFileSync(out, 'utf8'), '', 'no key reached the xterm');
  assert.not.ok(w.rep.messages.some((m) => m.t === 'grant' && m.grant !== 'none'), 'no grant was announced');
});

test('a rep who joins after the grant is not covered by it', async () => {
  await windowApi(w.agent!.windowUrl).consent('control');
  await w.rep.waitFor((m) => m.t === 'grant' && m.grant === 'control', 10_000);
  const admin = await loginRep(w.server);
  // An admin, so the join itself is allowed (only the session's team and admins may join).
  await createRep(w.server, admin, { username: 'mallory', password: 'mallory-password-1', name: 'Mallory', isAdmin: true });
  const cookie = await loginRep(w.server, 'mallory', 'mallory-password-1');
  const mallory = wsClient(w.server, 'rep', '', { cookie });
  try {
    const me = await mallory.ready;
    mallory.conn.send({ t: 'join', sessionId: w.sessionId });
    await mallory.waitFor((m) => m.t === 'session' && m.session.id === w.sessionId && m.session.reps.some((r) => r.id === me.participantId), 10_000);
    const screen = new RepScreen(mallory, w.sessionId);
    attack(mallory, w.sessionId, me.participantId);
    await sleep(2000);
    screen.stop();
    assert.equal(mouseLocation(w.xvfb.display), { x: 300, y: 300 }, 'pointer untouched');
    assert.is(readFileSync(out, 'utf8'), '', 'no key reached the xterm');
    assert.is(screen.frames.length, 0, 'the late rep gets no frame');
  } finally {
    mallory.close();
  }
});

test.run();
