// The agent and a server that dies (docs/ARCHITECTURE.md "No loss" and "The agent"), real agent under Xvfb: kill -9 and a
// restart within the agent's grace period keep the customer's grant as it was (same epoch, no
// new prompt), frames and input resume; a server that stays gone ends the session cleanly and a
// packaged agent deletes itself and its temp files.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Msg } from '../../protocol/index.ts';
import { until } from '../helpers/server.ts';
import { mouseLocation } from '../helpers/xvfb.ts';
import { agentTempDirs, RepScreen, startAgent, windowApi, withAgent, world, type World } from '../agent/harness.ts';

let w: World | null = null;
test.after.each(async () => {
  await w?.teardown();
  w = null;
});

const lastGrant = (w: World) => w.rep.messages.filter((m): m is Msg<'grant'> => m.t === 'grant').at(-1);

test('kill -9 and restart within the grace: the grant survives unchanged, frames and input resume without a new prompt', async () => {
  w = await world();
  const agent = await withAgent(w, { BRIDGE_AGENT_SERVER_GRACE_MS: '30000' });
  await windowApi(agent.windowUrl).consent('control');
  const before = await w.rep.waitFor<Msg<'grant'>>((m) => m.t === 'grant' && m.grant === 'control', 10_000);
  w.rep.conn.send({ t: 'pointer', sessionId: w.sessionId, display: 0, x: 200, y: 150 });
  await until(() => { const p = mouseLocation(w!.xvfb.display); return p.x === 200 && p.y === 150; }, 5000, 'input before the restart');

  await w.server.kill9();
  await until(() => w!.rep.status === 'offline', 5000, 'the rep notices');
  const seen = w.rep.messages.length;
  await w.server.restart();
  await until(() => w!.rep.status === 'online', 15_000, 'the rep back');
  // The agent comes back by itself and re-announces the customer's grant as it was.
  await until(() => w!.rep.messages.slice(seen).some((m) => m.t === 'grant' && m.grant === 'control'), 20_000, 'the grant re-announced after the restart');
  const after = lastGrant(w)!;
  assert.is(after.epoch, before.epoch, 'same epoch: no new decision, no lost decision');
  assert.equal(after.reps, before.reps);
  assert.ok(agent.proc.exitCode === null, 'the agent kept running');
  // The window still shows the same grant (read, not re-decided).
  const state = await (await fetch(agent.windowUrl + 'state')).json() as { grant: string; epoch: number };
  assert.equal({ grant: state.grant, epoch: state.epoch }, { grant: 'control', epoch: before.epoch });

  // Frames on refresh, and input lands again.
  const screen = new RepScreen(w.rep, w.sessionId);
  w.rep.conn.send({ t: 'frame.refresh', sessionId: w.sessionId });
  await until(() => screen.frames.length > 0, 15_000, 'frames after the restart');
  screen.stop();
  await until(async () => {
    w!.rep.conn.send({ t: 'pointer', sessionId: w!.sessionId, display: 0, x: 640, y: 360 });
    await new Promise((r) => setTimeout(r, 100));
    const p = mouseLocation(w!.xvfb.display);
    return p.x === 640 && p.y === 360;
  }, 10_000, 'input after the restart');
});

test('the server stays gone: a packaged agent ends the session, drops sharing, deletes its temp files and itself', async () => {
  w = await world();
  const exe = join(w.tmp, `bridge-agent-${w.key}`);
  copyFileSync(process.execPath, exe);
  w.agent = await startAgent(w.server, w.key, w.xvfb.display, { tmp: w.tmp, exec: exe, args: [], env: { BRIDGE_AGENT_PACKAGED: '1', BRIDGE_AGENT_SERVER_GRACE_MS: '3000' } });
  await w.rep.waitFor((m) => m.t === 'sysinfo' && m.sessionId === w!.sessionId, 20_000);
  await windowApi(w.agent.windowUrl).consent('view');
  await w.rep.waitFor((m) => m.t === 'grant' && m.grant === 'view', 10_000);
  await w.server.kill9();
  const code = await Promise.race([w.agent.exited, new Promise((r) => setTimeout(() => r('timeout'), 30_000))]);
  assert.is(code, 0, w.agent.output());
  assert.match(w.agent.output(), /Screen sharing ended/, 'sharing was dropped before exit');
  await until(() => !existsSync(exe), 5000, 'the binary deleted');
  assert.equal(agentTempDirs(w.tmp), []);
});

test.run();
