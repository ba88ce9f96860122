// Application sharing (CHANGE RELEASE): only the windows the customer picked are visible in the
// frames, everything else is black, and input outside them is dropped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Msg } from '../../protocol/index.ts';
import { until } from '../helpers/server.ts';
import { mouseLocation, x } from '../helpers/xvfb.ts';
import { RepScreen, sleep, startXterm, windowApi, withAgent, world, type World } from '../agent/harness.ts';

let w: World;
let screen: RepScreen;
let sharedFile = '', privateFile = '', sharedId = '', privateId = '';

test.before(async () => {
  try {
    w = await world();
    sharedFile = join(w.tmp, 'shared.txt');
    privateFile = join(w.tmp, 'private.txt');
    sharedId = await startXterm(w, ['-T', 'shared-app', '-bg', '#FF8010', '-geometry', '40x10+100+100', '-e', 'sh', '-c', `stty -echo; cat > ${sharedFile}`]);
    privateId = await startXterm(w, ['-T', 'private-app', '-bg', '#2040FF', '-geometry', '40x10+700+100', '-e', 'sh', '-c', `stty -echo; cat > ${privateFile}`]);
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

test('keys reach the customer only while a shared window has the focus', async () => {
  const tap = (code: string) => {
    w.rep.conn.send({ t: 'key', sessionId: w.sessionId, display: 0, code, down: true });
    w.rep.conn.send({ t: 'key', sessionId: w.sessionId, display: 0, code, down: false });
  };
  // The customer focuses the private window; the rep's pointer is over the shared one.
  x(w.xvfb.display, 'xdotool', ['windowfocus', privateId]);
  await sleep(500);
  tap('KeyN'); tap('KeyO'); tap('Enter');
  await sleep(1500);
  assert.is(readFileSync(privateFile, 'utf8'), '', 'nothing typed into the unshared window');
  // Focus on the shared window: keys go through.
  x(w.xvfb.display, 'xdotool', ['windowfocus', sharedId]);
  await sleep(500);
  tap('KeyO'); tap('KeyK'); tap('Enter');
  await until(() => readFileSync(sharedFile, 'utf8') === 'ok\n', 10_000, 'the keys in the shared window');
  assert.is(readFileSync(privateFile, 'utf8'), '');
});

test.run();
