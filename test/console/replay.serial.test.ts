// Recording replay, the whole journey in one browser: a real session under Xvfb with the real
// agent, recorded under policy `always` (a full picture every 2 s), while the customer's screen
// changes (root colour, a window appearing and going) and the customer chats. Then the rep opens
// it from History in Chromium: the replayed canvas at those moments is pixel-identical to the
// customer's screen captured then (solid colours travel losslessly), seeking into the middle and
// back shows the right picture and transcript, speeds play faster, the keyboard works, the WebM
// export gives a video file; a rep who may not see the record gets 403 and no Replay.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { newClientId, readRecords } from '../../protocol/index.ts';
import { RepScreen, screenPixel, sleep, startXterm, windowApi, withAgent, world, type World } from '../agent/harness.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { api, createRep, loginRep, until } from '../helpers/server.ts';
import { x } from '../helpers/xvfb.ts';

const SHOTS = process.env.BRIDGE_SHOTS ?? '/tmp';
const root = fileURLToPath(new URL('../..', import.meta.url));
const hex = (n: number) => `#${n.toString(16).padStart(6, '0')}`;

/** A moment of the session: server time, and the customer's screen at the sample points then. */
interface Moment { name: string; at: number; chat: string; pixels: { x: number; y: number; rgb: number }[] }

let w: World;
let tb: TestBrowser;
let page: Page;
const moments: Moment[] = [];
let startedAt = 0;

/** Where the window of the second moment is, and a point on the bare desktop. */
const WIN = { x: 300, y: 200 };
const DESK = { x: 30, y: 690 };

async function moment(name: string, screen: RepScreen, expect: { x: number; y: number; rgb: number }[]): Promise<void> {
  // The change has reached the rep (so the server relayed and recorded it); then the screen rests.
  await until(() => screen.image !== null && expect.every((p) => screen.pixel(p.x, p.y) === p.rgb), 15_000, `${name} at the rep`);
  await sleep(400);
  const chat = `now ${name}`;
  await w.customer.conn.sendReliable({ t: 'chat', sessionId: w.sessionId, id: newClientId(), text: chat });
  await sleep(200);
  const at = Date.now();
  const pixels = expect.map((p) => ({ x: p.x, y: p.y, rgb: screenPixel(w, p.x, p.y) }));
  moments.push({ name, at, chat, pixels });
  await sleep(600);
}

test.before(async () => {
  try {
    w = await world({ config: { recording: { policy: 'always', refreshSec: 2, retentionDays: 30 } } });
    await withAgent(w);
    const screen = new RepScreen(w.rep, w.sessionId);
    x(w.xvfb.display, 'xsetroot', ['-solid', '#2060c0']);
    await windowApi(w.agent!.windowUrl).consent('view');
    await moment('blue', screen, [{ ...DESK, rgb: 0x2060c0 }, { x: WIN.x + 40, y: WIN.y + 100, rgb: 0x2060c0 }]);
    x(w.xvfb.display, 'xsetroot', ['-solid', '#30a040']);
    const win = await startXterm(w, ['-bg', '#ff8010', '-geometry', `40x10+${WIN.x}+${WIN.y}`, '-e', 'sleep', '600']);
    await moment('green with a window', screen, [{ ...DESK, rgb: 0x30a040 }, { x: WIN.x + 40, y: WIN.y + 100, rgb: 0xff8010 }]);
    x(w.xvfb.display, 'xdotool', ['windowunmap', win]);
    x(w.xvfb.display, 'xsetroot', ['-solid', '#c03030']);
    await moment('red', screen, [{ ...DESK, rgb: 0xc03030 }, { x: WIN.x + 40, y: WIN.y + 100, rgb: 0xc03030 }]);
    await sleep(1500); // a refresh point after the last change
    screen.stop();
    w.rep.conn.send({ t: 'end', sessionId: w.sessionId });
    await w.customer.waitFor((m) => m.t === 'session' && m.session.state === 'ended', 10_000);
    const file = readFileSync(join(w.server.dataDir, 'recordings', `${w.sessionId}.brec`));
    startedAt = [...readRecords(file)][0].at;

    tb = await launchBrowser();
    page = await tb.browser.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    page.on('pageerror', (e) => console.error('page error:', e.message));
  } catch (e) { console.error('before failed:', e); throw e; }
});

test.after(async () => {
  await tb?.close();
  await w?.teardown();
});

const player = () => page.locator('.replay-player');

