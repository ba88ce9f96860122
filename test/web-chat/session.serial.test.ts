// A whole customer session in the browser chat against a real server and a rep client:
// key → agreement → recording → queue → chat, typing, nudge, files both ways, offline and
// reload without loss or duplicates, end → survey (stored in SQLite) → transcript download.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { test } from 'uvu';
import { axeFindings, describeFindings } from '../helpers/axe.ts';
import * as assert from 'uvu/assert';
import { newClientId, type Msg } from '../../protocol/index.ts';
import { createKey, loginRep, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';
import { standInAgent } from '../helpers/stand-in-agent.ts';
import { customer, joinByKey, launch, lines, seeLine, shot } from './util.ts';

let server: TestServer;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let rep: TestClient;
let sessionId = '';
let key = '';

const say = (text: string) => rep.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text });
const countLines = async (text: string) => (await lines(page)).filter((l) => l.includes(text)).length;

test.before(async () => {
  server = await startServer({
    config: {
      companyName: 'Acme',
      agreement: { text: 'You agree that Acme may help you.', timeoutSec: 90 },
      recording: { policy: 'ask' },
      files: { maxBytes: 1024 * 1024, maxPerSession: 10 },
      // Small enough for the "too fast" test to reach it however slowly the machine types: ten
      // lines overrun a burst of 5 refilled at one a second unless typing them takes over 5 s.
      rateLimit: { messageBurst: 5, messagesPerMin: 60 },
    },
  });
  browser = await launch();
  ({ ctx, page } = await customer(browser));
  const cookie = await loginRep(server);
  rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;
  const k = await createKey(server, cookie);
  sessionId = k.sessionId;
  key = k.key;
  await page.goto(server.url + '/');
  await shot(page, '01-portal');
  await page.fill('#session-key', k.key);
  await page.fill('#key-name', 'Sam Session');
  await page.click('button:text-is("Start")');
});

test.after(async () => {
  rep?.close();
  await browser?.close();
  await server?.stop();
});

test('joins by key: agreement with countdown, then recording consent, then the queue greeting', async () => {
  await page.waitForSelector('.agreement');
  assert.match(await page.textContent('.agreement') ?? '', /You agree that Acme may help you/);
  assert.match(await page.textContent('.countdown') ?? '', /\d+ seconds/);
  assert.is(new URL(page.url()).pathname, '/chat');
  await shot(page, '02-agreement');
  await page.click('.agreement button:text-is("Accept")');
  await page.waitForSelector('.recording');
  await page.click('button:text-is("Allow recording")');
  await page.waitForSelector('.queue');
  await page.waitForSelector('.queue .position');
  assert.match(await page.textContent('.queue') ?? '', /You are next in line|number 1/);
  await shot(page, '03-queue');
});

test('chats with the rep both ways, with typing indicators', async () => {
  rep.conn.send({ t: 'accept', sessionId });
  await seeLine(page, 'accepted the session');
  // The rep gets the transcript so far on accept: the customer's answers are in it.
  await rep.waitFor((m) => m.t === 'event' && m.body.kind === 'agreement' && m.body.accepted === true);
  await rep.waitFor((m) => m.t === 'event' && m.body.kind === 'recording' && m.body.allowed === true);
  await page.waitForSelector('.queue', { state: 'detached' });
  await page.fill('#chat-input', 'Hello, my printer is on fire');
  const typing = await rep.waitFor<Msg<'typing'>>((m) => m.t === 'typing' && m.active);
  assert.is(typing.from?.role, 'customer');
  await page.press('#chat-input', 'Enter');
  await rep.waitFor((m) => m.t === 'event' && m.body.kind === 'chat' && m.body.text === 'Hello, my printer is on fire');
  rep.conn.send({ t: 'typing', sessionId, active: true });
  await page.waitForSelector('.typing:has-text("is typing")');
  await say('Please step away from it');
  await seeLine(page, 'Please step away from it');
  await page.waitForFunction(() => !document.querySelector('.typing')?.textContent);
  const l = await lines(page);
  assert.ok(l.some((x) => x.startsWith('You') && x.includes('printer is on fire')), 'own line says "You"');
  assert.ok(l.some((x) => /\d\d:\d\d/.test(x)), 'timestamps');
  assert.is(await page.getAttribute('[role=log]:has(> .log)', 'aria-live'), 'polite');
  await shot(page, '04-chat');
});

