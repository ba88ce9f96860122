// The watermark: while the screen is shared (and the site enables it) a label is drawn on the
// customer's screen, on top and click-through; it disappears when sharing ends.
import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import x11 from 'x11';
import { until } from '../helpers/server.ts';
import { x } from '../helpers/xvfb.ts';
import { sleep, startXterm, windowApi, withAgent, world, type World } from '../agent/harness.ts';

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
    await withAgent(w);
  } catch (e) { console.error('before failed:', e); throw e; }
});

test.after(async () => {
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

test.run();
