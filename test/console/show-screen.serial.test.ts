// Show My Screen in real browsers: the rep's console runs headed in Chromium on an Xvfb display and
// shares that display (getDisplayMedia picks the entire screen by itself there), with a green
// xterm on it; the customer's web chat (headless Chromium) decodes the VP8 chunks onto its canvas,
// and the green is where the xterm is. The customer closes the view, the console says so, and both
// transcripts have the start and the close. (The agent window shows the same component over the
// agent's relay; test/server/rep-screen.test.ts drives that relay against the real server.)
import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { axeFindings, describeFindings } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { createKey, loginRep, startServer, type TestServer } from '../helpers/server.ts';
import { startXvfb, type Xvfb } from '../helpers/xvfb.ts';

const W = 1280;
const H = 800;
/** The xterm: its outer box on the X screen (geometry in pixels via -geometry with a font of known size is fiddly, so it is measured). */
let term = { x: 0, y: 0, w: 0, h: 0 };
let xvfb: Xvfb;
let xterm: ChildProcess;
let server: TestServer;
let repBrowser: TestBrowser;
let custBrowser: TestBrowser;
let rep: Page;
let cust: Page;
let sessionId = '';
const shot = (p: Page, name: string) => p.screenshot({ path: `/tmp/show-screen-${name}.png` }).catch(() => {});

test.before(async () => {
  try {
    xvfb = await startXvfb(W, H);
    xterm = spawn('xterm', ['-bg', '#00c000', '-geometry', '40x12+60+80'], { env: { ...process.env, DISPLAY: xvfb.display }, stdio: 'ignore' });
    server = await startServer({ config: { agreement: null, companyName: 'Acme' } });
    // The console's window sits right of the xterm, so the capture shows the green unobstructed.
    [repBrowser, custBrowser] = await Promise.all([
      launchBrowser({
        headless: false,
        env: { DISPLAY: xvfb.display },
        // Not --use-fake-ui-for-media-stream: with it the screen source fails to start (NotReadableError).
        args: ['--auto-select-desktop-capture-source=Entire screen', `--window-position=${W / 2},0`, `--window-size=${W / 2},${H}`],
      }),
      launchBrowser(),
    ]);
    rep = await repBrowser.browser.newPage();
    cust = await custBrowser.browser.newPage();
    for (const p of [rep, cust]) {
      p.on('pageerror', (e) => console.error('page error:', e.message));
      p.on('console', (m) => { if (m.type() === 'error') console.error('console:', m.text()); });
    }
    term = await measureXterm();
  } catch (e) { console.error('before failed:', e); throw e; }
});

test.after(async () => {
  await repBrowser?.close();
  await custBrowser?.close();
  xterm?.kill();
  await server?.stop();
  await xvfb?.stop();
});

