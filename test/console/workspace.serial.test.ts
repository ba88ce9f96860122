// The console as a rep works in it all day, in a real Chromium against a real server with a
// simulated customer: at 1280×800 and 1920×1080 with files listed the chat keeps at least half
// the column and follows new messages (a "new messages" button when the rep scrolled up), the
// file list's Save button is reachable; transfer asks first; session tabs say what waits.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { newClientId } from '../../protocol/index.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { agentKey, startServer, type TestServer } from '../helpers/server.ts';
import { Sim } from './sim.ts';

const SHOTS = process.env.BRIDGE_SHOTS ?? '/tmp';
const REPS = [
  { username: 'ana', password: 'ana-pass-1', name: 'Ana Reyes', teams: ['Desk'] },
  { username: 'ben', password: 'ben-pass-1', name: 'Ben Ode', teams: ['Desk'] },
];
let bridge: TestServer;
let tb: TestBrowser;
let page: Page;
let customer: Sim;
let sessionId = '';
/** Session key by session id: the agent joins with the customer's key. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function login(p: Page, rep: (typeof REPS)[number]): Promise<void> {
  await p.goto(`${bridge.url}/console/`);
  await p.getByLabel('User name').fill(rep.username);
  await p.getByLabel('Password').fill(rep.password);
  await p.getByRole('button', { name: 'Log in' }).click();
  await p.locator('.conn.online').waitFor();
}

/** A customer joins with a key Ana made; Ana accepts; the session tab is open. */
async function newSession(name: string): Promise<Sim> {
  const { key } = await page.evaluate(() => fetch('/api/session-keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.json()));
  const sim = await Sim.join(bridge.url, { key, role: 'customer', name, platform: 'Linux' });
  await page.locator('.tabs > button.tab').first().click();
  await page.locator(`tr[data-session="${sim.sessionId}"] button.accept`).click();
  await page.locator(`.session[data-session="${sim.sessionId}"]`).waitFor();
  await sim.waitFor('session', (m) => m.session.state === 'active');
  return sim;
}

/** The customer offers a file, the rep accepts, it arrives complete: a Save link appears. */
async function fileFromCustomer(sim: Sim, name: string): Promise<void> {
  const text = Buffer.from(`contents of ${name}\n`);
  const id = newClientId();
  sim.send({ t: 'file.offer', sessionId: sim.sessionId, id, name, size: text.length, mime: 'text/plain' });
  const reg = await sim.waitFor('file.registered', (m) => m.id === id);
  await page.locator('.file.in.offered', { hasText: name }).getByRole('button', { name: 'Accept' }).click();
  await sim.waitFor('file.answer', (m) => m.fileId === reg.fileId && m.accept);
  sim.send({ t: 'file.chunk', sessionId: sim.sessionId, fileId: reg.fileId, offset: 0, data: new Uint8Array(text) });
  sim.send({ t: 'file.done', sessionId: sim.sessionId, fileId: reg.fileId, sha256: createHash('sha256').update(text).digest('hex') });
  await page.locator('.file.in.done', { hasText: name }).getByRole('link', { name: 'Save' }).waitFor();
}

/** Geometry a person sees: chat log and side column heights, and whether Save is inside the window. */
function measure(p: Page) {
  return p.evaluate(() => {
    // No named helper functions in here: tsx would wrap them in __name(), unknown in the page.
    const scroll = document.querySelector('.chat-scroll')!;
    const saves = [...document.querySelectorAll('.files a.save')].map((a) => a.getBoundingClientRect());
    return {
      chat: document.querySelector('.chat')!.getBoundingClientRect().height,
      side: document.querySelector('.side')!.getBoundingClientRect().height,
      viewportH: innerHeight,
      viewportW: innerWidth,
      atBottom: scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 4,
      saves: saves.map((b) => ({ top: b.top, bottom: b.bottom, left: b.left, right: b.right })),
    };
  });
}

test.before(async () => {
  bridge = await startServer({ config: { reps: REPS, teams: [{ name: 'Desk' }], agreement: null, screenRequestTimeoutSec: 3 } });
  tb = await launchBrowser();
  page = await tb.browser.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await login(page, REPS[0]);
  customer = await newSession('Henry Alder');
  sessionId = customer.sessionId;
});

test.after(async () => {
  customer?.close();
  await tb?.close();
  await bridge?.stop();
});

test('with files listed the chat keeps half the column, follows new messages and Save is not cut off', async () => {
  for (let i = 1; i <= 30; i++) await customer.chat(`Line ${i} of a long description of the problem.`);
  await page.locator('.chatlog .msg', { hasText: 'Line 30 of' }).waitFor();
  for (const n of ['printer.log', 'dmesg.txt', 'cups-error.log', 'ppd-dump.txt']) await fileFromCustomer(customer, n);
  for (const [w, h] of [[1280, 800], [1920, 1080]]) {
    await page.setViewportSize({ width: w, height: h });
    await customer.chat(`A new message at ${w}×${h}`);
    await page.locator('.chatlog .msg', { hasText: `A new message at ${w}×${h}` }).waitFor();
    await sleep(150);
    const m = await measure(page);
    await page.screenshot({ path: `${SHOTS}/console-files-${w}x${h}.png` });
    // Half within a pixel: the two panes split the column with subpixel rounding.
    assert.ok(m.chat >= m.side / 2 - 1, `${w}×${h}: chat ${m.chat}px of a ${m.side}px column`);
    assert.ok(m.atBottom, `${w}×${h}: the chat shows the newest message`);
    for (const b of m.saves) assert.ok(b.top >= 0 && b.bottom <= m.viewportH && b.right <= m.viewportW, `${w}×${h}: Save at ${JSON.stringify(b)}`);
    // Each Save button is inside the files list's visible area too (not clipped by a scroller).
    for (const save of await page.locator('.files a.save').all()) {
      await save.scrollIntoViewIfNeeded();
      const box = (await save.boundingBox())!;
      const list = (await page.locator('.files ul').boundingBox())!;
      assert.ok(box.y >= list.y - 1 && box.y + box.height <= list.y + list.height + 1 && box.x + box.width <= list.x + list.width + 1, `${w}×${h}: Save inside the list`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('a rep who scrolled up keeps the place; a "new messages" button brings the newest into view', async () => {
  await page.locator('.chat-scroll').evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
  await customer.chat('Are you still there?');
  const more = page.getByRole('button', { name: /new message/i });
  await more.waitFor();
  assert.is(await page.locator('.chat-scroll').evaluate((el) => el.scrollTop), 0, 'the place is kept');
  await page.screenshot({ path: `${SHOTS}/console-new-messages.png` });
  await more.click();
  await page.waitForFunction(() => { const el = document.querySelector('.chat-scroll')!; return el.scrollHeight - el.scrollTop - el.clientHeight < 4; });
  await more.waitFor({ state: 'detached' });
  // Own messages always bring the log down.
  await page.locator('.chat-scroll').evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
  await page.getByLabel('Message').fill('Yes, I am here.');
  await page.getByLabel('Message').press('Enter');
  await page.locator('.chatlog .msg.me:not(.pending)', { hasText: 'Yes, I am here.' }).waitFor();
  await page.waitForFunction(() => { const el = document.querySelector('.chat-scroll')!; return el.scrollHeight - el.scrollTop - el.clientHeight < 4; });
});

test('session tabs say what waits: unread lines, a customer waiting for a reply, a file offer', async () => {
  const grace = await newSession('Grace Hopper');
  try {
    const tab = page.locator(`.session-tab[data-session="${sessionId}"] .tab-label`);
    await customer.chat('Hello? My printer is still broken.');
    await tab.locator('.count').waitFor();
    await tab.locator('.flag.waiting').waitFor();
    const id = newClientId();
    customer.send({ t: 'file.offer', sessionId, id, name: 'scan.pdf', size: 10, mime: 'application/pdf' });
    await tab.locator('.flag.file').waitFor();
    const label = (await tab.getAttribute('aria-label'))!;
    assert.match(label, /^Henry Alder 1 waits 0:\d\d file: 1 unread message, waits 0:\d\d for your reply, file offer to answer$/, label);
    await page.locator('.tabs').screenshot({ path: `${SHOTS}/console-tabs.png` });
    await page.screenshot({ path: `${SHOTS}/console-tabs-page.png` });
    // Looking at the session, answering the customer and the offer clears every mark.
    await tab.click();
    await page.getByLabel('Message').fill('I am looking into it.');
    await page.getByLabel('Message').press('Enter');
    await page.locator('.file.in.offered', { hasText: 'scan.pdf' }).getByRole('button', { name: 'Decline' }).click();
    await page.waitForFunction((sel) => document.querySelector(sel)!.getAttribute('aria-label') === 'Henry Alder', `.session-tab[data-session="${sessionId}"] .tab-label`);
    assert.is(await tab.locator('.flag').count(), 0);
  } finally {
    grace.close();
  }
});

test('a screen request is shown from the server with its age; Cancel, a refusal and a timeout each say why it went', async () => {
  const status = page.locator('.request-status [role=status]');
  const tab = page.locator(`.session-tab[data-session="${sessionId}"] .tab-label`);
  // Asked before the customer runs the agent: the request is the server's, so it waits for the agent.
  await page.getByRole('button', { name: 'Request control' }).click();
  const asked = await customer.waitFor('session', (m) => m.session.screenRequest !== null);
  await status.filter({ hasText: 'Waiting for the customer to allow control…' }).waitFor();
  await page.locator('.request-status', { hasText: /\(asked 0:0\d ago\)/ }).waitFor();
  await tab.locator('.flag.screen.asked').waitFor();
  await page.screenshot({ path: `${SHOTS}/console-request-live.png` });
  await page.getByRole('button', { name: 'Cancel request' }).click();
  await customer.waitFor('event', (m) => m.body.kind === 'system' && m.body.code === 'screen.cancelled');
  await status.filter({ hasText: 'Ana Reyes withdrew the request to control the screen.' }).waitFor();
  assert.is(await page.getByRole('button', { name: 'Cancel request' }).count(), 0);

  // The customer refuses in the agent's window.
  assert.is(asked.session.screenRequest!.want, 'control');
  const agent = await Sim.join(bridge.url, { key: await agentKey(bridge, customer.token), role: 'agent', platform: 'linux-x64' });
  try {
    await page.getByRole('button', { name: 'Request view' }).click();
    const open = await agent.waitFor('session', (m) => m.session.screenRequest?.want === 'view');
    agent.send({ t: 'screen.decline', sessionId, requestId: open.session.screenRequest!.id });
    await status.filter({ hasText: 'The customer declined the request to view the screen.' }).waitFor();
    await tab.locator('.flag.screen.declined').waitFor();
    assert.match((await tab.getAttribute('aria-label'))!, /screen declined/);
    await page.screenshot({ path: `${SHOTS}/console-request-declined-live.png` });

    // Nobody answers: after the configured time the server says so and the console stops waiting.
    await page.getByRole('button', { name: 'Request control' }).click();
    await status.filter({ hasText: 'Waiting for the customer to allow control…' }).waitFor();
    await status.filter({ hasText: 'The request to control the screen timed out without an answer.' }).waitFor({ timeout: 8000 });
    await tab.locator('.flag.screen.timeout').waitFor();

    // Answered: the grant names the rep in the chat, and nothing waits any more.
    await page.getByRole('button', { name: 'Request control' }).click();
    await agent.waitFor('session', (m) => m.session.screenRequest?.want === 'control');
    const repId = (await page.evaluate(() => fetch('/api/rep/me').then((r) => r.json()))).rep.id;
    agent.send({ t: 'grant', sessionId, grant: 'control', epoch: 1, reps: [repId], apps: null });
    await page.locator('.chatlog .sys', { hasText: "Ana Reyes can now view and control the customer's screen." }).waitFor();
    await page.locator('[data-grant="control"]').waitFor();
    await page.waitForFunction(() => document.querySelector('.request-status [role=status]')!.textContent === '');
    assert.is(await tab.locator('.flag.screen').count(), 0);
    agent.send({ t: 'grant', sessionId, grant: 'none', epoch: 2, reps: [], apps: null });
    await page.locator('.chatlog .sys', { hasText: 'Screen sharing ended.' }).waitFor();
  } finally {
    agent.close();
  }
});

test('Transfer… names the target and sends nothing until confirmed; Esc leaves the session as it was', async () => {
  const transferBtn = page.getByRole('button', { name: 'Transfer…' });
  await transferBtn.click();
  const dialog = page.getByRole('dialog', { name: 'Transfer Henry Alder' });
  await dialog.waitFor();
  assert.is(await page.evaluate(() => document.activeElement?.tagName), 'SELECT', 'focus moves into the dialog');
  assert.ok(await dialog.locator('option', { hasText: 'Ben Ode' }).isDisabled(), 'an offline rep cannot be picked');
  const team = (await page.evaluate(() => fetch('/api/rep/me').then((r) => r.json()))).rep.teams[0];
  await dialog.getByLabel('Transfer to').selectOption(`team:${team.id}`);
  await dialog.getByRole('button', { name: 'Transfer to the Desk team' }).waitFor();
  assert.match((await dialog.textContent())!, /Henry Alder will wait for the Desk team/);
  await page.screenshot({ path: `${SHOTS}/console-transfer-confirm.png` });
  // Tab stays inside the dialog: select → Cancel → Transfer → select.
  for (const expected of ['Cancel', 'Transfer to the Desk team', '']) {
    await page.keyboard.press('Tab');
    assert.is(await page.evaluate(() => (document.activeElement?.tagName === 'SELECT' ? '' : document.activeElement?.textContent)), expected);
  }
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.is(await page.evaluate(() => document.activeElement?.textContent), 'Transfer…', 'focus returns to the button');
  await sleep(300);
  assert.ok(!customer.received.some((m) => m.t === 'event' && m.body.kind === 'system' && /transferred/.test(m.body.text)), 'nothing was transferred');
  await page.locator(`.session[data-session="${sessionId}"] .badge.state.active`).waitFor();

  await transferBtn.click();
  await dialog.getByLabel('Transfer to').selectOption('general');
  await dialog.getByRole('button', { name: 'Transfer to the general queue' }).click();
  await customer.waitFor('event', (m) => m.body.kind === 'system' && /transferred to the general queue/.test(m.body.kind === 'system' ? m.body.text : ''));
  await page.locator(`.session-tab[data-session="${sessionId}"]`).waitFor({ state: 'detached' });
});

test.run();