test('typing faster than the rate limit: the chat says so and what happens, and every line arrives in order', async () => {
  const texts = Array.from({ length: 10 }, (_, i) => `quick line ${i}`);
  for (const t of texts) {
    await page.fill('#chat-input', t);
    await page.press('#chat-input', 'Enter');
  }
  await seeLine(page, "You're sending messages too fast: your message goes out by itself in");
  await shot(page, '04b-too-fast');
  await until(() => rep.events(sessionId).filter((e) => e.body.kind === 'chat' && e.body.text.startsWith('quick line')).length === 10, 20_000, 'all 10 at the rep');
  const got = rep.events(sessionId).flatMap((e) => (e.body.kind === 'chat' && e.body.text.startsWith('quick line') ? [e.body.text] : []));
  assert.equal(got, texts);
  await page.waitForFunction(() => document.querySelectorAll('.log .pending').length === 0);
});

test('a pushed URL is a link, and so are addresses in chat text (http/https only)', async () => {
  await rep.conn.sendReliable({ t: 'url.push', sessionId, id: newClientId(), url: 'https://example.com/help' });
  await page.waitForSelector('.log a[href="https://example.com/help"]');
  await say('See https://example.com/faq. Not javascript:alert(1)');
  await page.waitForSelector('.log a[href="https://example.com/faq"]');
  assert.is(await page.$$eval('.log a', (as) => as.filter((a) => !/^https?:/.test(a.getAttribute('href') ?? '')).length), 0);
});

test('nudge: shake class, sound, and a chat line', async () => {
  const shook = page.waitForFunction(() => document.getElementById('chat-root')?.classList.contains('shake'), null, { timeout: 5000, polling: 10 });
  await rep.conn.sendReliable({ t: 'nudge', sessionId, id: newClientId() });
  await shook;
  await seeLine(page, 'sent a nudge');
  await page.waitForFunction(() => document.documentElement.dataset.chimes === '1');
  await shot(page, '05-nudge');
});

test('a notice sent by the rep pops up, and the customer may stay', async () => {
  await rep.conn.sendReliable({ t: 'notice', sessionId, id: newClientId(), text: 'We restart the mail server at 5 pm.', leaveAllowed: true });
  await page.waitForSelector('.notice:has-text("mail server")');
  await page.click('.notice button:text-is("Stay in the session")');
  await page.waitForSelector('.notice', { state: 'detached' });
  await seeLine(page, 'mail server');
});

test('font size is remembered', async () => {
  await page.getByRole('button', { name: 'A+ larger text' }).click();
  await page.waitForFunction(() => localStorage.getItem('bridge.fontSize') === '17');
  assert.is(await page.evaluate(() => getComputedStyle(document.querySelector('.log')!).fontSize), '17px');
});

test('sends a file to the rep (limit shown, rep accepts, progress to done)', async () => {
  assert.match(await page.textContent('#file-limit') ?? '', /1\.0 MB/);
  const data = Buffer.alloc(600 * 1024, 7);
  data.write('customer file');
  await page.setInputFiles('#file-input', { name: 'log.txt', mimeType: 'text/plain', buffer: data });
  const offer = await rep.waitFor<Msg<'file.offer'>>((m) => m.t === 'file.offer');
  assert.is(offer.name, 'log.txt');
  assert.is(offer.size, data.length);
  await page.waitForSelector('.transfer.out.offered');
  rep.conn.send({ t: 'file.answer', sessionId, fileId: offer.fileId!, accept: true });
  await rep.waitFor((m) => m.t === 'file.done' && m.fileId === offer.fileId, 8000).catch(() => {});
  await rep.waitFor((m) => m.t === 'event' && m.body.kind === 'file' && m.body.status === 'done' && m.body.fileId === offer.fileId, 8000);
  const got = Buffer.concat(rep.messages.filter((m): m is Msg<'file.chunk'> => m.t === 'file.chunk' && m.fileId === offer.fileId).map((m) => Buffer.from(m.data)));
  assert.ok(got.equals(data), 'the rep got the same bytes');
  await page.waitForSelector('.transfer.out.done progress[value="100"]');
});

