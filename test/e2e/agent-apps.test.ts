// Application sharing (CHANGE RELEASE): only the windows the customer picked are visible in the
// frames, everything else is black, and input outside them is dropped.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Msg } from '../../protocol/index.ts';
import { until } from '../helpers/server.ts';
import { mouseLocation, x } from '../helpers/xvfb.ts';
import { RepScreen, sleep, startXterm, windowApi, withAgent, world, type World } from '../agent/harness.ts';

let w: World;
let screen: RepScreen;

test.before(async () => {
  try {
    w = await world();
    await startXterm(w, ['-T', 'shared-app', '-bg', '#FF8010', '-geometry', '40x10+100+100']);
    await startXterm(w, ['-T', 'private-app', '-bg', '#2040FF', '-geometry', '40x10+700+100']);
    x(w.xvfb.display, 'xdotool', ['mousemove', '5', '5']);
    await withAgent(w);
    screen = new RepScreen(w.rep, w.sessionId);
  } catch (e) { console.error('before failed:', e); throw e; }
});

test.after(async () => {
  screen?.stop();
  await w?.teardown();
});

test('the window list offers both applications', async () => {
  const list = await windowApi(w.agent!.windowUrl).windows();
  assert.equal(list.map((l) => l.title).sort(), ['private-app', 'shared-app']);
});

test('sharing one window: the other is black in the frames, input outside is dropped', async () => {
  const api = windowApi(w.agent!.windowUrl);
  const shared = (await api.windows()).find((l) => l.title === 'shared-app')!;
  await api.consent('control', [shared.id]);
  const g = await w.rep.waitFor<Msg<'grant'>>((m) => m.t === 'grant' && m.grant === 'control', 10_000);
  assert.equal(g.apps, ['shared-app']);
  await until(() => screen.frames.length > 0, 10_000, 'a frame');
  await sleep(500);
  await screen.settled();
  assert.is(screen.pixel(shared.x + 20, shared.y + 20), 0xff8010, 'the shared window is visible');
  assert.is(screen.pixel(700 + 20, 100 + 20), 0x000000, 'the other window is blacked out');
  assert.is(screen.pixel(640, 600), 0x000000, 'the desktop is blacked out');
  // Input: outside the shared window nothing moves; inside it does.
  w.rep.conn.send({ t: 'pointer', sessionId: w.sessionId, display: 0, x: 720, y: 120 });
  await sleep(400);
  assert.equal(mouseLocation(w.xvfb.display), { x: 5, y: 5 });
  w.rep.conn.send({ t: 'pointer', sessionId: w.sessionId, display: 0, x: shared.x + 30, y: shared.y + 30 });
  await until(() => mouseLocation(w.xvfb.display).x === shared.x + 30, 10_000, 'the pointer inside the shared window');
});

test.run();
