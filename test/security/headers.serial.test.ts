// Browser hardening headers (docs/SECURITY.md "Browser hardening headers"): every page the server
// serves — portal, session link, chat, console, agent download page — and the API carry a strict
// Content-Security-Policy (no inline script or style, no eval, not framable), nosniff and
// no-referrer; each page then runs in Chromium through its real use (a link join, a chat with a
// nudge chime, a rep logged in watching screen frames, the download page's stylesheet) without a
// single CSP violation. HSTS under TLS: test/security/tls.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { newClientId } from '../../protocol/index.ts';
import { agentKey, api, createKey, joinAgent, loginRep, startServer, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';
import { launch, openLink, seeLine } from '../web-chat/util.ts';

let server: TestServer;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let cookie: string;
let rep: TestClient;
/** The chat's session, as the page keeps it. */
let chat: { token: string; sessionId: string };
/** CSP violations and console errors seen by any page, with where they came from. */
const violations: string[] = [];
const consoleErrors: string[] = [];

test.before(async () => {
  server = await startServer({ config: { agreement: null } });
  cookie = await loginRep(server);
  rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;
  browser = await launch();
  ctx = await browser.newContext();
  await ctx.exposeBinding('reportCspViolation', (_src, text: string) => { violations.push(text); });
  // Runs in every document before its own scripts, so nothing the page does goes unseen.
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { reportCspViolation(t: string): void }).reportCspViolation(`${location.pathname}: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    }, true);
  });
  page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${new URL(page.url()).pathname}: ${m.text()}`); });
  page.on('pageerror', (e) => consoleErrors.push(`${new URL(page.url()).pathname}: ${e.message}`));
});
test.after(async () => {
  rep?.close();
  await browser?.close();
  await server?.stop();
});

function assertHardened(headers: Record<string, string>, what: string): void {
  const csp = headers['content-security-policy'] ?? '';
  for (const d of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"]) {
    assert.ok(csp.split(';').map((x) => x.trim()).includes(d), `${what}: CSP has ${d} (got ${csp})`);
  }
  assert.not.match(csp, /unsafe-inline|unsafe-eval/, `${what}: nothing unsafe`);
  assert.is(headers['x-content-type-options'], 'nosniff', what);
  assert.is(headers['referrer-policy'], 'no-referrer', what);
  assert.is(headers['strict-transport-security'], undefined, `${what}: no HSTS over plain HTTP`);
}

async function visit(path: string): Promise<Response> {
  const res = await page.goto(server.url + path);
  assert.ok(res, path);
  assert.is(res!.status(), 200, path);
  assertHardened(res!.headers(), path);
  return res!;
}

/** No violation since the last check (each test answers for its own pages). */
const noCspTrouble = () => {
  const seen = violations.splice(0);
  const errors = consoleErrors.splice(0).filter((e) => /Content Security Policy|Refused to/i.test(e));
  assert.equal(seen, [], 'no CSP violation');
  assert.equal(errors, [], 'no CSP console error');
};

test('the portal, a session link and the chat run under the CSP', async () => {
  await visit('/');
  await page.waitForSelector('#session-key');
  const k = await createKey(server, cookie);
  await visit(`/s/${k.accessKey}`);
  await openLink(page, `${server.url}/s/${k.accessKey}`, 'Cecil Strict');
  await page.waitForURL('**/chat');
  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  await seeLine(page, 'accepted the session');
  // The chat's WebSocket is same-origin ws: (CSP 'self'); the nudge chime is a blob: WAV.
  await rep.conn.sendReliable({ t: 'chat', sessionId: k.sessionId, id: newClientId(), text: 'Hello under a strict policy' });
  await seeLine(page, 'Hello under a strict policy');
  await rep.conn.sendReliable({ t: 'nudge', sessionId: k.sessionId, id: newClientId() });
  await page.waitForFunction(() => Number(document.documentElement.dataset.chimes ?? 0) > 0, undefined, { timeout: 5000 });
  // A reload of /chat is a page of its own.
  await visit('/chat');
  await seeLine(page, 'Hello under a strict policy');
  chat = await page.evaluate(() => JSON.parse(sessionStorage.getItem('bridge.chat')!) as { token: string; sessionId: string });
  noCspTrouble();
});

test('the console runs under the CSP, logged in with a session open', async () => {
  await visit('/console/');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(server.adminPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('.conn.online').waitFor();
  await page.locator('.session-tab .tab-label').first().click();
  await page.locator('.session .session-body').first().waitFor();
  // Screen frames are msgpack records: the decoder must not compile readers with eval.
  const agent = wsClient(server, 'agent', (await joinAgent(server, chat.token)).token);
  try {
    await agent.ready;
    agent.conn.send({ t: 'grant', sessionId: chat.sessionId, grant: 'view', epoch: 1, reps: [(await rep.ready).participantId], apps: null });
    await page.locator('[data-grant="view"]').waitFor();
    for (let seq = 1; seq <= 6; seq++) {
      agent.conn.send({ t: 'frame', sessionId: chat.sessionId, seq, display: 0, w: 64, h: 48, ts: Date.now(), rects: [{ k: 'fill', x: 0, y: 0, w: 64, h: 48, c: seq * 0x101010 }] });
    }
    await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('canvas.screen')?.width === 64);
    await agent.waitFor((m) => m.t === 'frame.ack' && m.seq === 6);
  } finally {
    agent.close();
  }
  noCspTrouble();
});

test('the agent download page takes its styles from a file', async () => {
  const k = await createKey(server, cookie);
  const j = await api(server, 'POST', '/api/sessions/join', { key: k.key, name: 'Dora Download' });
  const key = await agentKey(server, j.body.token);
  await visit(`/download/${key}`);
  const width = await page.$eval('body', (b) => getComputedStyle(b).maxWidth);
  assert.is(width, '704px', 'the stylesheet applied (44rem)');
  noCspTrouble();
});

test('the API, errors and files carry the same headers', async () => {
  for (const path of ['/api/portal', '/healthz', '/no/such/page', '/app.js', '/style.css', '/download.css']) {
    const r = await api(server, 'GET', path);
    assertHardened(Object.fromEntries(r.headers), path);
  }
});

test.run();
