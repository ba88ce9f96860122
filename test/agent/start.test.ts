// Starting the agent: --help and --version, and a clear message (before any native module
// loads) when there is no display to share.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeEntry } from '../helpers/bundles.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
function agent(args: string[], env: Record<string, string | undefined>) {
  const e = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete e[k];
  return spawnSync(process.execPath, [...nodeEntry('agent'), ...args], { cwd: root, env: e, encoding: 'utf8', timeout: 30_000 });
}

test('--version and --help', () => {
  const v = agent(['--version'], {});
  assert.is(v.status, 0);
  assert.match(v.stdout, /^bridge-agent \d+\.\d+\.\d+/);
  const h = agent(['--help'], {});
  assert.is(h.status, 0);
  assert.match(h.stdout, /--key KEY/);
  assert.is(agent(['--bogus'], {}).status, 2);
});

test('no DISPLAY: says so, exits without touching nut-js', () => {
  const r = agent(['--server', 'http://127.0.0.1:9', '--key', 'XRR5363'], { DISPLAY: undefined, WAYLAND_DISPLAY: undefined });
  assert.is(r.status, 3);
  assert.match(r.stderr, /No graphical display found \(DISPLAY is not set\)/);
  const wl = agent(['--server', 'http://127.0.0.1:9', '--key', 'XRR5363'], { DISPLAY: undefined, WAYLAND_DISPLAY: 'wayland-0' });
  assert.match(wl.stderr, /Wayland session without XWayland/);
});

test('a DISPLAY whose X server does not answer: says so', () => {
  const r = agent(['--server', 'http://127.0.0.1:9', '--key', 'XRR5363'], { DISPLAY: ':987' });
  assert.is(r.status, 3);
  assert.match(r.stderr, /Cannot open the X display :987/);
  assert.not.match(r.stderr, /Segmentation|SIGSEGV/);
});

test.run();
