// The portal and what happens before a rep takes the session: join by link, a bad key, the
// portal form (general queue and a chosen rep), queue position and wait kept up to date,
// periodic queue messages, declining the agreement, the agreement timeout, a notice's
// "leave session" (no survey), and the orphaned-session redirect. Phone-sized too.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Msg } from '../../protocol/index.ts';
import { apiCredentials } from '../helpers/api-client.ts';
import { api, createKey, loginRep, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';
import { customer, launch, openLink, seeLine, shot, unlabelled } from './util.ts';

let server: TestServer;
let browser: Browser;
let cookie = '';
let rep: TestClient;

function sessionRow(s: TestServer, id: string): { state: string; end_reason: string | null; queue_kind: string; customer_name: string; agreement_at: number | null } | undefined {
  const db = new Database(join(s.dataDir, 'bridge.db'), { readonly: true, fileMustExist: true });
  try { return db.prepare('SELECT state, end_reason, queue_kind, customer_name, agreement_at FROM sessions WHERE id = ?').get(id) as never; } finally { db.close(); }
}
const sessionIdOf = (page: Page) => page.evaluate(() => (window as any).bridgeChat.sessionId as string);

async function submitIssue(page: Page, url: string, name: string, to = ''): Promise<void> {
  await page.goto(url + '/');
  await page.fill('#f-name', name);
  await page.fill('#f-company', 'Initech');
  await page.selectOption('#f-issue', { index: 1 });
  await page.fill('#f-desc', 'The printer prints only blank pages.');
  if (to) await page.selectOption('#f-to', { label: to });
  await page.click('button:text-is("Start chat")');
}

test.before(async () => {
  server = await startServer({ config: { companyName: 'Acme', agreement: { text: 'Terms.', timeoutSec: 90 }, queueMessageIntervalSec: 2 } });
  browser = await launch();
  cookie = await loginRep(server);
  rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;
});

test.after(async () => {
  rep?.close();
  await browser?.close();
  await server?.stop();
});

test('a session link asks the name first (focused, required), then lands in the chat; the rep sees the name', async () => {
  const k = await createKey(server, cookie);
  const { page, ctx } = await customer(browser, { phone: true });
  await page.goto(k.url);
  await page.waitForSelector('#link-name');
  assert.is(await page.evaluate(() => document.activeElement?.id), 'link-name', 'the name field has focus');
  assert.equal(await unlabelled(page), [], 'the name step is labelled');
  await page.click('button:text-is("Start")');
  await page.waitForSelector('.error:has-text("enter your name")');
  await shot(page, '00-link-name-phone');
  await page.fill('#link-name', 'Dana Link');
  await page.click('button:text-is("Start")');
  await page.waitForSelector('.agreement');
  assert.is(new URL(page.url()).pathname, '/chat');
  assert.is(await sessionIdOf(page), k.sessionId);
  assert.is(sessionRow(server, k.sessionId)?.customer_name, 'Dana Link');
  const queued = await rep.waitForQueues((m) => [...m.queues.flatMap((q) => q.sessions), ...m.mine].some((s) => s.id === k.sessionId && s.customer.name === 'Dana Link'), 8000);
  assert.ok(queued, 'the rep sees the name in the queue');
  await ctx.close();
});

test('a help desk\'s chat link lands in the chat with the ticket\'s name: no name prompt, and the rep sees the issue', async () => {
  const { token } = await apiCredentials(server, cookie, ['command']);
  const link = await api(server, 'POST', '/api/v1/chat-links', { customer: { name: 'Erin Ticket', issue: 'VPN drops' }, externalKey: 'INC-42' }, { authorization: `Bearer ${token}` });
  assert.is(link.status, 200, JSON.stringify(link.body));
  const { page, ctx } = await customer(browser);
  await page.goto(link.body.url);
  await page.waitForSelector('.agreement');
  assert.is(await page.$('#link-name'), null, 'no name prompt');
  assert.is(await sessionIdOf(page), link.body.sessionId);
  const queued = await rep.waitForQueues((m) => [...m.queues.flatMap((q) => q.sessions), ...m.mine].some((s) => s.id === link.body.sessionId && s.customer.name === 'Erin Ticket' && s.customer.issue === 'VPN drops'), 8000);
  assert.ok(queued, 'the rep sees the ticket\'s name and issue in the queue');
  await shot(page, '00b-chat-link');
  // The help desk closes it (the ticket was solved by phone): the customer sees the end.
  await api(server, 'POST', `/api/v1/sessions/${link.body.sessionId}/end`, { reason: 'solved by phone' }, { authorization: `Bearer ${token}` });
  await page.waitForSelector('.ended');
  await ctx.close();
});

test('with keySessionsAskName off, a link lands in the chat directly', async () => {
  const s3 = await startServer({ config: { keySessionsAskName: false, agreement: { text: 'Terms.', timeoutSec: 90 } } });
  try {
    const k = await createKey(s3, await loginRep(s3));
    const { page, ctx } = await customer(browser);
    await page.goto(k.url);
    await page.waitForSelector('.agreement');
    assert.is(new URL(page.url()).pathname, '/chat');
    await page.goto(s3.url + '/');
    await page.waitForSelector('#session-key');
    assert.is(await page.$('#key-name'), null, 'no name field on the portal either');
    await ctx.close();
  } finally {
    await s3.stop();
  }
});

test('keyboard only: key, agreement, first message; every control has a name', async () => {
  const k = await createKey(server, cookie);
  const { page, ctx } = await customer(browser);
  await page.goto(server.url + '/');
  await page.waitForSelector('#f-to option >> nth=0', { state: 'attached' });
  assert.equal(await unlabelled(page), [], 'portal controls are labelled');
  await page.keyboard.press('Tab');
  assert.is(await page.evaluate(() => document.activeElement?.id), 'session-key');
  await page.keyboard.type(k.key.toLowerCase());
  await page.keyboard.press('Enter');
  // The name is required: the error says so and focus goes to the field.
  await page.waitForSelector('#key-err:has-text("enter your name")');
  assert.is(await page.evaluate(() => document.activeElement?.id), 'key-name');
  await page.keyboard.type('Kim Keys');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.agreement');
  assert.is(sessionRow(server, k.sessionId)?.customer_name, 'Kim Keys');
  assert.is(await page.evaluate(() => document.activeElement?.textContent), 'Accept');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'chat-input');
  await page.keyboard.type('typed with the keyboard only');
  await page.keyboard.press('Enter');
  await seeLine(page, 'typed with the keyboard only');
  assert.equal(await unlabelled(page), [], 'chat controls are labelled');
  await ctx.close();
});

