// Prompts where the customer looks, in a chat longer than the window: the file offer, the rep's
// screen request (Decline answers it), the agent's state instead of a stale download, and the
// "session ended" card all sit in the dock, inside the viewport, focused or announced. The log
// follows the newest line unless the reader scrolled up; then "New messages" jumps to the end.
// Desktop and a 390×844 phone.
import type { Browser, Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type Msg } from '../../protocol/index.ts';
import { standInAgent } from '../helpers/stand-in-agent.ts';
import { createKey, joinSession, loginRep, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';
import { axeFindings, describeFindings } from '../helpers/axe.ts';
import { customer, joinByKey, launch, PHONE, placement, seeLine, shot } from './util.ts';

let server: TestServer;
let browser: Browser;
let cookie = '';
let rep: TestClient;
let repName = '';

/** A customer in an active session with `lines` chat lines from the rep (a long chat). */
async function longChat(opts: { phone?: boolean; lines?: number } = {}): Promise<{ page: Page; sessionId: string; key: string; close: () => Promise<void> }> {
  const k = await createKey(server, cookie);
  const { ctx, page } = await customer(browser, opts);
  await joinByKey(page, server.url, k.key, { name: 'Pat Long' });
  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  await seeLine(page, 'accepted the session');
  const n = opts.lines ?? 60;
  for (let i = 1; i <= n; i++) void rep.conn.sendReliable({ t: 'chat', sessionId: k.sessionId, id: newClientId(), text: `Line ${i} of a long conversation about the printer.` });
  await seeLine(page, `Line ${n} of a long`);
  return { page, sessionId: k.sessionId, key: k.key, close: () => ctx.close() };
}

/** The element is entirely inside the window, and focused or announced (alertdialog / alert / status). */
async function pinned(page: Page, selector: string, what: string): Promise<void> {
  await page.waitForSelector(selector);
  // Focus and layout settle in the next frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  const p = await placement(page, selector);
  assert.ok(p.inView, `${what} inside the viewport (top ${p.top}, bottom ${p.bottom}, window ${p.innerHeight})`);
  assert.ok(p.focused || ['alertdialog', 'alert', 'status'].includes(p.role ?? ''), `${what} focused or announced (role ${p.role})`);
}

const logAtEnd = (page: Page) => page.$eval('#chat-main', (el) => el.scrollHeight - el.scrollTop - el.clientHeight < 50);

test.before(async () => {
  // The long chats here are typed at machine speed, above a person's message budget.
  server = await startServer({ config: { companyName: 'Acme', agreement: { text: 'Terms.', timeoutSec: 600 }, rateLimit: { messageBurst: 1000 } } });
  standInAgent(server);
  browser = await launch();
  cookie = await loginRep(server);
  rep = wsClient(server, 'rep', '', { cookie });
  const w = await rep.ready;
  repName = w.rep?.name ?? '';
});

test.after(async () => {
  rep?.close();
  await browser?.close();
  await server?.stop();
});

test('a long chat follows the newest line; scrolled up, "New messages" appears and jumps to the end', async () => {
  const c = await longChat();
  try {
    await until(() => logAtEnd(c.page), 3000, 'the log showing the newest line');
    assert.ok(await c.page.$eval('#chat-main', (el) => el.scrollHeight > el.clientHeight * 2), 'the chat is longer than the window');
    await c.page.$eval('#chat-main', (el) => { el.scrollTop = 0; });
    await c.page.waitForTimeout(100);
    await rep.conn.sendReliable({ t: 'chat', sessionId: c.sessionId, id: newClientId(), text: 'Something new while you read back' });
    await seeLine(c.page, 'Something new while you read back');
    await c.page.waitForSelector('.new-messages');
    assert.is(await c.page.$eval('#chat-main', (el) => el.scrollTop), 0, 'reading back is not interrupted');
    await shot(c.page, '20-new-messages');
    await c.page.click('.new-messages');
    await until(() => logAtEnd(c.page), 3000, 'the log at its end');
    await c.page.waitForSelector('.new-messages', { state: 'detached' });
    assert.is(await c.page.evaluate(() => document.activeElement?.id), 'chat-main', 'focus on the log, not lost with the button');
    // Own messages always bring the end into view.
    await c.page.$eval('#chat-main', (el) => { el.scrollTop = 0; });
    await c.page.fill('#chat-input', 'my own line');
    await c.page.press('#chat-input', 'Enter');
    await until(() => logAtEnd(c.page), 3000, 'the log at its end after sending');
  } finally { await c.close(); }
});

test('a file offer in a long chat is pinned in view and focused; Decline answers it', async () => {
  const c = await longChat();
  try {
    await c.page.$eval('#chat-main', (el) => { el.scrollTop = 0; });
    const id = newClientId();
    rep.conn.send({ t: 'file.offer', sessionId: c.sessionId, id, name: 'fix.txt', size: 5 });
    const reg = await rep.waitFor<Msg<'file.registered'>>((m) => m.t === 'file.registered' && m.id === id);
    await pinned(c.page, '.dock .transfer.in.offered', 'the file offer');
    assert.ok((await placement(c.page, '.dock .transfer.in.offered')).focused, 'focus moved to the offer');
    await shot(c.page, '21-file-offer-long-chat');
    await c.page.click('.dock button:text-is("Decline")');
    await rep.waitFor((m) => m.t === 'file.answer' && m.fileId === reg.fileId && !m.accept);
    await c.page.waitForSelector('.dock .transfer', { state: 'detached' });
    // The answered offer is gone; focus is not dropped to the top of the page.
    await c.page.waitForFunction(() => document.activeElement?.id === 'chat-input', undefined, { timeout: 3000 });
  } finally { await c.close(); }
});

test('the screen request is pinned in view, names the rep, and Decline answers it', async () => {
  const c = await longChat();
  try {
    await c.page.$eval('#chat-main', (el) => { el.scrollTop = el.scrollHeight / 3; });
    rep.conn.send({ t: 'screen.request', sessionId: c.sessionId, want: 'control' });
    const req = (await rep.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.id === c.sessionId && m.session.screenRequest !== null, 8000)).session.screenRequest!;
    await pinned(c.page, '.dock .screenshare', 'the screen request');
    assert.is(await c.page.textContent('.screenshare h2'), `${repName} asks to control your screen`);
    await c.page.waitForSelector('.screenshare a.button:has-text("Download")');
    await shot(c.page, '22-screen-request-long-chat');
    assert.is(await c.page.$('button.share:text-is("Share my screen")'), null, 'no second way in while asked');
    await c.page.click('.screenshare button:text-is("Decline")');
    await c.page.waitForSelector('.screenshare', { state: 'detached' });
    await rep.waitFor((m) => m.t === 'session' && m.session.id === c.sessionId && m.session.screenRequest === null, 8000);
    assert.ok(req.id, 'the request had an id');
  } finally { await c.close(); }
});

