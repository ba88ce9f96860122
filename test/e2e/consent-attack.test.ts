// A malicious rep client against the real agent under Xvfb, after consent was once given
// (agent-malicious.test.ts covers "never granted" and the late-joining rep): replaying the
// customer's old control grant, forging newer epochs, input and refresh after END SCREEN SHARE,
// control-only input under a view grant, and input stamped as another rep. No pointer move, no
// key and no pixel gets through; checked independently with xdotool and an xterm writing a file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Msg } from '../../protocol/index.ts';
import { until } from '../helpers/server.ts';
import { mouseLocation, x } from '../helpers/xvfb.ts';
import { RepScreen, sleep, spawnX, windowApi, withAgent, world, type World } from '../agent/harness.ts';

let w: World;
let typed: string;
let oldGrant: Msg<'grant'>;

const typedNow = () => { try { return readFileSync(typed, 'utf8'); } catch { return ''; } };

/** Every input path a console has, aimed at the xterm. */
function inputBurst(sessionId: string, px: number, py: number, from?: Msg<'pointer'>['from']): Msg<'pointer' | 'button' | 'wheel' | 'key' | 'key.combo'>[] {
  const s = { sessionId, display: 0, ...(from ? { from } : {}) };
  return [
    { t: 'pointer', ...s, x: px, y: py },
    { t: 'button', ...s, x: px, y: py, button: 'left', down: true },
    { t: 'button', ...s, x: px, y: py, button: 'left', down: false },
    { t: 'wheel', ...s, x: px, y: py, dx: 0, dy: 3 },
    ...['KeyQ', 'KeyZ', 'Enter'].flatMap((code) => [{ t: 'key' as const, ...s, code, down: true }, { t: 'key' as const, ...s, code, down: false }]),
    { t: 'key.combo', ...s, codes: ['ShiftLeft', 'KeyX'] },
  ];
}

test.before(async () => {
  try {
    w = await world({ key: { queue: { kind: 'general' } } });
    typed = join(w.tmp, 'typed.txt');
    w.procs.push(spawnX(w.xvfb.display, 'xterm', ['-bg', '#FF8010', '-geometry', '80x25+100+100', '-e', 'sh', '-c', `stty -echo; cat > ${typed}`]));
    await until(() => { try { return x(w.xvfb.display, 'xdotool', ['search', '--class', 'xterm']).trim() !== ''; } catch { return false; } }, 10_000, 'the xterm');
    x(w.xvfb.display, 'xdotool', ['mousemove', '300', '300']);
    await withAgent(w);
  } catch (e) { console.error('before failed:', e); throw e; }
});
test.after(async () => {
  await w?.teardown();
});

test('sanity: under the customer\'s control grant the rep\'s input does land (the path under attack works)', async () => {
  await windowApi(w.agent!.windowUrl).consent('control');
  oldGrant = await w.rep.waitFor<Msg<'grant'>>((m) => m.t === 'grant' && m.grant === 'control', 5000);
  w.rep.conn.send({ t: 'pointer', sessionId: w.sessionId, display: 0, x: 400, y: 250 });
  await until(() => { const p = mouseLocation(w.xvfb.display); return p.x === 400 && p.y === 250; }, 5000, 'the pointer at 400,250');
  // The xterm's tty hands a line to `cat` on Enter.
  for (const code of ['KeyA', 'Enter']) for (const down of [true, false]) w.rep.conn.send({ t: 'key', sessionId: w.sessionId, display: 0, code, down });
  await until(() => typedNow() === 'a\n', 5000, 'the keys typed');
});

test('after END SCREEN SHARE: a replayed old grant, forged newer epochs, input and refresh get nothing through', async () => {
  await windowApi(w.agent!.windowUrl).consent('none');
  await w.rep.waitFor((m) => m.t === 'grant' && m.grant === 'none', 5000);
  const screen = new RepScreen(w.rep, w.sessionId);
  const s = w.sessionId;
  // The captured control grant, byte for byte, and forged ones with later epochs.
  w.rep.conn.send(oldGrant);
  for (const epoch of [oldGrant.epoch + 1, oldGrant.epoch + 100, Number.MAX_SAFE_INTEGER]) w.rep.conn.send({ ...oldGrant, epoch });
  w.rep.conn.send({ t: 'frame.refresh', sessionId: s });
  for (const m of inputBurst(s, 700, 500)) w.rep.conn.send(m);
  await sleep(2000);
  screen.stop();
  assert.equal(mouseLocation(w.xvfb.display), { x: 400, y: 250 }, 'pointer untouched');
  assert.is(typedNow(), 'a\n', 'no key reached the xterm');
  assert.is(screen.frames.length, 0, 'no frame after END SCREEN SHARE');
  // The server refused the forged grants (only the agent announces grants) and the input.
  const errs = w.rep.messages.filter((m) => m.t === 'error');
  assert.ok(errs.some((m) => m.t === 'error' && m.code === 'forbidden' && m.ref === 'grant'), 'grant from a rep refused');
  assert.ok(errs.some((m) => m.t === 'error' && m.code === 'not_consented'), 'input refused by the server too');
  assert.not.ok(w.rep.messages.some((m) => m.t === 'grant' && m.grant !== 'none' && m.epoch > oldGrant.epoch), 'no forged grant was relayed');
});

test('under a view grant: frames flow, but replayed control grants don\'t turn viewing into control', async () => {
  await windowApi(w.agent!.windowUrl).consent('view');
  const view = await w.rep.waitFor<Msg<'grant'>>((m) => m.t === 'grant' && m.grant === 'view', 5000);
  assert.ok(view.epoch > oldGrant.epoch, 'every customer decision has a new epoch');
  const screen = new RepScreen(w.rep, w.sessionId);
  await until(() => screen.frames.length > 0, 10_000, 'frames under view');
  w.rep.conn.send(oldGrant);
  w.rep.conn.send({ ...oldGrant, epoch: view.epoch + 1 });
  for (const m of inputBurst(w.sessionId, 650, 450)) w.rep.conn.send(m);
  await sleep(2000);
  screen.stop();
  assert.equal(mouseLocation(w.xvfb.display), { x: 400, y: 250 }, 'pointer untouched under view');
  assert.is(typedNow(), 'a\n', 'no key under view');
});

test('input stamped with another actor (from) is re-stamped by the server: a rep can\'t speak as the customer or the system', async () => {
  // Still under view: input claiming to come from the agent itself or the system changes nothing.
  for (const from of [{ role: 'agent' as const, name: 'Customer agent' }, { role: 'system' as const, name: 'Bridge' }, { role: 'customer' as const, name: 'Customer' }]) {
    for (const m of inputBurst(w.sessionId, 600, 420, from)) w.rep.conn.send(m);
  }
  // Raw bytes too: a hand-made message with `from` the client can't be trusted with.
  w.rep.conn.send({ t: 'pointer', sessionId: w.sessionId, display: 0, x: 610, y: 430, from: { role: 'rep', id: 'someone-else', name: 'Other' } });
  await sleep(1500);
  assert.equal(mouseLocation(w.xvfb.display), { x: 400, y: 250 });
  assert.is(typedNow(), 'a\n');
});

test.run();