test('a wrong key says so, and the portal stays', async () => {
  const { page, ctx } = await customer(browser);
  await page.goto(server.url + '/');
  await page.fill('#session-key', 'ACDE-FGH');
  await page.fill('#key-name', 'Wrong Key');
  await page.click('button:text-is("Start")');
  await page.waitForSelector('#key-err:has-text("not valid")');
  assert.is(await page.getAttribute('#session-key', 'aria-invalid'), 'true');
  await ctx.close();
});

test('declining the agreement ends the session (no survey)', async () => {
  const k = await createKey(server, cookie);
  const { page, ctx } = await customer(browser);
  await openLink(page, k.url);
  // More time first (WCAG 2.2.1): the server's deadline moves on and focus stays on the dialog.
  await until(() => sessionRow(server, k.sessionId)?.agreement_at != null, 5000, 'the agreement deadline');
  const before = Number(sessionRow(server, k.sessionId)?.agreement_at);
  await page.waitForTimeout(1100);
  await page.click('.agreement button:text-is("More time")');
  await until(() => Number(sessionRow(server, k.sessionId)?.agreement_at) >= before + 1000, 5000, 'a later deadline');
  assert.match(await page.textContent('.agreement .countdown') ?? '', /within (90|89) seconds/);
  await page.click('.agreement button:text-is("Decline")');
  await page.waitForSelector('.ended');
  assert.not.ok(await page.$('.survey'));
  await until(() => sessionRow(server, k.sessionId)?.state === 'ended', 5000, 'the session to end');
  assert.is(sessionRow(server, k.sessionId)?.end_reason, 'agreement declined');
  await shot(page, '11-declined');
  await ctx.close();
});

test('portal form: queue position and wait are kept up to date; periodic queue messages', async () => {
  const a = await customer(browser);
  const b = await customer(browser, { phone: true });
  await submitIssue(a.page, server.url, 'Alice');
  await a.page.click('.agreement button:text-is("Accept")');
  await a.page.waitForSelector('.queue .position');
  await submitIssue(b.page, server.url, 'Bob');
  await b.page.click('.agreement button:text-is("Accept")');
  await b.page.waitForSelector('.queue .position:has-text("number 2")');
  assert.match(await b.page.textContent('.queue .wait') ?? '', /can’t estimate/);
  const aId = await sessionIdOf(a.page);
  const row = sessionRow(server, aId);
  assert.is(row?.customer_name, 'Alice');
  assert.is(row?.queue_kind, 'general');
  await shot(b.page, '12-queue-phone');
  rep.conn.send({ t: 'accept', sessionId: aId });
  await seeLine(a.page, 'accepted the session');
  await b.page.waitForSelector('.queue .position:has-text("next in line")');
  await b.page.waitForSelector('.queue .wait:has-text("Estimated wait")');
  await seeLine(b.page, 'Thank you for waiting', 6000);
  await shot(b.page, '13-queue-updated-phone');
  await a.ctx.close();
  await b.ctx.close();
});