test('a request the rep cancels leaves the chat', async () => {
  const c = await longChat({ lines: 5 });
  try {
    rep.conn.send({ t: 'screen.request', sessionId: c.sessionId, want: 'view' });
    const req = (await rep.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.id === c.sessionId && m.session.screenRequest !== null, 8000)).session.screenRequest!;
    await c.page.waitForSelector('.screenshare h2:has-text("asks to view your screen")');
    rep.conn.send({ t: 'screen.cancel', sessionId: c.sessionId, requestId: req.id });
    await c.page.waitForSelector('.screenshare', { state: 'detached' });
  } finally { await c.close(); }
});

test('a request that times out leaves the chat', async () => {
  const s2 = await startServer({ config: { agreement: null, screenRequestTimeoutSec: 2 } });
  const { ctx, page } = await customer(browser);
  try {
    const c2 = await loginRep(s2);
    const rep2 = wsClient(s2, 'rep', '', { cookie: c2 });
    await rep2.ready;
    const k = await createKey(s2, c2);
    await page.goto(s2.url + '/');
    await page.fill('#session-key', k.key);
    await page.fill('#key-name', 'Tess Timeout');
    await page.click('button:text-is("Start")');
    rep2.conn.send({ t: 'accept', sessionId: k.sessionId });
    await seeLine(page, 'accepted the session');
    rep2.conn.send({ t: 'screen.request', sessionId: k.sessionId, want: 'control' });
    await page.waitForSelector('.screenshare h2:has-text("asks to control your screen")');
    await page.waitForSelector('.screenshare', { state: 'detached', timeout: 10_000 });
  } finally {
    await ctx.close();
    await s2.stop();
  }
});

