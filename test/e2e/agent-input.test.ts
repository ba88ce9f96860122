// The customer's own input wins: while the rep streams pointer moves, a move made with xdotool
// (the customer's hand) pauses remote input for a couple of seconds and the rep is told.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import x11 from 'x11';
import type { Msg } from '../../protocol/index.ts';
import { until } from '../helpers/server.ts';
import { mouseLocation, x } from '../helpers/xvfb.ts';
import { sleep, windowApi, withAgent, world, type World } from '../agent/harness.ts';

let w: World;

test.before(async () => {
  try {
    w = await world();
    await withAgent(w);
    await windowApi(w.agent!.windowUrl).consent('control');
    await w.rep.waitFor((m) => m.t === 'grant' && m.grant === 'control', 10_000);
  } catch (e) { console.error('before failed:', e); throw e; }
});

test.after(async () => {
  await w?.teardown();
});

test('a customer pointer move pauses the rep\'s streamed moves, then they land again', async () => {
  let i = 0;
  const stream = setInterval(() => {
    i++;
    w.rep.conn.send({ t: 'pointer', sessionId: w.sessionId, display: 0, x: 100 + (i % 50), y: 100 });
  }, 20);
  try {
    await until(() => mouseLocation(w.xvfb.display).y === 100, 10_000, 'the rep\'s moves landing');
    const paused = w.rep.next<Msg<'input.paused'>>((m) => m.t === 'input.paused', 10_000);
    x(w.xvfb.display, 'xdotool', ['mousemove', '900', '600']);
    const p = await paused;
    const at = Date.now();
    assert.ok(p.untilMs > at + 1000 && p.untilMs < at + 5000, 'paused for a couple of seconds');
    // While paused, the rep's moves don't land: the pointer stays where the customer put it.
    let checks = 0;
    do {
      assert.equal(mouseLocation(w.xvfb.display), { x: 900, y: 600 }, `customer position kept (${checks})`);
      checks++;
      await sleep(100);
    } while (Date.now() < p.untilMs - 400);
    assert.ok(checks >= 3, `checked ${checks} times during the pause`);
    // After the pause the rep has the pointer again.
    await until(() => mouseLocation(w.xvfb.display).y === 100, p.untilMs - Date.now() + 3000, 'the rep\'s moves after the pause');
  } finally {
    clearInterval(stream);
  }
});

interface XEv { name: string; keycode: number; buttons: number; x: number; y: number }

/** An X window at a known place that records the button and key events it gets (the
 *  independent witness for buttons, wheel and key combinations). */
function recorder(display: string, at: { x: number; y: number; w: number; h: number }): Promise<{ events: XEv[]; keycode(sym: number): number; close(): void }> {
  return new Promise((resolve, reject) => {
    x11.createClient({ display }, (err: Error | null, dpy: any) => {
      if (err) return reject(err);
      const X = dpy.client;
      const events: XEv[] = [];
      const wid = X.AllocID();
      const m = x11.eventMask;
      X.CreateWindow(wid, dpy.screen[0].root, at.x, at.y, at.w, at.h, 0, 0, 1, 0, { backgroundPixel: 0x336699, eventMask: m.ButtonPress | m.ButtonRelease | m.KeyPress | m.KeyRelease });
      X.MapWindow(wid);
      X.on('event', (ev: XEv) => events.push(ev));
      X.on('error', () => {});
      const min = dpy.min_keycode, max = dpy.max_keycode;
      X.GetKeyboardMapping(min, max - min, (e: Error | null, list: number[][]) => {
        if (e) return reject(e);
        resolve({
          events,
          keycode: (sym) => min + list.findIndex((syms) => syms.includes(sym)),
          close: () => X.terminate(),
        });
      });
    });
  });
}

test('buttons, wheel and key combinations reach the window under the pointer', async () => {
  const area = { x: 600, y: 300, w: 300, h: 200 };
  const rec = await recorder(w.xvfb.display, area);
  try {
    await sleep(300);
    const s = { sessionId: w.sessionId, display: 0 };
    const at = { x: area.x + 50, y: area.y + 40 };
    w.rep.conn.send({ t: 'button', ...s, ...at, button: 'left', down: true });
    w.rep.conn.send({ t: 'button', ...s, ...at, button: 'left', down: false });
    w.rep.conn.send({ t: 'button', ...s, ...at, button: 'right', down: true });
    w.rep.conn.send({ t: 'button', ...s, ...at, button: 'right', down: false });
    w.rep.conn.send({ t: 'wheel', ...s, ...at, dx: 0, dy: 2 });
    w.rep.conn.send({ t: 'wheel', ...s, ...at, dx: 0, dy: -1 });
    w.rep.conn.send({ t: 'key.combo', ...s, codes: ['ControlLeft', 'KeyC'] });
    await until(() => rec.events.filter((e) => e.name === 'KeyRelease').length >= 2, 10_000, 'the combination');
    const presses = rec.events.filter((e) => e.name === 'ButtonPress');
    assert.equal(presses.map((e) => e.keycode), [1, 3, 5, 5, 4], 'left, right, 2× wheel down, 1× wheel up');
    assert.equal([presses[0].x, presses[0].y], [50, 40], 'at the mapped position inside the window');
    const keys = rec.events.filter((e) => e.name === 'KeyPress');
    const ctrl = rec.keycode(0xffe3), c = rec.keycode(0x63);
    assert.equal(keys.map((e) => e.keycode), [ctrl, c]);
    assert.ok(keys[1].buttons & 4, 'C pressed while Control is down');
    const releases = rec.events.filter((e) => e.name === 'KeyRelease').map((e) => e.keycode);
    assert.equal(releases, [c, ctrl], 'released in reverse order');
  } finally {
    rec.close();
  }
});

test('END SCREEN SHARE releases keys and buttons the rep still holds', async () => {
  const area = { x: 600, y: 300, w: 300, h: 200 };
  const rec = await recorder(w.xvfb.display, area);
  try {
    await sleep(300);
    const s = { sessionId: w.sessionId, display: 0 };
    w.rep.conn.send({ t: 'button', ...s, x: area.x + 10, y: area.y + 10, button: 'left', down: true });
    w.rep.conn.send({ t: 'key', ...s, code: 'ShiftLeft', down: true });
    await until(() => rec.events.some((e) => e.name === 'KeyPress') && rec.events.some((e) => e.name === 'ButtonPress'), 10_000, 'held key and button');
    await windowApi(w.agent!.windowUrl).consent('none');
    await until(() => rec.events.some((e) => e.name === 'KeyRelease') && rec.events.some((e) => e.name === 'ButtonRelease'), 10_000, 'the key and button released');
    assert.is(rec.events.find((e) => e.name === 'KeyRelease')!.keycode, rec.keycode(0xffe1), 'Shift released');
  } finally {
    rec.close();
  }
});

test.run();
