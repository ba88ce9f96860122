// The packaged single-file agent (Node SEA from build-scripts/packaging) run the way a customer
// runs a download: named bridge-agent-<KEY>, no --key. It shares the screen after consent, serves
// its window from embedded files, and at the end exits 0, removes its temp files (extracted
// native addons included) and deletes itself.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../helpers/server.ts';
import { agentTempDirs, RepScreen, sleep, startAgent, startXterm, windowApi, world, type World } from '../agent/harness.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
let w: World | null = null;
let out = '';

test.before(async () => {
  // Package once for this machine (the base Node binary comes from the npm registry, cached).
  out = mkdtempSync(join(tmpdir(), 'bridge-pkg-'));
  execFileSync(process.execPath, ['--import', 'tsx', 'build-scripts/package-agent.ts', '--server-url', 'http://127.0.0.1:9', '--platform', 'linux-x64', '--out', out], { cwd: root, stdio: 'ignore', timeout: 300_000 });
});

test.after(async () => {
  await w?.teardown();
  rmSync(out, { recursive: true, force: true });
});

test('the downloaded agent shares after consent, then removes itself and its files', async () => {
  w = await world();
  await startXterm(w, ['-bg', '#FF8010', '-geometry', '40x10+200+150']);
  const exe = join(w.tmp, `bridge-agent-${w.key}`);
  copyFileSync(join(out, 'bridge-agent-linux-x64'), exe);
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
