// The watermark: while the screen is shared (and the site enables it) a label is drawn on the
// customer's screen, on top and click-through; it disappears the moment sharing ends for any
// reason: END SCREEN SHARE, the server lost (back with the grant when the server is), the
// session ended while the agent's window stays open for the survey.
import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import x11 from 'x11';
import { until } from '../helpers/server.ts';
import { x } from '../helpers/xvfb.ts';
import { sleep, startAgent, startXterm, windowApi, world, type World } from '../agent/harness.ts';
import { agentWindow, saveScreenshot, stopAgent } from '../agent/app-window.ts';

const MARK = 0x7a1f1f;
let w: World;
let xterm = '';

/** The Xvfb screen as ImageMagick sees it (independent of the agent's capture). */
function screenshot(): { at(px: number, py: number): number; count(y0: number, y1: number, c: number): number } {
  const raw = execFileSync('import', ['-window', 'root', '-depth', '8', 'rgb:-'], { env: { ...process.env, DISPLAY: w.xvfb.display }, maxBuffer: 64 << 20 });
  const W = w.xvfb.width;
  const at = (px: number, py: number) => { const i = (py * W + px) * 3; return (raw[i] << 16) | (raw[i + 1] << 8) | raw[i + 2]; };
  return {
    at,
    count(y0, y1, c) { let n = 0; for (let py = y0; py < y1; py++) for (let px = 0; px < W; px++) if (at(px, py) === c) n++; return n; },
  };
}

/** The top-level window the X server puts the pointer in (input shapes respected). */
function childUnderPointer(): Promise<number> {
  return new Promise((resolve, reject) => {
    x11.createClient({ display: w.xvfb.display }, (err: Error | null, dpy: any) => {
      if (err) return reject(err);
      dpy.client.QueryPointer(dpy.screen[0].root, (e: Error | null, r: { child: number }) => {
        dpy.client.terminate();
        if (e) reject(e); else resolve(r.child);
      });
    });
  });
}

test.before(async () => {
  try {
    w = await world({ config: { watermark: true } });
    // Something under the label, to show clicks go through to it.
    xterm = await startXterm(w, ['-bg', '#FF8010', '-geometry', '200x10+0+0']);
    // With its real window: after the end it stays open (survey), the watermark must not.
    w.agent = await startAgent(w.server, w.key, w.xvfb.display, { tmp: w.tmp, browser: true });
    await w.rep.waitFor((m) => m.t === 'sysinfo' && m.sessionId === w.sessionId, 20_000);
    await agentWindow(w.xvfb.display);
  } catch (e) { console.error('before failed:', e); throw e; }
});

test.after(async () => {
  await stopAgent(w?.agent ?? null);
  await w?.teardown();
});

test('no watermark before sharing', () => {
  assert.is(screenshot().count(0, 40, MARK), 0);
});

test('sharing shows the watermark on top, with its text, click-through', async () => {
  await windowApi(w.agent!.windowUrl).consent('view');
  await until(() => screenshot().count(0, 30, MARK) > 5000, 10_000, 'the watermark in a screenshot');
  const shot = screenshot();
  const band = shot.count(0, 30, MARK);
  assert.ok(band > 5000, `label background (${band} px)`);
  assert.ok(shot.count(0, 30, 0xffffff) > 200, 'label text drawn');
  // Click-through: the window under the label is the xterm, not the label.
  x(w.xvfb.display, 'xdotool', ['mousemove', String(w.xvfb.width / 2), '10']);
  assert.is(await childUnderPointer(), Number(xterm), 'the pointer is over the xterm through the label');
});

test('END SCREEN SHARE removes the watermark', async () => {
  await windowApi(w.agent!.windowUrl).consent('none');
  await until(() => screenshot().count(0, 40, MARK) === 0, 10_000, 'the watermark gone');
  await sleep(1200); // and it does not come back with the periodic raise
  assert.is(screenshot().count(0, 40, MARK), 0);
});

const marked = () => screenshot().count(0, 30, MARK) > 5000;
const unmarked = () => screenshot().count(0, 40, MARK) === 0;

test('the server goes away: the watermark goes at once; it comes back with the grant', async () => {
  await windowApi(w.agent!.windowUrl).consent('view');
  await until(marked, 10_000, 'the watermark shown');
  await w.server.kill9();
  await until(unmarked, 3000, 'the watermark gone while the server is unreachable');
  saveScreenshot(w.xvfb.display, 'watermark-server-lost');
  await sleep(1200);
  assert.ok(unmarked(), 'and it stays gone');
  await w.server.restart();
  await until(marked, 20_000, 'the watermark back with the grant that still stands');
});

test('the session ends: the watermark goes at once, although the window stays for the survey', async () => {
  assert.ok(marked(), 'shown before the end');
  await until(() => w.rep.conn.status === 'online', 10_000, 'the rep back online');
  w.rep.conn.send({ t: 'end', sessionId: w.sessionId });
  await until(() => /session ending/.test(w.agent!.output()), 10_000, 'the agent hears the end');
  await until(unmarked, 2000, 'the watermark gone at the end');
  await sleep(1200);
  assert.ok(unmarked(), 'and it stays gone');
  assert.is(w.agent!.proc.exitCode, null, 'the agent still runs: its window is open');
  saveScreenshot(w.xvfb.display, 'watermark-ended');
});

test.run();
