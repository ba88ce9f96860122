// The agent's real local window in Chromium: the rep's request shows the consent prompt, the
// customer's click grants, chat goes both ways through the agent's relay, END SCREEN SHARE and
// the keyboard shortcut revoke, and the ended session offers the transcript.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildApps } from '../../build-scripts/build.ts';
import { newClientId, type Msg } from '../../protocol/index.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { createRep, loginRep, until, wsClient } from '../helpers/server.ts';
import { withAgent, world, type World } from '../agent/harness.ts';

let w: World;
let tb: TestBrowser;
let page: Page;
let home = '';

const grantIs = (g: string) => w.rep.next<Msg<'grant'>>((m) => m.t === 'grant' && m.grant === g, 10_000);

test.before(async () => {
  try {
    await buildApps({ quiet: true });
    w = await world({ config: { companyName: 'Acme' }, key: { queue: { kind: 'general' } } });
    home = join(w.tmp, 'home');
    mkdirSync(join(home, 'Downloads'), { recursive: true });
    await withAgent(w, { HOME: home });
    tb = await launchBrowser();
    page = await (tb.browser as unknown as { newPage(): Promise<Page> }).newPage();
    await page.goto(w.agent!.windowUrl);
    await page.waitForSelector('html[data-ready="1"]');
    await page.waitForSelector('h1:has-text("Acme")');
  } catch (e) { console.error('before failed:', e); throw e; }
});

test.after(async () => {
  await tb?.close();
  await w?.teardown();
});

test('the rep asks for control; the customer allows it in the window', async () => {
  w.rep.conn.send({ t: 'screen.request', sessionId: w.sessionId, want: 'control' });
  await page.waitForSelector('.consent');
  assert.match(await page.textContent('.consent') ?? '', /asks to control your screen/);
  const granted = grantIs('control');
  await page.click('.consent button:text-is("Allow shared control")');
  await granted;
  await page.waitForSelector('.banner.sharing');
  assert.match(await page.textContent('.banner.sharing') ?? '', /Shared control/);
  assert.is(await page.$('.consent'), null, 'the prompt is gone');
});

test('chat goes both ways through the agent', async () => {
  await w.rep.conn.sendReliable({ t: 'chat', sessionId: w.sessionId, id: newClientId(), text: 'Hello from the rep' });
  await page.waitForSelector('.log li:has-text("Hello from the rep")');
  await page.fill('#chat-input', 'Hello from the customer');
  await page.click('.composer button[type=submit]');
  await w.rep.waitFor((m) => m.t === 'event' && m.body.kind === 'chat' && m.body.text === 'Hello from the customer', 10_000);
  await until(async () => (await page.$$('.log li:has-text("Hello from the customer")')).length === 1, 10_000, 'one line, no duplicate');
});

test('a rep who joins while sharing is covered only after the customer agrees', async () => {
  const admin = await loginRep(w.server);
  // An admin: only the session's team and admins may join a session someone else has.
  await createRep(w.server, admin, { username: 'bea', password: 'bea-password-1', name: 'Bea Second', isAdmin: true });
  const bea = wsClient(w.server, 'rep', '', { cookie: await loginRep(w.server, 'bea', 'bea-password-1') });
  try {
    const me = await bea.ready;
    bea.conn.send({ t: 'join', sessionId: w.sessionId });
    await page.waitForSelector('.join:has-text("Bea Second joined the session")');
    await page.waitForSelector('.log li:has-text("Bea Second joined the session.")'); // the transcript line too
    const granted = w.rep.next<Msg<'grant'>>((m) => m.t === 'grant' && m.reps.includes(me.participantId), 10_000);
    await page.click('.join button:text-is("Share with them too")');
    const g = await granted;
    assert.is(g.grant, 'control', 'the same grant');
    assert.ok(g.reps.includes(w.repId), 'the first rep still covered');
    await until(async () => (await page.$('.join')) === null, 10_000, 'the prompt gone');
  } finally {
    bea.close();
  }
});

test('a reload of the window keeps the session, the chat and the sharing state', async () => {
  await page.reload();
  await page.waitForSelector('html[data-ready="1"]');
  await page.waitForSelector('.log li:has-text("Hello from the customer")');
  assert.is((await page.$$('.log li:has-text("Hello from the rep")')).length, 1, 'history once, no duplicates');
  await page.waitForSelector('.banner.sharing');
  await new Promise((r) => setTimeout(r, 1500));
  assert.not.ok(w.rep.messages.some((m) => m.t === 'session' && m.session.id === w.sessionId && m.session.state === 'ended'), 'the session goes on');
});

test('a file from the rep, accepted in the window, is saved under Downloads without overwriting', async () => {
  const data = new TextEncoder().encode('the fix: restart the printer spooler\n');
  const sha256 = createHash('sha256').update(data).digest('hex');
  writeFileSync(join(home, 'Downloads', 'fix.txt'), 'older file');
  const id = newClientId();
  w.rep.conn.send({ t: 'file.offer', sessionId: w.sessionId, id, name: '../fix.txt', size: data.byteLength });
  const reg = await w.rep.waitFor<Msg<'file.registered'>>((m) => m.t === 'file.registered' && m.id === id, 10_000);
  await page.click('.transfer.in button:text-is("Accept file")');
  await w.rep.waitFor((m) => m.t === 'file.answer' && m.fileId === reg.fileId && m.accept, 10_000);
  w.rep.conn.send({ t: 'file.chunk', sessionId: w.sessionId, fileId: reg.fileId, offset: 0, data });
  await w.rep.waitFor((m) => m.t === 'file.progress' && m.fileId === reg.fileId && m.bytes === data.byteLength, 10_000);
  w.rep.conn.send({ t: 'file.done', sessionId: w.sessionId, fileId: reg.fileId, sha256 });
  await until(() => existsSync(join(home, 'Downloads', 'fix (1).txt')), 10_000, 'the saved file');
  assert.is(readFileSync(join(home, 'Downloads', 'fix (1).txt'), 'utf8'), 'the fix: restart the printer spooler\n');
  assert.is(readFileSync(join(home, 'Downloads', 'fix.txt'), 'utf8'), 'older file', 'not overwritten');
});