test('a too-large file is refused before upload', async () => {
  await page.setInputFiles('#file-input', { name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1024 * 1024 + 1) });
  await page.waitForSelector('.sendfile .error:has-text("too large")');
});

test('receives a file from the rep after accepting it', async () => {
  const data = Buffer.from('driver settings\n'.repeat(1000));
  const id = newClientId();
  rep.conn.send({ t: 'file.offer', sessionId, id, name: 'settings.txt', size: data.length, mime: 'text/plain' });
  const reg = await rep.waitFor<Msg<'file.registered'>>((m) => m.t === 'file.registered' && m.id === id);
  await page.waitForSelector('.transfer.in.offered');
  await shot(page, '06-file-offer');
  await page.click('button:text-is("Accept file")');
  await rep.waitFor((m) => m.t === 'file.answer' && m.fileId === reg.fileId && m.accept);
  rep.conn.send({ t: 'file.chunk', sessionId, fileId: reg.fileId, offset: 0, data: new Uint8Array(data) });
  await rep.waitFor((m) => m.t === 'file.progress' && m.fileId === reg.fileId && m.bytes === data.length);
  const { createHash } = await import('node:crypto');
  rep.conn.send({ t: 'file.done', sessionId, fileId: reg.fileId, sha256: createHash('sha256').update(data).digest('hex') });
  await page.waitForSelector('.transfer.in.done a[download="settings.txt"]');
  const text = await page.evaluate(async () => (await fetch((document.querySelector('.transfer.in.done a') as HTMLAnchorElement).href)).text());
  assert.is(text, data.toString());
});

test('offline and back: banner, nothing lost, nothing doubled', async () => {
  await ctx.setOffline(true);
  await page.evaluate(() => (window as any).bridgeChat.reconnect());
  await page.waitForSelector('.banner.offline');
  await shot(page, '07-offline');
  await page.fill('#chat-input', 'sent while offline');
  await page.press('#chat-input', 'Enter');
  await say('rep wrote while you were away');
  await page.waitForTimeout(300);
  assert.is(await countLines('rep wrote while you were away'), 0);
  await ctx.setOffline(false);
  await seeLine(page, 'rep wrote while you were away', 15000);
  await page.waitForSelector('.banner.offline', { state: 'detached' });
  await rep.waitFor((m) => m.t === 'event' && m.body.kind === 'chat' && m.body.text === 'sent while offline', 8000);
  await page.waitForFunction(() => !document.querySelector('.line.pending'));
  assert.is(await countLines('sent while offline'), 1);
  assert.is(await countLines('rep wrote while you were away'), 1);
  assert.is(rep.events(sessionId).filter((e) => e.body.kind === 'chat' && e.body.text === 'sent while offline').length, 1);
});

test('a reload resumes the session: same log, unacked message sent once', async () => {
  const before = (await lines(page)).length;
  await ctx.setOffline(true);
  await page.evaluate(() => (window as any).bridgeChat.reconnect());
  await page.fill('#chat-input', 'typed before the reload');
  await page.press('#chat-input', 'Enter');
  await page.waitForSelector('.line.pending');
  await ctx.setOffline(false);
  await page.reload();
  await seeLine(page, 'typed before the reload', 15000);
  await page.waitForFunction(() => !document.querySelector('.line.pending'));
  assert.is(await countLines('typed before the reload'), 1);
  assert.is(await countLines('Hello, my printer is on fire'), 1);
  assert.ok((await lines(page)).length >= before + 1);
  await rep.waitFor((m) => m.t === 'event' && m.body.kind === 'chat' && m.body.text === 'typed before the reload', 8000);
  await page.waitForTimeout(300);
  assert.is(rep.events(sessionId).filter((e) => e.body.kind === 'chat' && e.body.text === 'typed before the reload').length, 1);
  assert.not.ok(await page.$('.agreement'), 'the agreement is not asked again');
});