async function measureXterm(): Promise<typeof term> {
  const { execFileSync } = await import('node:child_process');
  const env = { ...process.env, DISPLAY: xvfb.display };
  for (let i = 0; i < 50; i++) {
    try {
      const id = execFileSync('xdotool', ['search', '--class', 'xterm'], { env, encoding: 'utf8' }).trim().split('\n')[0];
      const g = execFileSync('xdotool', ['getwindowgeometry', '--shell', id], { env, encoding: 'utf8' });
      const n = (k: string) => Number(new RegExp(`${k}=(\\d+)`).exec(g)?.[1]);
      return { x: n('X'), y: n('Y'), w: n('WIDTH'), h: n('HEIGHT') };
    } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  throw new Error('the xterm did not appear');
}

test('the rep shows their screen: the customer sees the green window where it is on the rep\'s screen', async () => {
  const cookie = await loginRep(server);
  const k = await createKey(server, cookie);
  sessionId = k.sessionId;
  await cust.goto(`${server.url}/s/${k.accessKey}`);
  await cust.getByLabel('Your name').fill('Henry Customer');
  await cust.getByRole('button', { name: 'Start' }).click();

  await rep.goto(`${server.url}/console/`);
  await rep.getByLabel('User name').fill('admin');
  await rep.getByLabel('Password').fill(server.adminPassword);
  await rep.getByRole('button', { name: 'Log in' }).click();
  await rep.locator(`tr[data-session="${sessionId}"] button.accept`).click();
  await rep.locator(`.session[data-session="${sessionId}"]`).waitFor();

  await rep.getByRole('button', { name: 'Show my screen' }).click();
  try {
    await rep.locator('.show-screen-state [data-state="sharing"]', { hasText: 'the customer is watching' }).waitFor({ timeout: 10_000 });
  } catch (e) {
    await shot(rep, 'rep-failed');
    await shot(cust, 'customer-failed');
    console.error('console tools:', await rep.locator('section.tools').innerText().catch(() => '?'));
    throw e;
  }
  const canvas = cust.getByRole('img', { name: "Administrator's screen (view only)" });
  await canvas.waitFor();
  // The picture is the whole X screen, scaled to the canvas: the xterm's middle is green.
  const at = { x: (term.x + term.w / 2) / W, y: (term.y + term.h / 2) / H };
  const outside = { x: 0.02, y: 0.97 }; // the bare root window: black
  await cust.waitForFunction(({ at }) => {
    const c = document.querySelector<HTMLCanvasElement>('.rep-screen-canvas');
    if (!c || c.width < 2) return false;
    const [r, g, b] = c.getContext('2d')!.getImageData(Math.floor(at.x * c.width), Math.floor(at.y * c.height), 1, 1).data;
    return g > 150 && r < 60 && b < 60;
  }, { at }, { timeout: 10_000 });
  const px = await cust.evaluate(({ at, outside }) => {
    const c = document.querySelector<HTMLCanvasElement>('.rep-screen-canvas')!;
    // (No named helper in here: tsx would wrap it in a __name() the page doesn't have.)
    const [green, out] = [at, outside].map((p) => [...c.getContext('2d')!.getImageData(Math.floor(p.x * c.width), Math.floor(p.y * c.height), 1, 1).data.slice(0, 3)]);
    return { size: [c.width, c.height], green, outside: out };
  }, { at, outside });
  await shot(rep, 'rep');
  await shot(cust, 'customer');
  assert.equal(px.size, [W, H], 'the whole screen at its size');
  assert.ok(px.outside[1] < 100, `outside the xterm is not green: ${px.outside}`);
  assert.ok(await cust.locator('.log li', { hasText: 'Administrator started showing their screen.' }).count() === 1);
  // Both sides as a screen reader meets them while the screen is shown.
  for (const p of [cust, rep]) {
    const findings = await axeFindings(p);
    assert.equal(findings, [], describeFindings(findings));
  }
});

test('the customer closes the view: the rep\'s console says so and stops; both transcripts have start and close', async () => {
  await cust.getByRole('button', { name: 'Close view' }).click();
  await rep.locator('.show-screen-state [data-state="ended"]', { hasText: 'The customer closed the view of your screen.' }).waitFor();
  await rep.getByRole('button', { name: 'Show my screen' }).waitFor();
  await cust.locator('.log li', { hasText: "The customer closed the view of Administrator's screen." }).waitFor();
  assert.is(await cust.locator('.rep-screen').count(), 0);
  await rep.locator('li.sys', { hasText: "The customer closed the view of Administrator's screen." }).first().waitFor();
  const t = await cust.evaluate(async (id) => {
    const token = JSON.parse(sessionStorage.getItem('bridge.chat')!).token;
    return (await fetch(`/api/sessions/${id}/transcript?format=json`, { headers: { authorization: `Bearer ${token}` } })).json();
  }, sessionId);
  const codes = JSON.stringify(t);
  assert.ok(codes.includes('repscreen.started') && codes.includes('repscreen.closed'), 'the stored transcript has both lines');
  await shot(rep, 'rep-ended');
  await shot(cust, 'customer-closed');
});

test.run();