test('with the agent connected the chat shows its state, not a download; then sharing; nothing once it is gone', async () => {
  const c = await longChat({ lines: 5 });
  try {
    rep.conn.send({ t: 'screen.request', sessionId: c.sessionId, want: 'control' });
    await c.page.waitForSelector('.screenshare a.button:has-text("Download")');
    // The program the customer downloads carries the agent key the chat asked for.
    const agentKey = decodeURIComponent((await c.page.getAttribute('.screenshare a.button', 'href'))!.split('/')[2]);
    const j = await joinSession(server, agentKey, 'agent');
    const agent = wsClient(server, 'agent', j.token);
    await agent.ready;
    await c.page.waitForSelector('.agent-state:has-text("Support program running")');
    assert.is(await c.page.$('.screenshare'), null, 'no stale "asks to … — Download"');
    await shot(c.page, '23-agent-running');
    const repId = (await rep.ready).participantId;
    agent.conn.send({ t: 'grant', sessionId: c.sessionId, grant: 'view', epoch: 1, reps: [repId], apps: null });
    await c.page.waitForSelector(`.agent-state:has-text("Sharing your screen with ${repName} (view only)")`);
    await pinned(c.page, '.agent-state', 'the sharing state');
    await seeLine(c.page, `${repName} can now view the customer's screen.`);
    agent.conn.send({ t: 'grant', sessionId: c.sessionId, grant: 'control', epoch: 2, reps: [repId], apps: null });
    await c.page.waitForSelector('.agent-state:has-text("(control)")');
    await shot(c.page, '24-sharing');
    agent.close();
    await c.page.waitForSelector('.agent-state', { state: 'detached', timeout: 10_000 });
    assert.is(await c.page.$('.screenshare'), null);
  } finally { await c.close(); }
});

test('a notice and then the end in a long chat: the notice, the ended card is in view and focused, the survey starts in view', async () => {
  const c = await longChat();
  try {
    await c.page.$eval('#chat-main', (el) => { el.scrollTop = 0; });
    await rep.conn.sendReliable({ t: 'notice', sessionId: c.sessionId, id: newClientId(), text: 'We restart the mail server at 5 pm.', leaveAllowed: true });
    await pinned(c.page, '.dock .notice', 'the notice');
    await c.page.click('.notice button:text-is("Stay in the session")');
    await c.page.waitForSelector('.notice', { state: 'detached' });
    rep.conn.send({ t: 'end', sessionId: c.sessionId, reason: 'solved' });
    await pinned(c.page, '.dock .ended', 'the ended card');
    assert.ok((await placement(c.page, '.dock .ended')).focused, 'focus on the ended card');
    const survey = await c.page.$eval('.survey h2', (el) => el.getBoundingClientRect().bottom <= window.innerHeight);
    assert.ok(survey, 'the survey heading is in view');
    await shot(c.page, '25-ended-long-chat');
  } finally { await c.close(); }
});

test('phone 390×844: request, file offer and the end fit in view', async () => {
  const c = await longChat({ phone: true, lines: 70 });
  try {
    // The on-screen keyboard takes the lower 40 % (the page shrinks, as with resizes-content or
    // iOS's visual viewport): the message box and Send stay in view and sending works.
    await c.page.focus('#chat-input');
    await c.page.setViewportSize({ width: PHONE.width, height: 500 });
    // (Polled with evaluate: waitForFunction's strings need eval, which the page's CSP refuses.)
    for (let i = 0; i < 50 && !(await c.page.evaluate('document.querySelector(".composer button[type=submit]").getBoundingClientRect().bottom <= innerHeight')); i++) await c.page.waitForTimeout(100);
    await c.page.keyboard.type('Typed with the keyboard up');
    await c.page.keyboard.press('Enter');
    await c.page.locator('.log .line', { hasText: 'Typed with the keyboard up' }).waitFor();
    assert.ok((await placement(c.page, '#chat-input')).inView, 'the message box is in view above the keyboard');
    await shot(c.page, '26a-phone-keyboard');
    await c.page.setViewportSize(PHONE);
    const id = newClientId();
    rep.conn.send({ t: 'file.offer', sessionId: c.sessionId, id, name: 'driver-update.zip', size: 1234567 });
    await pinned(c.page, '.dock .transfer.in.offered', 'the file offer (phone)');
    rep.conn.send({ t: 'screen.request', sessionId: c.sessionId, want: 'view' });
    await rep.waitFor((m) => m.t === 'session' && m.session.id === c.sessionId && m.session.screenRequest !== null, 8000);
    // Both in the dock: the newest prompt is in view (the dock scrolls itself when it holds a lot).
    await c.page.waitForSelector('.dock .screenshare');
    const top = await c.page.$eval('.dock .screenshare h2', (el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; });
    assert.ok(top, 'the request heading is in view');
    assert.ok((await placement(c.page, '.dock .transfer.in.offered')).inView, 'the file offer is still in view');
    assert.ok(await c.page.$eval('#chat-input', (el) => el.getBoundingClientRect().bottom <= window.innerHeight), 'the message box stays in view');
    await shot(c.page, '26-phone-prompts');
    rep.conn.send({ t: 'end', sessionId: c.sessionId, reason: 'solved' });
    await pinned(c.page, '.dock .ended', 'the ended card (phone)');
    await shot(c.page, '27-phone-ended');
  } finally { await c.close(); }
});

