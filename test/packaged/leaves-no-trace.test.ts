// Leave no trace (docs/ARCHITECTURE.md, agent runtime "Ends"): the packaged agent, downloaded
// into the customer's Downloads, run with its real browser window under Xvfb, sharing, ended by
// the rep, window closed by the customer. Afterwards the customer's home, runtime dir and temp
// dir hold exactly what they held before, less the downloaded file (which deletes itself).
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../helpers/server.ts';
import { x } from '../helpers/xvfb.ts';
import { agentWindow, closeWithKeyboard, saveScreenshot, stopAgent } from '../agent/app-window.ts';
import { RepScreen, sleep, startAgent, startXterm, windowApi, world, type World } from '../agent/harness.ts';

let w: World | null = null;
let home = '';

test.after(async () => {
  await stopAgent(w?.agent ?? null);
  await w?.teardown();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** Every file and folder under root, as paths relative to it (folders end in /). */
function tree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      out.push(relative(root, p) + (e.isDirectory() ? '/' : ''));
      if (e.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out.sort();
}

test('a whole session with the packaged agent and its window leaves nothing behind', async () => {
  // The server serves the agent built for its own origin, as after `npm start`.
  w = await world({ packagedAgent: true });
  await startXterm(w, ['-bg', '#FF8010', '-geometry', '40x10+100+150']);

  // A customer's home as a desktop session has it: a runtime dir, a Downloads folder.
  home = mkdtempSync(join(tmpdir(), 'bridge-home-'));
  const runtime = join(home, 'run');
  mkdirSync(runtime, { mode: 0o700 });
  mkdirSync(join(home, 'Downloads'));
  const res = await fetch(`${w.server.url}/download/${w.key}/linux-x64`);
  assert.is(res.status, 200);
  const exe = join(home, 'Downloads', `bridge-agent-${w.key}`);
  writeFileSync(exe, Buffer.from(await res.arrayBuffer()));
  chmodSync(exe, 0o755);

  const roots = { home, tmp: w.tmp };
  const snapshot = () => Object.entries(roots).flatMap(([name, root]) => tree(root).map((p) => `${name}/${p}`));
  const before = snapshot();

  w.agent = await startAgent(w.server, w.key, w.xvfb.display, {
    tmp: w.tmp, exec: exe, args: [], sea: true, browser: true,
    env: { HOME: home, XDG_RUNTIME_DIR: runtime, BRIDGE_AGENT_WINDOW_GRACE_MS: '500' },
  });
  await w.rep.waitFor((m) => m.t === 'sysinfo' && m.sessionId === w!.sessionId, 30_000);
  const win = await agentWindow(w.xvfb.display);
  await until(() => /window connected/.test(w!.agent!.output()), 30_000, 'the window page connected');
  await sleep(1500); // let the page paint
  saveScreenshot(w.xvfb.display, 'trace-window');
  // The window fits the screen (the world's Xvfb is 1280×720) at the size the agent asked for.
  assert.equal({ w: win.w, h: win.h }, { w: 480, h: 624 }, JSON.stringify(win));
  assert.ok(win.x >= 0 && win.y >= 0 && win.x + win.w <= w.xvfb.width && win.y + win.h <= w.xvfb.height, JSON.stringify(win));

  // The customer opens "Send a file" (Tab from the message box) and cancels: GTK's file chooser
  // writes into the XDG config and data dirs.
  const visible = () => { try { return x(w!.xvfb.display, 'xdotool', ['search', '--onlyvisible', '--name', '.']).trim().split('\n').filter(Boolean); } catch { return []; } };
  const shown = visible();
  x(w.xvfb.display, 'xdotool', ['windowfocus', win.id]);
  x(w.xvfb.display, 'xdotool', ['key', 'Tab', 'space']);
  let chooser = '';
  await until(() => Boolean(chooser = visible().find((id) => !shown.includes(id)) ?? ''), 10_000, 'the file chooser');
  await sleep(1000);
  saveScreenshot(w.xvfb.display, 'trace-file-chooser');
  x(w.xvfb.display, 'xdotool', ['key', 'Escape']);
  await until(() => !visible().includes(chooser), 10_000, 'the file chooser closed');

  const screen = new RepScreen(w.rep, w.sessionId);
  await windowApi(w.agent.windowUrl).consent('view');
  await until(() => screen.frames.length > 0, 15_000, 'a frame at the rep');
  await screen.settled();
  screen.stop();

  w.rep.conn.send({ t: 'end', sessionId: w.sessionId });
  await until(() => /session ending/.test(w!.agent!.output()), 10_000, 'the agent hears the end');
  await sleep(1000); // the window shows the end; the customer reads it, then closes the window
  closeWithKeyboard(w.xvfb.display, win.id);
  assert.is(await w.agent.exited, 0, w.agent.output());
  await sleep(500); // browser helpers that outlive the agent by a moment would still be writing

  // Nothing in the customer's terminal but the agent's own lines (no Node deprecation noise).
  assert.not.match(w.agent.output(), /DeprecationWarning|punycode/, w.agent.output());

  const after = snapshot();
  const added = after.filter((p) => !before.includes(p));
  assert.equal(added, [], `new files after the session:\n${added.join('\n')}`);
  assert.not.ok(after.includes(`home/Downloads/bridge-agent-${w.key}`), 'the agent deleted itself');
});

test.run();
