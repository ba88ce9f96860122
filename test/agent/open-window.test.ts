// The agent window's launch: its size and place on the customer's screen, the flags that keep
// Chromium's warning bars away, and the environment that keeps its files in the agent's temp
// dir (the e2e journey test/packaged/leaves-no-trace.test.ts checks the files on a real run).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { browserArgs, browserEnv, windowGeometry } from '../../agent/window/host/open-browser.ts';

test('the window fits the screen: full height up to 860 px, at the top right', () => {
  assert.equal(windowGeometry({ x: 0, y: 0, w: 1920, h: 1080 }), { size: '480,860', position: '1424,48' });
  assert.equal(windowGeometry({ x: 0, y: 0, w: 1280, h: 720 }), { size: '480,624', position: '784,48' });
  // HiDPI: Chromium's window flags are in device-independent pixels.
  assert.equal(windowGeometry({ x: 0, y: 0, w: 2880, h: 1800, scale: 2 }), { size: '480,804', position: '944,48' });
  // A second monitor left of the primary one.
  assert.equal(windowGeometry({ x: 1920, y: 0, w: 1366, h: 768 }), { size: '480,672', position: '2790,48' });
  // A tiny screen: never larger than it.
  const small = windowGeometry({ x: 0, y: 0, w: 400, h: 400 });
  assert.equal(small.size, '368,400');
});

test('--no-sandbox only as root, and then --test-type, which keeps the "unsupported flag" bar away', () => {
  const user = browserArgs('http://127.0.0.1:1/t/', '/tmp/p', null, false);
  assert.not.ok(user.includes('--no-sandbox'));
  assert.not.ok(user.includes('--test-type'));
  const root = browserArgs('http://127.0.0.1:1/t/', '/tmp/p', null, true);
  assert.ok(root.includes('--no-sandbox') && root.includes('--test-type'));
  assert.ok(root.includes('--app=http://127.0.0.1:1/t/') && root.includes('--user-data-dir=/tmp/p'));
});

test("the browser's config, cache and temp dirs are the agent's; dconf writes nothing", () => {
  const env = browserEnv('/tmp/agent-x/browser', { HOME: '/home/c', PATH: '/usr/bin' });
  assert.is(env.HOME, '/home/c', 'the home stays (downloads, fonts, X authority)');
  assert.is(env.CHROME_CONFIG_HOME, '/tmp/agent-x/browser/config');
  assert.is(env.XDG_CONFIG_HOME, '/tmp/agent-x/browser/config');
  assert.is(env.XDG_DATA_HOME, '/tmp/agent-x/browser/data');
  assert.is(env.XDG_CACHE_HOME, '/tmp/agent-x/browser/cache');
  assert.is(env.TMPDIR, '/tmp/agent-x/browser');
  if (process.platform === 'linux') assert.is(env.GSETTINGS_BACKEND, 'memory');
});

test.run();