test('portal form: an available rep can be chosen', async () => {
  rep.conn.send({ t: 'availability', status: 'available' });
  const { page, ctx } = await customer(browser);
  await until(async () => ((await (await fetch(server.url + '/api/portal')).json()) as { reps: unknown[] }).reps.length > 0, 5000, 'an available rep');
  await submitIssue(page, server.url, 'Carol', 'Administrator');
  await page.waitForSelector('.agreement');
  assert.is(sessionRow(server, await sessionIdOf(page))?.queue_kind, 'personal');
  await ctx.close();
});

test('a message while the tab is hidden raises a browser notification', async () => {
  const ctx = await browser.newContext({ permissions: ['notifications'] });
  // Watch the real Notification constructor, and let the test say when the tab is hidden.
  // (A string: functions compiled by tsx carry helper calls that don't exist in the page.)
  await ctx.addInitScript({
    content: `
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.__hidden === true });
      window.__notes = [];
      const Real = window.Notification;
      window.Notification = class extends Real {
        constructor(title, o) { super(title, o); window.__notes.push({ title, body: o && o.body }); }
      };`,
  });
  const page = await ctx.newPage();
  const k = await createKey(server, cookie);
  await openLink(page, k.url);
  await page.click('.agreement button:text-is("Accept")');
  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  await seeLine(page, 'accepted the session');
  await page.evaluate(() => { (window as any).__hidden = true; });
  await rep.conn.sendReliable({ t: 'chat', sessionId: k.sessionId, id: `n-${Date.now()}`, text: 'Are you still there?' });
  await page.waitForFunction(() => (window as any).__notes.some((n: { body: string }) => n.body === 'Are you still there?'), null, { timeout: 8000 });
  await page.evaluate(() => { (window as any).__hidden = false; });
  await rep.conn.sendReliable({ t: 'chat', sessionId: k.sessionId, id: `n2-${Date.now()}`, text: 'visible now' });
  await seeLine(page, 'visible now');
  assert.is(await page.evaluate(() => (window as any).__notes.length), 1, 'no notification while visible');
  await ctx.close();
});

test('agreement timeout, notice with "leave session", orphan redirect', async () => {
  const s2 = await startServer({
    config: {
      agreement: { text: 'Terms.', timeoutSec: 4 },
      notices: ['Printers in building B are down; we are on it.'],
      orphan: { timeoutSec: 6, redirectUrl: 'https://kb.example.test/help' },
    },
  });
  try {
    const t = await customer(browser);
    const n = await customer(browser);
    const o = await customer(browser, { phone: true });
    await o.page.route('https://kb.example.test/**', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Knowledge base</h1>' }));
    await submitIssue(t.page, s2.url, 'Tim');
    await submitIssue(n.page, s2.url, 'Nina');
    await n.page.click('.agreement button:text-is("Accept")');
    // The notice comes by itself on join, with a way out.
    await n.page.waitForSelector('.notice:has-text("building B")');
    await shot(n.page, '14-notice');
    await n.page.click('.notice button:text-is("Leave session")');
    await n.page.waitForSelector('.ended:has-text("You left")');
    assert.not.ok(await n.page.$('.survey'), 'no exit survey after leaving for a notice');
    const nId = await sessionIdOf(n.page);
    await until(() => sessionRow(s2, nId)?.state === 'ended', 5000, 'the notice session to end');
    await submitIssue(o.page, s2.url, 'Otto');
    await o.page.click('.agreement button:text-is("Accept")');
    await o.page.click('.notice button:text-is("Stay in the session")');
    // Nobody answered the agreement in time: the session ends.
    await t.page.waitForSelector('.ended', { timeout: 8000 });
    const tId = await sessionIdOf(t.page);
    await until(() => sessionRow(s2, tId)?.state === 'ended', 5000, 'the unanswered session to end');
    // Nobody takes Otto's session: orphaned message, then the configured page.
    await o.page.waitForSelector('.orphaned', { timeout: 10_000 });
    await shot(o.page, '15-orphaned-phone');
    await o.page.waitForURL('https://kb.example.test/help', { timeout: 10_000 });
    for (const c of [t, n, o]) await c.ctx.close();
  } finally {
    await s2.stop();
  }
});

test.run();
