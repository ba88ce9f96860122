// Click-to-chat as a site's visitor meets it (docs/ARCHITECTURE.md, "Click-to-chat"): a shop's
// page on another origin, served with a strict Content-Security-Policy, embeds /embed.js with one
// tag and a help desk's signed fields. The visitor sees "No reps available" and leaves a message
// while the only rep is away, sees the button and the invitation when the rep signs in and the
// offline state again when the rep leaves, then starts the chat in the frame: the rep's socket
// gets the session with the page's fields, verified, and the two chat. A page on an origin that
// isn't listed gets nothing, and can't frame the chat either.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Frame, Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Msg, SessionInfo } from '../../protocol/index.ts';
import { apiCredentials } from '../helpers/api-client.ts';
import { loginRep, startServer, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';
import { customer, launch, SHOTS } from './util.ts';

let server: TestServer;
let browser: Browser;
let host: Server;
let hostPort = 0;
let cookie = '';
let desk: { clientId: string; secret: string };
let rep: TestClient | null = null;

const FIELDS = { name: 'Henry Alder', email: 'henry@example.com', externalKey: 'RT#4711' };

/** What the shop's help desk does on its server when it renders the page. */
function signedAttrs(): string {
  const expires = Math.floor(Date.now() / 1000) + 600;
  const nonce = randomBytes(12).toString('base64url');
  const canonical = ['bridge-prefill-v1', desk.clientId, String(expires), nonce, FIELDS.externalKey, FIELDS.name, FIELDS.email].join('\n');
  const signature = createHmac('sha256', createHash('sha256').update(desk.secret).digest()).update(canonical).digest('hex');
  return `data-client-id="${desk.clientId}" data-expires="${expires}" data-nonce="${nonce}" data-signature="${signature}"`;
}

/** The shop: its pages allow scripts, connections and frames from Bridge and nothing else (no styles at all). */
function startHost(): Promise<void> {
  host = createServer((req, res) => {
    const bridge = server.url;
    if (req.url === '/record.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end("window.violations = []; document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));");
      return;
    }
    const csp = `default-src 'none'; script-src 'self' ${bridge}; connect-src ${bridge}; frame-src ${bridge}`;
    const body = req.url === '/frame.html'
      ? `<!doctype html><title>Framing</title><iframe src="${bridge}/embed/chat" title="chat"></iframe>`
      : `<!doctype html><html lang="en"><title>Shop</title><script src="/record.js"></script>
<h1>Alder &amp; Co spare parts</h1><p>Our catalogue.</p>
<script src="${bridge}/embed.js" data-name="${FIELDS.name}" data-email="${FIELDS.email}" data-external-key="${FIELDS.externalKey}"
  data-company="Alder &amp; Co" data-issue="Order 12" data-invitation="Questions about your order? A representative is here to help."
  data-colour="#6a1b9a" ${signedAttrs()}></script>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
    res.end(body);
  });
  return new Promise((resolve) => host.listen(0, () => { hostPort = (host.address() as AddressInfo).port; resolve(); }));
}

test.before(async () => {
  // The host's port goes into the server's list, so the host starts first (with the URL set later).
  server = { url: '' } as TestServer;
  await startHost();
  [server, browser] = await Promise.all([
    startServer({ config: { companyName: 'Alder Support', agreement: null, embed: { allowedOrigins: [`http://localhost:${hostPort}`], pollSec: 1 } } }),
    launch(),
  ]);
  cookie = await loginRep(server);
  desk = await apiCredentials(server, cookie, ['command']);
});

test.after(async () => {
  rep?.close();
  await browser?.close();
  await server?.stop();
  host?.close();
});

