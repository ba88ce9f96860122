// The agent end to end under Xvfb with real capture and real input: consent gates every pixel
// and every input event; END SCREEN SHARE stops both at once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Msg } from '../../protocol/index.ts';
import { until } from '../helpers/server.ts';
import { mouseLocation, x } from '../helpers/xvfb.ts';
import { RepScreen, sleep, spawnX, startXterm, windowApi, withAgent, world, type World } from '../agent/harness.ts';

const ORANGE = 0xff8010;
let w: World;
let screen: RepScreen;
let out: string;

const pointer = (px: number, py: number) => w.rep.conn.send({ t: 'pointer', sessionId: w.sessionId, display: 0, x: px, y: py });
const key = (code: string, down: boolean) => w.rep.conn.send({ t: 'key', sessionId: w.sessionId, display: 0, code, down });
const tap = (code: string) => { key(code, true); key(code, false); };

test.before(async () => { try {
  w = await world();
  out = join(w.tmp, 'typed.txt');
  // An orange xterm at a known place that writes what it's typed into a file.
  await startXterm(w, ['-bg', '#FF8010', '-geometry', '60x15+200+150', '-e', 'sh', '-c', `stty -echo; cat > ${out}`]);
  x(w.xvfb.display, 'xdotool', ['mousemove', '10', '10']);
  await withAgent(w);
  screen = new RepScreen(w.rep, w.sessionId);
  } catch (e) { console.error("before failed:", e); throw e; }
});

test.after(async () => {
  screen?.stop();
  await w?.teardown();
});

test('before any grant: no frame, and input does not move the pointer', async () => {
  w.rep.conn.send({ t: 'frame.refresh', sessionId: w.sessionId });
  pointer(600, 400);
  await sleep(1500);
  assert.is(screen.frames.length, 0, 'no frame before consent');
  assert.equal(mouseLocation(w.xvfb.display), { x: 10, y: 10 });
});

test('view: frames show the xterm colour where the xterm is; pointer events do nothing', async () => {
  const api = windowApi(w.agent!.windowUrl);
  const r = await api.consent('view');
  assert.is(r.grant, 'view');
  const g = await w.rep.waitFor<Msg<'grant'>>((m) => m.t === 'grant' && m.grant === 'view', 10_000);
  assert.ok(g.reps.includes(w.repId), 'the grant covers the rep present');
  await until(() => screen.frames.length > 0, 10_000, 'a first frame');
  await sleep(300);
  await screen.settled();
  assert.is(screen.image!.width, 1280);
  assert.is(screen.pixel(400, 250), ORANGE, 'inside the xterm');
  assert.is.not(screen.pixel(50, 50), ORANGE, 'outside the xterm');
  pointer(500, 300);
  await sleep(500);
  assert.equal(mouseLocation(w.xvfb.display), { x: 10, y: 10 }, 'view only: the pointer stays');
});

test('control: pointer goes to the mapped coordinates, typed keys (shifted symbols too) reach the xterm', async () => {
  await windowApi(w.agent!.windowUrl).consent('control');
  await w.rep.waitFor((m) => m.t === 'grant' && m.grant === 'control', 10_000);
  pointer(500, 300);
  await until(() => { const p = mouseLocation(w.xvfb.display); return p.x === 500 && p.y === 300; }, 10_000, 'the pointer at 500,300');
  // H, i, Shift+1 ("!"), Shift+2 ("@"), Enter
  key('ShiftLeft', true); tap('KeyH'); key('ShiftLeft', false);
  tap('KeyI');
  key('ShiftLeft', true); tap('Digit1'); tap('Digit2'); key('ShiftLeft', false);
  tap('Minus'); tap('Enter');
  await until(() => { try { return readFileSync(out, 'utf8').includes('\n'); } catch { return false; } }, 10_000, 'the typed line');
  assert.is(readFileSync(out, 'utf8'), 'Hi!@-\n');
});

test('END SCREEN SHARE: frames stop and input is ignored again', async () => {
  await windowApi(w.agent!.windowUrl).consent('none');
  await w.rep.waitFor((m) => m.t === 'grant' && m.grant === 'none', 10_000);
  await sleep(300);
  const n = screen.frames.length;
  // Change the screen: a sharing agent would send it.
  w.procs.push(spawnX(w.xvfb.display, 'xterm', ['-bg', '#2040FF', '-geometry', '20x5+700+500']));
  pointer(100, 100);
  tap('KeyZ');
  await sleep(1500);
  assert.is(screen.frames.length, n, 'no frame after END SCREEN SHARE');
  assert.equal(mouseLocation(w.xvfb.display), { x: 500, y: 300 });
  assert.is(readFileSync(out, 'utf8'), 'Hi!@-\n');
});

test.run();
