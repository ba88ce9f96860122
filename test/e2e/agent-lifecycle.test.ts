// Session end, every way it happens, leaves nothing behind: the agent exits with 0 and its temp
// files are gone; a packaged agent (simulated with a copied node binary named like a download)
// takes its key from its own file name and deletes itself.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { encode, newClientId, PROTOCOL_VERSION } from '../../protocol/index.ts';
import { until } from '../helpers/server.ts';
import { agentTempDirs, RepScreen, screenPixel, sleep, startAgent, startXterm, windowApi, withAgent, world, type World } from '../agent/harness.ts';
import { agentWindow } from '../agent/app-window.ts';

let w: World | null = null;

test.after.each(async () => {
  await w?.teardown();
  w = null;
});

test('the rep ends the session: sharing stops, the agent exits 0 and removes its temp files', async () => {
  w = await world();
  const agent = await withAgent(w);
  assert.is(agentTempDirs(w.tmp).length, 1, 'a temp dir while running');
  await windowApi(agent.windowUrl).consent('view');
  await w.rep.waitFor((m) => m.t === 'grant' && m.grant === 'view', 10_000);
  w.rep.conn.send({ t: 'end', sessionId: w.sessionId, reason: 'done' });
  const code = await Promise.race([agent.exited, new Promise((r) => setTimeout(() => r('timeout'), 15_000))]);
  assert.is(code, 0, agent.output());
  assert.equal(agentTempDirs(w.tmp), []);
  assert.match(agent.output(), /Screen sharing ended/, 'sharing stopped before the exit');
});

test('closing the window ends the session after the reload grace', async () => {
  w = await world();
  const agent = await withAgent(w);
  const url = new URL('ws', agent.windowUrl);
  url.protocol = 'ws:';
  const ws = new WebSocket(url, { headers: { origin: new URL(agent.windowUrl).origin } });
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  ws.send(encode({ t: 'hello', v: PROTOCOL_VERSION, role: 'customer', credential: 'local' }));
  await new Promise((r) => ws.once('message', r));
  ws.close();
  await w.rep.waitFor((m) => m.t === 'session' && m.session.id === w!.sessionId && m.session.state === 'ended', 15_000);
  assert.is(await agent.exited, 0);
  assert.equal(agentTempDirs(w.tmp), []);
});

test('the app-mode browser window opens; closing it ends the session and removes its profile', async () => {
  w = await world();
  w.agent = await startAgent(w.server, w.key, w.xvfb.display, { tmp: w.tmp, browser: true, env: { BRIDGE_AGENT_WINDOW_GRACE_MS: '1000' } });
  await until(() => /window connected/.test(w!.agent!.output()), 60_000, 'the app window to connect');
  assert.match(w.agent.output(), /window: app-mode browser window/);
  // A nudge brings the window forward: cover it with an xterm, nudge, and it is on top again.
  await sleep(1000);
  const win = await agentWindow(w.xvfb.display);
  const [px, py] = [win.x + 100, win.y + 100];
  await startXterm(w, ['-bg', '#FF8010', '-geometry', `100x60+${win.x}+${win.y}`]);
  await until(() => screenPixel(w!, px, py) === 0xff8010, 10_000, 'the xterm over the window');
  await w.rep.conn.sendReliable({ t: 'nudge', sessionId: w.sessionId, id: newClientId() });
  await until(() => screenPixel(w!, px, py) !== 0xff8010, 10_000, 'the agent window raised by the nudge');
  // The customer closes the window: the browser (its profile is in the agent's temp dir) exits.
  const pids = execFileSync('pgrep', ['-o', '-f', '--', `user-data-dir=${w.tmp}`], { encoding: 'utf8' }).trim().split('\n').map(Number);
  for (const pid of pids) { try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ } }
  await w.rep.waitFor((m) => m.t === 'session' && m.session.id === w!.sessionId && m.session.state === 'ended', 20_000);
  assert.is(await w.agent.exited, 0, w.agent.output());
  assert.equal(agentTempDirs(w.tmp), []);
});

test('a server restart within the grace: the agent resumes and keeps sharing', async () => {
  w = await world();
  const agent = await withAgent(w);
  const screen = new RepScreen(w.rep, w.sessionId);
  try {
    await windowApi(agent.windowUrl).consent('view');
    await until(() => screen.frames.length > 0, 15_000, 'a frame');
    await w.server.kill9();
    await w.server.restart();
    await w.rep.ready;
    await until(() => w!.rep.status === 'online', 15_000, 'the rep back online');
    await until(() => w!.rep.messages.some((m) => m.t === 'session' && m.session.id === w!.sessionId && m.session.agentOnline), 20_000, 'the agent back');
    // A viewer that lost frames in the outage asks for the picture again, as the console does.
    const n = screen.frames.length;
    const ask = setInterval(() => w!.rep.conn.send({ t: 'frame.refresh', sessionId: w!.sessionId }), 1000);
    try {
      w.rep.conn.send({ t: 'frame.refresh', sessionId: w.sessionId });
      await until(() => screen.frames.length > n, 20_000, 'frames again after the restart');
    } finally {
      clearInterval(ask);
    }
    assert.is(agent.proc.exitCode, null, 'the agent is still running');
  } finally {
    screen.stop();
  }
});

test('the server gone past the grace period: the agent ends and cleans up', async () => {
  w = await world();
  const agent = await withAgent(w, { BRIDGE_AGENT_SERVER_GRACE_MS: '1500' });
  await windowApi(agent.windowUrl).consent('view');
  await w.rep.waitFor((m) => m.t === 'grant' && m.grant === 'view', 10_000);
  await w.server.kill9();
  const code = await Promise.race([agent.exited, new Promise((r) => setTimeout(() => r('timeout'), 20_000))]);
  assert.is(code, 0, agent.output());
  assert.match(agent.output(), /session ending/);
  assert.equal(agentTempDirs(w.tmp), []);
});

test('a packaged agent takes the key from its file name and deletes itself at the end', async () => {
  w = await world();
  const exe = join(w.tmp, `bridge-agent-${w.key}`);
  copyFileSync(process.execPath, exe);
  w.agent = await startAgent(w.server, w.key, w.xvfb.display, { tmp: w.tmp, exec: exe, args: [], env: { BRIDGE_AGENT_PACKAGED: '1' } });
  await w.rep.waitFor((m) => m.t === 'sysinfo' && m.sessionId === w!.sessionId, 20_000);
  w.rep.conn.send({ t: 'end', sessionId: w.sessionId });
  assert.is(await w.agent.exited, 0, w.agent.output());
  await until(() => !existsSync(exe), 3000, 'the binary deleted');
  assert.equal(agentTempDirs(w.tmp), []);
});

test.run();