/** What a thumb and iOS need: no sideways scrolling, 44 px targets, text boxes of 16 px or more. */
// A string, so the bundler's helpers (function names) don't end up in the page.
const FITS_A_PHONE = `(() => {
  const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
  const name = (e) => e.tagName.toLowerCase() + ' "' + (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 30) + '"';
  const targets = [...document.querySelectorAll('button, a.button, select, input, textarea')].filter(visible);
  const box = (e) => e instanceof HTMLInputElement && ['radio', 'checkbox'].includes(e.type);
  return {
    sideways: document.documentElement.scrollWidth - window.innerWidth,
    small: targets.filter((e) => e.getBoundingClientRect().height < 44 && !box(e)).map((e) => name(e) + ' ' + Math.round(e.getBoundingClientRect().height) + 'px'),
    tinyText: targets.filter((e) => ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName) && parseFloat(getComputedStyle(e).fontSize) < 16).map(name),
  };
})()`;
async function fitsAPhone(page: Page): Promise<{ sideways: number; small: string[]; tinyText: string[] }> {
  return page.evaluate(FITS_A_PHONE);
}

test('an iPhone at 320 px: fits the thumb, the rep sees iOS, and a screen request says a computer is needed instead of a download', async () => {
  const k = await createKey(server, cookie);
  const { ctx, page } = await customer(browser, { iphone: true });
  try {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(server.url + '/');
    const portal = await fitsAPhone(page);
    assert.ok(portal.sideways <= 0, `the portal scrolls sideways by ${portal.sideways} px`);
    assert.equal(portal.small, [], 'portal targets under 44 px');
    assert.equal(portal.tinyText, [], 'portal text boxes under 16 px');
    await joinByKey(page, server.url, k.key, { name: 'Ivy Phone' });
    // The rep sees the real system in the queue (not "macOS", which an iPhone's browser names).
    await rep.waitForQueues((m) => m.queues.some((q) => q.sessions.some((x) => x.id === k.sessionId && x.customer.platform === 'iOS')), 8000);
    rep.conn.send({ t: 'accept', sessionId: k.sessionId });
    await seeLine(page, 'accepted the session');
    assert.is(await page.locator('button', { hasText: 'Share my screen' }).count(), 0, 'no screen sharing offered on a phone');
    rep.conn.send({ t: 'screen.request', sessionId: k.sessionId, want: 'control' });
    await pinned(page, '.dock .screenshare', 'the request on a phone');
    const card = await page.locator('.dock .screenshare').innerText();
    assert.match(card, /needs a Windows, Mac or Linux computer/);
    assert.match(card, /iPhone/);
    assert.is(await page.locator('.dock .screenshare a[download]').count(), 0, 'no download for a phone');
    const chat = await fitsAPhone(page);
    assert.ok(chat.sideways <= 0, `the chat scrolls sideways by ${chat.sideways} px`);
    assert.equal(chat.small, [], 'chat targets under 44 px');
    assert.equal(chat.tinyText, [], 'chat text boxes under 16 px');
    await shot(page, '28-iphone-320-needs-computer');
    const findings = await axeFindings(page);
    assert.equal(findings, [], describeFindings(findings));
    await page.locator('.dock .screenshare').getByRole('button', { name: 'Decline' }).click();
    await rep.waitFor((m) => m.t === 'session' && m.session.id === k.sessionId && m.session.screenRequest === null, 8000);
    await seeLine(page, 'declined');
  } finally { await ctx.close(); }
});

test.run();