async function seekTo(ms: number): Promise<void> {
  await page.locator('.replay-seek input[type=range]').evaluate((el, v) => {
    (el as HTMLInputElement).value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, ms);
  await page.waitForFunction((v) => {
    const p = document.querySelector('.replay-player') as HTMLElement;
    return p.dataset.seeking === 'no' && Math.abs(Number(p.dataset.position) - v) <= 100;
  }, ms, { timeout: 10_000 });
}

function canvasPixel(px: number, py: number): Promise<number> {
  return page.evaluate(([cx, cy]) => {
    const c = document.querySelector('.replay-screen canvas') as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(cx, cy, 1, 1).data;
    return (d[0] << 16) | (d[1] << 8) | d[2];
  }, [px, py]);
}

async function expectMoment(m: Moment): Promise<void> {
  for (const p of m.pixels) {
    const got = await canvasPixel(p.x, p.y);
    assert.is(hex(got), hex(p.rgb), `${m.name}: replayed pixel at ${p.x},${p.y} is the customer's`);
  }
  const log = await page.locator('.replay-log').innerText();
  assert.ok(log.includes(m.chat), `${m.name}: the transcript shows "${m.chat}"`);
  for (const later of moments.filter((o) => o.at > m.at)) assert.not.ok(log.includes(later.chat), `${m.name}: not yet "${later.chat}"`);
}

test('the rep replays the recording from History: the picture at each moment is the customer screen then', async () => {
  await page.goto(`${w.server.url}/console/`);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(w.server.adminPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('tab', { name: 'History' }).click();
  await page.locator(`tr[data-session="${w.sessionId}"]`).click();
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  await player().waitFor();
  await page.waitForFunction(() => (document.querySelector('.replay-player') as HTMLElement).dataset.seeking === 'no');
  const markCount = await page.locator('.replay-marks .mark').count();
  assert.ok(markCount >= 1, 'the grant is marked on the timeline');
  // The player is labelled for screen readers (axe-core, the standard accessibility engine).
  // Evaluated through the DevTools protocol: the console's CSP allows no inline script.
  await page.evaluate(readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run(el: Element): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run(document.querySelector('.replay')!);
    return r.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
  });
  assert.equal(violations, [], 'no accessibility violations in the player');

  // Into the middle first, then back to the start, then forward: each picture as it was.
  const order = [moments[1], moments[0], moments[2], moments[1]];
  for (const m of order) {
    await seekTo(m.at - startedAt);
    await expectMoment(m);
  }
  await page.screenshot({ path: `${SHOTS}/bridge-replay-middle.png` });
});

test('play at ×8 goes eight times as fast to the end; space pauses, arrows seek', async () => {
  await seekTo(0);
  await page.getByRole('button', { name: '×8' }).click();
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => (document.querySelector('.replay-player') as HTMLElement).dataset.state === 'ended', undefined, { timeout: 15_000 });
  const wall = Date.now() - t0;
  const total = Number(await player().getAttribute('data-position'));
  assert.ok(wall < total / 3, `×8 played ${total} ms of recording in ${wall} ms`);
  await expectMoment(moments[2]);

  await seekTo(moments[0].at - startedAt);
  await page.getByRole('button', { name: '×1' }).click();
  await page.locator('.replay-seek input[type=range]').focus();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => (document.querySelector('.replay-player') as HTMLElement).dataset.state === 'playing');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => (document.querySelector('.replay-player') as HTMLElement).dataset.state === 'paused');
  const before = Number(await player().getAttribute('data-position'));
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((v) => Number((document.querySelector('.replay-player') as HTMLElement).dataset.position) >= v + 4900, before);
});

test('export: the recording as is, and a WebM video made in the browser', async () => {
  const brec = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download recording' }).click();
  const file = readFileSync(await (await brec).path());
  assert.equal(new Uint8Array(file), new Uint8Array(readFileSync(join(w.server.dataDir, 'recordings', `${w.sessionId}.brec`))), 'the .brec as stored');

  await page.getByLabel('Video speed').selectOption('8');
  const webm = page.waitForEvent('download', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Export video (WebM)' }).click();
  await page.locator('.replay-export progress').waitFor();
  const d = await webm;
  assert.match(d.suggestedFilename(), /\.webm$/);
  const video = readFileSync(await d.path());
  assert.ok(video.length > 1000, `a video of ${video.length} bytes`);
  assert.equal([...video.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'starts with the EBML magic');
  await page.getByRole('status').filter({ hasText: 'Video saved' }).waitFor();
});

test('a rep who may not see the record gets 403 and no Replay', async () => {
  const admin = await loginRep(w.server);
  await createRep(w.server, admin, { username: 'ben', password: 'ben-pass-1', name: 'Ben Other' });
  const ben = await loginRep(w.server, 'ben', 'ben-pass-1');
  assert.is((await api(w.server, 'GET', `/api/history/${w.sessionId}/recording`, undefined, { cookie: ben })).status, 403);
  assert.is((await api(w.server, 'GET', `/api/history/${w.sessionId}`, undefined, { cookie: ben })).status, 403);
  const list = await api(w.server, 'GET', '/api/history', undefined, { cookie: ben });
  assert.not.ok(list.body.sessions.some((s: { id: string }) => s.id === w.sessionId), 'not in his History');
  // In the console too: logged in as Ben, the session is not there to replay.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('User name').fill('ben');
  await page.getByLabel('Password').fill('ben-pass-1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('tab', { name: 'History' }).click();
  await page.locator('.history-list, .history .empty').first().waitFor();
  assert.is(await page.locator(`tr[data-session="${w.sessionId}"]`).count(), 0);
  assert.is(await page.getByRole('button', { name: 'Replay', exact: true }).count(), 0);
});

test.run();