const widget = (page: Page, css: string) => page.locator(`[data-bridge-chat] ${css}`);
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/bridge-embed-${name}.png` });
}
async function signIn(): Promise<TestClient> {
  const c = wsClient(server, 'rep', '', { cookie });
  await c.ready;
  return c;
}
function queued(c: TestClient, pred: (s: SessionInfo) => boolean): Promise<SessionInfo> {
  const find = (m: Msg<'rep.queues'>) => m.queues.flatMap((q) => q.sessions).find(pred);
  return c.waitForQueues((m) => !!find(m as Msg<'rep.queues'>), 10_000).then((m) => find(m)!);
}

test('a visitor on an allowed site under a strict CSP: offline message, availability both ways, a verified chat in the frame', async () => {
  const { page } = await customer(browser);
  const warnings: string[] = [];
  page.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text()); });
  await page.goto(`http://localhost:${hostPort}/`);

  // Nobody signed in: the offline state and its message form.
  const launcher = widget(page, '.launcher');
  await launcher.waitFor();
  assert.match(await launcher.innerText(), /No reps available · Leave a message/);
  await shot(page, 'offline');
  await launcher.click();
  assert.is(await widget(page, '#bw-name').inputValue(), FIELDS.name, 'the page\'s name is filled in');
  assert.ok(await widget(page, '#bw-name').evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement), 'focus moves into the form');
  await widget(page, '#bw-message').fill('Where is my order 12?');
  await shot(page, 'message-form');
  await widget(page, 'button[type=submit]').click();
  await widget(page, '.card[role=status]').getByText('your message is in our queue').waitFor();
  // The signature was spent on the message: the shop renders (and signs) the page again.
  await page.reload();
  await launcher.waitFor();

  // The rep signs in: the button and the invitation appear within the poll interval; out again: offline.
  rep = await signIn();
  const message = await queued(rep, (s) => s.customer.name === FIELDS.name && s.state === 'queued');
  assert.equal(message.embed, { origin: `http://localhost:${hostPort}`, verifiedBy: 'Help desk', verified: ['externalKey', 'name', 'email'] });
  await widget(page, '.card[role=dialog]').getByText('Questions about your order?').waitFor({ timeout: 5000 });
  assert.match(await launcher.innerText(), /Chat with us/);
  await shot(page, 'invitation');
  rep.close();
  await launcher.getByText('No reps available').waitFor({ timeout: 5000 });
  assert.is(await widget(page, '.card[role=dialog]').count(), 0, 'no invitation while nobody is there');
  rep = await signIn();
  await widget(page, '.card[role=dialog]').waitFor({ timeout: 5000 });

  // Start: the chat loads only now, in the frame, with the fields; the rep's queue has them, verified.
  assert.is(page.frames().length, 1, 'no chat before the click');
  await widget(page, 'button.primary').click();
  const frameEl = widget(page, 'iframe');
  await frameEl.waitFor();
  let frame: Frame | undefined;
  for (let i = 0; i < 50 && !frame; i++) { frame = page.frames().find((f) => f.url().includes('/embed/')); if (!frame) await page.waitForTimeout(100); }
  assert.ok(frame, 'the chat frame loaded');
  const s = await queued(rep, (x) => x.customer.name === FIELDS.name && x.customerOnline);
  assert.is(s.customer.company, 'Alder & Co');
  assert.is(s.customer.issue, 'Order 12');
  assert.is(s.email, FIELDS.email);
  assert.is(s.externalKey, FIELDS.externalKey);
  assert.equal(s.embed?.verified, ['externalKey', 'name', 'email']);
  rep.conn.send({ t: 'accept', sessionId: s.id });
  await rep.waitFor((m) => m.t === 'session' && m.session.id === s.id && m.session.state === 'active');
  rep.conn.send({ t: 'chat', sessionId: s.id, id: 'hello-1', text: 'Hello Henry, how can I help?' });
  await frame!.waitForFunction(() => [...document.querySelectorAll('.log .line')].some((e) => e.textContent?.includes('how can I help')), undefined, { timeout: 8000 });
  assert.match(frame!.url(), /\/embed\/chat$/, 'the chat stays under /embed/');
  await shot(page, 'chat');

  // Minimise keeps the session; the launcher brings it back.
  await widget(page, '.panel header button').click();
  assert.match(await launcher.innerText(), /Back to the chat/);
  await launcher.click();
  await frameEl.waitFor();

  const violations = await page.evaluate(() => (window as unknown as { violations: string[] }).violations);
  assert.equal(violations, [], 'nothing the page\'s CSP refuses');
  assert.equal(warnings.filter((w) => /Refused|Content Security Policy/.test(w)), []);
});

test('a page on an origin that is not listed gets nothing, and cannot frame the chat', async () => {
  const { page } = await customer(browser);
  const warned = new Promise<string>((resolve) => page.on('console', (m) => { if (m.text().includes('Bridge click-to-chat')) resolve(m.text()); }));
  await page.goto(`http://127.0.0.1:${hostPort}/`);
  assert.match(await warned, /http:\/\/127\.0\.0\.1:\d+ may not embed this chat/);
  assert.ok(await widget(page, '.bw').isHidden(), 'nothing is shown');
  await page.goto(`http://127.0.0.1:${hostPort}/frame.html`);
  await page.waitForTimeout(500);
  const chatFrame = page.frames().find((f) => f !== page.mainFrame());
  const loaded = await chatFrame?.evaluate(() => !!document.getElementById('app')).catch(() => false);
  assert.not.ok(loaded, 'the browser refuses to show the framed chat (frame-ancestors)');
});

test.run();
