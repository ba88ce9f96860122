// The world a journey runs in: a real server whose download route serves the real packaged agent
// (built for this server's origin), a private X display that is the customer's desktop, Debian's
// Chromium for the rep's console and the customer's browser chat, and a customer home directory.
// Journeys drive these the way people do and check what each person sees; every step leaves a
// screenshot in artifacts/journeys/ (kept by CI), so a failing step shows where it went wrong.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { buildApps } from '../../build-scripts/build.ts';
import { axeFindings, describeFindings } from '../helpers/axe.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { startServer, until, type TestServer } from '../helpers/server.ts';
import { startXvfb, type Xvfb } from '../helpers/xvfb.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = join(root, 'artifacts', 'journeys');

export interface AgentRun {
  proc: ChildProcess;
  file: string;
  windowUrl: string;
  output(): string;
  exited: Promise<number | null>;
}

export interface JourneyWorld {
  name: string;
  server: TestServer;
  xvfb: Xvfb;
  /** The customer's home directory and temp dir (the agent runs with these). */
  home: string;
  tmp: string;
  rep: Page;
  customer: Page;
  /** The agent's window as the customer sees it (its real window opens on the X display too). */
  agentWindow: Page | null;
  agent: AgentRun | null;
  /** Runs one step; on failure, screenshots of every page and of the X screen are kept. */
  step<T>(title: string, fn: () => Promise<T>): Promise<T>;
  newPage(viewport: { width: number; height: number }): Promise<Page>;
  teardown(): Promise<void>;
}

export const AGENT_WINDOW = { width: 480, height: 720 };

export async function journeyWorld(name: string, opts: { config?: object; agent?: boolean } = {}): Promise<JourneyWorld> {
  await buildApps({ quiet: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'bridge-journey-'));
  const tmp = mkdtempSync(join(tmpdir(), 'bridge-customer-tmp-'));
  const home = mkdtempSync(join(tmpdir(), 'bridge-customer-home-'));
  mkdirSync(join(home, 'Downloads'));
  const server = await startServer({ dataDir, config: opts.config ?? {}, packagedAgent: opts.agent !== false });
  const xvfb = await startXvfb(1280, 800).catch(async (e) => { await server.stop(); throw e; });
  const browsers: TestBrowser[] = [];
  let stepNo = 0;

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    // One browser per person: the rep's cookie and the customer's storage never mix.
    const tb = await launchBrowser();
    browsers.push(tb);
    const page = await (tb.browser as unknown as { newPage(): Promise<Page> }).newPage();
    await page.setViewportSize(viewport);
    page.setDefaultTimeout(15_000);
    return page;
  }

  let rep: Page, customer: Page;
  try {
    rep = await newPage({ width: 1280, height: 800 });
    customer = await newPage({ width: 1280, height: 800 });
  } catch (e) {
    for (const b of browsers) await b.close();
    await server.stop();
    await xvfb.stop();
    throw e;
  }
  const w: JourneyWorld = {
    name, server, xvfb, home, tmp, rep, customer,
    agentWindow: null,
    agent: null,
    newPage,
    async step(title, fn) {
      stepNo++;
      const tag = `${name}-${String(stepNo).padStart(2, '0')}-${title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
      try {
        const out = await fn();
        if (process.env.JOURNEY_SHOTS === 'all') await shots(tag);
        await accessible();
        return out;
      } catch (e) {
        await shots(`${tag}-FAILED`).catch(() => {});
        (e as Error).message = `step "${title}": ${(e as Error).message}`;
        throw e;
      }
    },
    async teardown() {
      if (w.agent && w.agent.proc.exitCode === null) w.agent.proc.kill('SIGKILL');
      for (const b of browsers) await b.close();
      await server.stop().catch(() => {});
      await xvfb.stop();
      for (const d of [tmp, home, dataDir]) rmSync(d, { recursive: true, force: true });
    },
  };

  // Every screen a step leaves behind passes axe (serious and critical findings fail the step);
  // a page whose content hasn't changed since its last check isn't checked again.
  const checked = new Map<Page, string>();
  async function accessible(): Promise<void> {
    const pages: Array<[string, Page | null]> = [['rep', w.rep], ['customer', w.customer], ['agent window', w.agentWindow]];
    for (const [who, page] of pages) {
      if (!page || page.isClosed() || page.url() === 'about:blank') continue;
      const print = await page.evaluate('location.href + "|" + document.body.innerHTML.length + "|" + document.body.innerText.slice(0, 4000)').catch(() => null) as string | null;
      if (print === null || checked.get(page) === print) continue;
      checked.set(page, print);
      const found = await axeFindings(page);
      if (found.length > 0) throw new Error(`axe on the ${who}'s screen:\n${describeFindings(found)}`);
    }
  }

  async function shots(tag: string): Promise<void> {
    const pages: Array<[string, Page | null]> = [['rep', w.rep], ['customer', w.customer], ['agent-window', w.agentWindow]];
    for (const [who, page] of pages) if (page && !page.isClosed()) await page.screenshot({ path: join(ARTIFACTS, `${tag}-${who}.png`) }).catch(() => {});
    if (tag.endsWith('FAILED')) {
      writeFileSync(join(ARTIFACTS, `${tag}-server.log`), server.output());
      if (w.agent) writeFileSync(join(ARTIFACTS, `${tag}-agent.log`), w.agent.output());
    }
    try {
      execFileSync('import', ['-window', 'root', join(ARTIFACTS, `${tag}-desktop.png`)], { env: { ...process.env, DISPLAY: xvfb.display }, stdio: 'ignore', timeout: 10_000 });
    } catch { /* a screenshot is a help, not the test */ }
  }
  return w;
}

