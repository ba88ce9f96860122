// The whole chain of a screen-sharing session, real parts only (docs/ARCHITECTURE.md "Testing with real parts"), for the end-to-end
// benches: Xvfb 1920×1080, the bridge server, a customer in the chat (WebSocket), the rep console
// in headless Chromium (logged in, session accepted, viewer open), and the real agent granted
// `view` through its local window API. teardown() removes all of it, also after a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildApps } from '../../build-scripts/build.ts';
import { startAgent, windowApi, type AgentProc } from '../../test/agent/harness.ts';
import { launchBrowser, type TestBrowser } from '../../test/helpers/browser.ts';
import { linkProxy, parseLink } from './link-proxy.ts';
import { agentKey, createKey, joinSession, loginRep, startServer, wsClient, type TestClient, type TestServer } from '../../test/helpers/server.ts';
import { startXvfb, type Xvfb } from '../../test/helpers/xvfb.ts';
import { probeInit } from './probe.ts';
import { XDisplay } from './x.ts';

export const W = 1920, H = 1080;

export interface ScreenWorld {
  xvfb: Xvfb;
  x: XDisplay;
  server: TestServer;
  page: Page;
  agent: AgentProc;
  sessionId: string;
  /** The rep's session cookie (admin), for more rep connections. */
  cookie: string;
  /** A private temp dir, removed by teardown. */
  tmp: string;
  /** Starts an X client on the customer's display (killed by teardown). */
  spawnX(cmd: string, args: string[]): ChildProcess;
  teardown(): Promise<void>;
}

/** The world, set up again once if it failed (a display number taken by a parallel test run, a slow start). */
export async function screenWorld(opts: { config?: object } = {}): Promise<ScreenWorld> {
  try {
    return await buildWorld(opts);
  } catch (e) {
    console.error(`screen world set-up failed, once more: ${(e as Error).message}`);
    return buildWorld(opts);
  }
}

async function buildWorld(opts: { config?: object }): Promise<ScreenWorld> {
  const tmp = mkdtempSync(join(tmpdir(), 'bridge-bench-'));
  const procs: ChildProcess[] = [];
  const closers: (() => Promise<void>)[] = [];
  let xvfb: Xvfb | undefined, x: XDisplay | undefined, server: TestServer | undefined, tb: TestBrowser | undefined, agent: AgentProc | undefined, customer: TestClient | undefined;
  const teardown = async () => {
    await agent?.kill().catch(() => {});
    try { customer?.close(); } catch { /* closed */ }
    await tb?.close().catch(() => {});
    for (const c of closers) await c().catch(() => {});
    for (const p of procs) { try { p.kill('SIGKILL'); } catch { /* gone */ } }
    x?.close();
    await server?.stop().catch(() => {});
    await xvfb?.stop().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await buildApps({ quiet: true }); // the server serves the console from dist/
    xvfb = await startXvfb(W, H);
    const display = xvfb.display;
    x = await XDisplay.open(display);
    server = await startServer({ config: opts.config ?? {} });
    tb = await launchBrowser();
    const page = await tb.browser.newPage();
    await page.setViewportSize({ width: 1600, height: 1000 });
    page.on('pageerror', (e) => console.error('console page error:', e.message));
    // tsx may wrap named functions in __name(); the page has no such helper.
    await page.addInitScript({ content: `var __name = (f) => f; (${probeInit.toString()})();` });

    // BENCH_LINK=512k/100: the console reaches the server through a shaped link (link-proxy.ts).
    const shape = parseLink(process.env.BENCH_LINK);
    let consoleUrl = server.url;
    if (shape) {
      const u = new URL(server.url);
      const proxy = await linkProxy({ host: u.hostname, port: Number(u.port) }, shape);
      closers.push(() => proxy.close());
      consoleUrl = `${u.protocol}//127.0.0.1:${proxy.port}`;
    }
    await page.goto(`${consoleUrl}/console/`);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(server.adminPassword);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('.conn.online').waitFor();

    const cookie = await loginRep(server);
    const k = await createKey(server, cookie);
    const joined = await joinSession(server, k.key, 'customer', 'Bench Customer');
    customer = wsClient(server, 'customer', joined.token);
    await customer.ready;
    await page.locator(`tr[data-session="${k.sessionId}"] button.accept`).click();
    await page.locator(`.session[data-session="${k.sessionId}"]`).waitFor();

    agent = await startAgent(server, await agentKey(server, joined.token), display, { tmp });
    await page.getByText('System information').waitFor({ timeout: 30_000 });
    await windowApi(agent.windowUrl).consent('view');
    await page.locator('[data-grant="view"]').waitFor();
    await page.waitForFunction(([w, h]) => { const c = document.querySelector<HTMLCanvasElement>('canvas.screen'); return !!c && c.width === w && c.height === h; }, [W, H], { timeout: 30_000 });
    const X = x, srv = server, xv = xvfb, ag = agent;
    return {
      xvfb: xv, x: X, server: srv, page, agent: ag, sessionId: k.sessionId, cookie, tmp, teardown,
      spawnX(cmd, args) {
        const p = spawn(cmd, args, { env: { ...process.env, DISPLAY: display }, stdio: 'ignore' });
        p.on('error', () => {});
        procs.push(p);
        return p;
      },
    };
  } catch (e) {
    await teardown();
    throw e;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until fn() is true (polling), or throws naming what. */
export async function until(fn: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await fn()) return; await sleep(20); }
  throw new Error(`timed out waiting for ${what}`);
}

/** The X window id of the newest window with this exact title (xdotool search). */
export async function findWindow(display: string, name: string): Promise<number> {
  const { execFileSync } = await import('node:child_process');
  let id = 0;
  await until(() => {
    try {
      const out = execFileSync('xdotool', ['search', '--name', `^${name}$`], { env: { ...process.env, DISPLAY: display }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
      id = Number(out[out.length - 1]);
      return id > 0;
    } catch { return false; }
  }, 20_000, `window ${name}`);
  return id;
}
