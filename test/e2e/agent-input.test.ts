// The customer's own input wins: while the rep streams pointer moves, a move made with xdotool
// (the customer's hand) pauses remote input for a couple of seconds and the rep is told.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
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

test.run();