test('screen sharing: agent download for the detected platform, only what the server serves, run instructions', async () => {
  // This test server packages nothing; it serves the one agent an administrator put there.
  standInAgent(server);
  await page.click('button:text-is("Share my screen")');
  await page.waitForSelector('.screenshare a.button');
  // The download gets a fresh key of its own (the typed one may be long expired by now).
  const href = await page.getAttribute('.screenshare a.button', 'href') ?? '';
  const m = /^\/download\/([A-Z0-9]{7})\/linux-x64$/.exec(href);
  assert.ok(m, href);
  const agentKey = m![1];
  assert.is.not(agentKey, key);
  assert.match(await page.textContent('.screenshare .steps') ?? '', new RegExp(`chmod \\+x bridge-agent-${agentKey}.*\\./bridge-agent-${agentKey}`));
  // Only what can be served is offered; the others are named, with whom to ask.
  assert.equal(await page.$$eval('.screenshare select option', (els) => els.map((e) => (e as HTMLOptionElement).value)), ['linux-x64']);
  assert.is((await page.textContent('.screenshare .unavailable'))?.trim(), 'Windows and macOS downloads are not set up on this server — ask your support representative.');
  await shot(page, '08-screenshare');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('.screenshare a.button')]);
  assert.is(file.suggestedFilename(), `bridge-agent-${agentKey}`);
  assert.is(readFileSync((await file.path())!, 'utf8'), 'not really an agent');
  assert.not.ok(await page.$('.screenshare .error'));
  await page.click('.screenshare button:text-is("Not now")');
  await page.waitForSelector('.screenshare', { state: 'detached' });
});

test('ends the session with confirmation, then the survey is stored in SQLite', async () => {
  await page.click('button:text-is("End session")');
  await page.waitForSelector('[role=alertdialog]');
  // Escape answers No, and focus goes back to where the question came from.
  await page.keyboard.press('Escape');
  await page.waitForSelector('[role=alertdialog]', { state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.textContent === 'End session', undefined, { timeout: 3000 });
  await page.click('button:text-is("End session")');
  await page.click('button:text-is("Yes, end it")');
  await rep.waitFor((m) => m.t === 'session' && m.session.id === sessionId && m.session.state === 'ended');
  await page.waitForSelector('.survey');
  await shot(page, '09-ended-survey');
  await page.check('.survey input[name=rating][value="4"]');
  await page.fill('.survey textarea[name=comment]', 'Quick and friendly');
  const before = await axeFindings(page);
  assert.equal(before, [], describeFindings(before));
  await page.click('button:text-is("Send answers")');
  await page.waitForSelector('.survey:has-text("Thank you")');
  await page.waitForFunction(() => document.activeElement && document.activeElement !== document.body, undefined, { timeout: 3000 });
  await until(() => {
    const db = new Database(join(server.dataDir, 'bridge.db'), { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT answers, role FROM surveys WHERE session_id = ?').get(sessionId) as { answers: string; role: string } | undefined;
      return !!row && JSON.parse(row.answers).rating === 4 && JSON.parse(row.answers).comment === 'Quick and friendly' && row.role === 'customer';
    } finally { db.close(); }
  }, 5000, 'the survey row');
});

test('views and downloads the transcript', async () => {
  await page.click('button:text-is("View transcript")');
  await page.waitForSelector('.transcript-text');
  assert.match(await page.textContent('.transcript-text') ?? '', /printer is on fire/);
  await shot(page, '10-transcript');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('button:text-is("Download transcript")')]);
  assert.is(dl.suggestedFilename(), `transcript-${sessionId}.txt`);
  const text = readFileSync((await dl.path())!, 'utf8');
  assert.match(text, /Please step away from it/);
  assert.match(text, /sent while offline/);
});

test.run();