test('END SCREEN SHARE revokes at once', async () => {
  const none = grantIs('none');
  await page.click('.banner.sharing button:text-is("END SCREEN SHARE")');
  await none;
  await until(async () => (await page.$('.banner.sharing')) === null, 10_000, 'the banner gone');
});

test('the keyboard shortcut ends sharing too', async () => {
  w.rep.conn.send({ t: 'screen.request', sessionId: w.sessionId, want: 'view' });
  await page.waitForSelector('.consent');
  const view = grantIs('view');
  await page.click('.consent button:text-is("Allow only viewing")');
  await view;
  const none = grantIs('none');
  await page.keyboard.press('Control+Shift+E');
  await none;
});

test('refusing sends nothing but a "none"', async () => {
  w.rep.conn.send({ t: 'screen.request', sessionId: w.sessionId, want: 'control' });
  await page.waitForSelector('.consent');
  const none = grantIs('none');
  await page.click('.consent button:text-is("Refuse")');
  await none;
});

test('in a long chat the request is pinned in view and focused, and names every rep the grant covers', async () => {
  // A narrow window, as the agent opens it, and a chat far longer than it.
  await page.setViewportSize({ width: 440, height: 680 });
  for (let i = 1; i <= 60; i++) void w.rep.conn.sendReliable({ t: 'chat', sessionId: w.sessionId, id: newClientId(), text: `Long chat line ${i}` });
  await page.waitForSelector('.log li:has-text("Long chat line 60")');
  await page.$eval('.scroll', (el) => { el.scrollTop = 0; });
  w.rep.conn.send({ t: 'screen.request', sessionId: w.sessionId, want: 'control' });
  const s = (await w.rep.next<Msg<'session'>>((m) => m.t === 'session' && m.session.id === w.sessionId && m.session.screenRequest !== null, 10_000)).session;
  await page.waitForSelector('.consent');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  const p = await page.$eval('.consent', (el) => {
    const r = el.getBoundingClientRect();
    return { inView: r.top >= 0 && r.bottom <= innerHeight, focused: el.contains(document.activeElement), role: el.getAttribute('role') };
  });
  assert.ok(p.inView, 'the prompt is inside the window');
  assert.ok(p.focused, 'focus moved to the prompt');
  assert.is(p.role, 'alertdialog');
  assert.ok(s.reps.length >= 2, 'two reps are in the session');
  assert.is(await page.textContent('.consent h2'), `${s.screenRequest!.repName} asks to control your screen`);
  assert.is(await page.textContent('.consent .covers'), `This grant covers: ${s.reps.map((r) => r.name).join(', ')}`);
  // The reader scrolled up: the log stayed there and offers a way to the newest lines.
  await page.waitForSelector('.new-messages');
  assert.is(await page.$eval('.scroll', (el) => el.scrollTop), 0, 'the log did not jump');
  // One scroll region: the page itself does not scroll.
  assert.ok(await page.evaluate(() => document.scrollingElement!.scrollHeight <= innerHeight), 'the page does not scroll');
  await page.screenshot({ path: `${process.env.BRIDGE_SHOTS ?? '/tmp'}/bridge-agent-window-consent.png` });
  const none = grantIs('none');
  await page.click('.consent button:text-is("Refuse")');
  await none;
  await page.waitForSelector('.consent', { state: 'detached' });
});

test('when the rep ends the session the window shows the end and the transcript', async () => {
  w.rep.conn.send({ t: 'end', sessionId: w.sessionId, reason: 'solved' });
  await page.waitForSelector('.ended');
  // In view and focused however long the chat was.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  const ended = await page.$eval('.ended', (el) => { const r = el.getBoundingClientRect(); return { inView: r.top >= 0 && r.bottom <= innerHeight, focused: el.contains(document.activeElement) }; });
  assert.ok(ended.inView, 'the ended card is in view');
  assert.ok(ended.focused, 'the ended card has focus');
  await page.screenshot({ path: `${process.env.BRIDGE_SHOTS ?? '/tmp'}/bridge-agent-window-ended.png` });
  await page.click('button:text-is("View transcript")');
  await page.waitForSelector('.transcript-text');
  assert.match(await page.textContent('.transcript-text') ?? '', /Hello from the customer/);
  // The exit survey goes through the agent to the server, which stores it.
  await page.click('.survey input[name=rating][value="5"]');
  await page.fill('.survey textarea[name=comment]', 'Quick and kind');
  await page.click('.survey button[type=submit]');
  await page.waitForSelector('.survey h2:has-text("Thank you")');
  const db = new Database(join(w.server.dataDir, 'bridge.db'), { readonly: true });
  try {
    const row = db.prepare('SELECT role, answers FROM surveys WHERE session_id = ?').get(w.sessionId) as { role: string; answers: string };
    assert.is(row.role, 'customer');
    assert.equal(JSON.parse(row.answers), { rating: 5, comment: 'Quick and kind' });
  } finally {
    db.close();
  }
  // Close tells the agent (POST close), which closes its window and finishes; the page here is
  // the test's own (the agent runs with --no-browser), so the agent's exit is what shows.
  await page.click('.ended button:text-is("Close")');
  const code = await Promise.race([w.agent!.exited, new Promise<string>((r) => setTimeout(() => r('still running after 15 s'), 15_000))]);
  assert.is(code, 0);
});

test.run();