// ---- what a person sees

/** The element is inside the viewport (a person sees it without scrolling). */
export async function inView(page: Page, target: Locator, what: string): Promise<void> {
  await target.waitFor({ state: 'visible', timeout: 15_000 });
  const box = await target.boundingBox();
  const vp = page.viewportSize()!;
  if (!box) throw new Error(`${what}: not rendered`);
  if (box.y < 0 || box.x < 0 || box.y + Math.min(box.height, 40) > vp.height || box.x + box.width > vp.width + 1) {
    throw new Error(`${what} is outside the viewport: box ${JSON.stringify(box)}, viewport ${vp.width}×${vp.height}`);
  }
}

/** Keyboard focus is inside the element, or it (or an ancestor) is announced to screen readers. */
export async function focusedOrAnnounced(target: Locator, what: string): Promise<void> {
  const ok = await target.evaluate((el) => {
    if (el.contains(document.activeElement)) return true;
    for (let n: Element | null = el; n; n = n.parentElement) {
      const role = n.getAttribute('role');
      if (role === 'alert' || role === 'alertdialog' || role === 'status' || n.hasAttribute('aria-live')) return true;
    }
    return false;
  });
  if (!ok) throw new Error(`${what} neither has the focus nor is announced`);
}

/** What a person needs to answer: in view, and focused or announced. */
export async function promptShown(page: Page, target: Locator, what: string): Promise<void> {
  await inView(page, target, what);
  await focusedOrAnnounced(target, what);
}

// ---- the people's steps

