// The packaged single-file agent (Node SEA from build-scripts/packaging) run the way a customer
// runs a download: named bridge-agent-<KEY>, no --key. It shares the screen after consent, serves
// its window from embedded files, and at the end exits 0, removes its temp files (extracted
// native addons included) and deletes itself.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../helpers/server.ts';
import { agentTempDirs, RepScreen, sleep, startAgent, startXterm, windowApi, world, type World } from '../agent/harness.ts';

let w: World | null = null;

test.after(async () => {
  await w?.teardown();
});

test('the downloaded agent shares after consent, then removes itself and its files', async () => {
  w = await world({ packagedAgent: true });
  await startXterm(w, ['-bg', '#FF8010', '-geometry', '40x10+200+150']);
  const exe = join(w.tmp, `bridge-agent-${w.key}`);
  copyFileSync(join(w.server.dataDir, 'agents', 'bridge-agent-linux-x64'), exe);
  w.agent = await startAgent(w.server, w.key, w.xvfb.display, { tmp: w.tmp, exec: exe, args: [], sea: true });
  await w.rep.waitFor((m) => m.t === 'sysinfo' && m.sessionId === w!.sessionId, 30_000);
  const page = await fetch(w.agent.windowUrl);
  assert.match(await page.text(), /app\.js/, 'the window comes from the embedded files');
  const screen = new RepScreen(w.rep, w.sessionId);
  await windowApi(w.agent.windowUrl).consent('view');
  await until(() => screen.frames.length > 0, 15_000, 'a frame');
  await sleep(500);
  await screen.settled();
  screen.stop();
  assert.is(screen.pixel(300, 200), 0xff8010);
  w.rep.conn.send({ t: 'end', sessionId: w.sessionId });
  assert.is(await w.agent.exited, 0, w.agent.output());
  assert.not.ok(existsSync(exe), 'the binary deleted itself');
  assert.equal(agentTempDirs(w.tmp), [], 'temp files and extracted addons removed');
});

test.run();