export async function repLogsIn(w: JourneyWorld): Promise<void> {
  const page = w.rep;
  await page.goto(`${w.server.url}/console/`);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(w.server.adminPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('.conn.online').waitFor();
}

/** The rep generates a key in the console and reads it out. */
export async function repGeneratesKey(w: JourneyWorld): Promise<string> {
  const page = w.rep;
  await page.getByRole('button', { name: 'Generate session key' }).click();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const key = (await page.locator('.session-key').textContent())!.trim();
  await page.getByRole('button', { name: 'Close' }).click();
  return key;
}

/** The customer types the key on the portal and answers what the site asks before the chat. */
export async function customerJoins(w: JourneyWorld, key: string, name = 'Dana Customer'): Promise<void> {
  const page = w.customer;
  await page.goto(`${w.server.url}/`);
  await page.fill('#session-key', key);
  await page.click('button:text-is("Start")');
  const nameField = page.getByLabel('Your name');
  const agreement = page.locator('.agreement');
  await Promise.race([nameField.waitFor({ timeout: 10_000 }), agreement.waitFor({ timeout: 10_000 }), page.locator('#chat-input').waitFor({ timeout: 10_000 })]);
  if (await nameField.isVisible()) {
    await nameField.fill(name);
    await page.keyboard.press('Enter');
  }
  if (await agreement.isVisible().catch(() => false) || (await agreement.waitFor({ timeout: 3000 }).then(() => true, () => false))) {
    await promptShown(page, agreement, 'the agreement');
    await agreement.getByRole('button', { name: 'Accept' }).click();
  }
  await page.locator('#chat-input').waitFor();
}

export async function repAccepts(w: JourneyWorld): Promise<string> {
  const page = w.rep;
  const row = page.locator('section.queue tr[data-session]').first();
  await row.waitFor();
  const sessionId = (await row.getAttribute('data-session'))!;
  await row.locator('button.accept').click();
  await page.locator(`.session[data-session="${sessionId}"]`).waitFor();
  return sessionId;
}

/** The customer downloads the agent from the chat (as the browser saves it) and runs it. */
export async function customerRunsAgent(w: JourneyWorld): Promise<AgentRun> {
  const page = w.customer;
  const link = page.locator('.screenshare a.button');
  await link.waitFor();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), link.click()]);
  const file = join(w.home, 'Downloads', download.suggestedFilename());
  await download.saveAs(file);
  chmodSync(file, 0o755); // "chmod +x bridge-agent-KEY", as the run steps say
  const proc = spawn(file, [], {
    cwd: join(w.home, 'Downloads'),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DISPLAY: w.xvfb.display, HOME: w.home, TMPDIR: w.tmp, LANG: 'C.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  await until(() => /Agent window: (\S+)/.test(out) || proc.exitCode !== null, 60_000, 'the agent window address');
  const m = /Agent window: (\S+)/.exec(out);
  if (!m) throw new Error(`the agent did not start:\n${out}`);
  w.agent = { proc, file, windowUrl: m[1], output: () => out, exited };
  const win = await w.newPage(AGENT_WINDOW);
  await win.goto(m[1]);
  await win.waitForSelector('html[data-ready="1"]');
  w.agentWindow = win;
  return w.agent;
}

/** The agent's exit code, or a failure naming what it printed when it doesn't exit in time. */
export async function agentExit(w: JourneyWorld, ms = 20_000): Promise<number | null> {
  const agent = w.agent!;
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the agent did not exit within ${ms} ms:\n${agent.output().slice(-2000)}`)), ms).unref());
  return Promise.race([agent.exited, timeout]);
}

/** Every file under a directory, relative to it (for "the agent left nothing behind"). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}


/** The colour of the watermark label's background (agent/watermark). */
const WATERMARK = 0x7a1f1f;

/** Whether the watermark is on the customer's X screen, as ImageMagick sees it (not the agent). */
/** The rep's viewer shows the customer's screen (a decoded frame, not the 1-pixel placeholder): a rep moves the pointer once they see it. */
export async function repSeesScreen(w: JourneyWorld): Promise<Locator> {
  const canvas = w.rep.locator('canvas.screen');
  await canvas.waitFor();
  await w.rep.waitForFunction(() => ((document.querySelector('canvas.screen') as HTMLCanvasElement | null)?.width ?? 0) > 100, undefined, { timeout: 15_000 });
  return canvas;
}

export function watermarkOnScreen(w: JourneyWorld): boolean {
  const raw = execFileSync('import', ['-window', 'root', '-depth', '8', 'rgb:-'], { env: { ...process.env, DISPLAY: w.xvfb.display }, maxBuffer: 64 << 20 });
  let n = 0;
  for (let i = 0; i < raw.length; i += 3) if (((raw[i] << 16) | (raw[i + 1] << 8) | raw[i + 2]) === WATERMARK && ++n > 2000) return true;
  return false;
}
