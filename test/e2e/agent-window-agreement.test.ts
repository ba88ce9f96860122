// A customer who starts with the agent (not the browser chat) meets the site's agreement and
// recording question in the agent window first; the answers go through the agent to the server.
import type { Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildApps } from '../../build-scripts/build.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { withAgent, world, type World } from '../agent/harness.ts';

let w: World;
let tb: TestBrowser;
let page: Page;

test.before(async () => {
  try {
    await buildApps({ quiet: true });
    w = await world({ customerAgrees: false, config: { companyName: 'Acme', agreement: { text: 'Acme may look at your screen.', timeoutSec: 600 }, recording: { policy: 'ask' } } });
    await withAgent(w);
    tb = await launchBrowser();
    page = await (tb.browser as unknown as { newPage(): Promise<Page> }).newPage();
    await page.goto(w.agent!.windowUrl);
  } catch (e) { console.error('before failed:', e); throw e; }
});

test.after(async () => {
  await tb?.close();
  await w?.teardown();
});

test('agreement, then recording, then the chat and consent', async () => {
  await page.waitForSelector('.agreement');
  assert.match(await page.textContent('.agreement') ?? '', /Acme may look at your screen/);
  w.rep.conn.send({ t: 'screen.request', sessionId: w.sessionId, want: 'view' });
  await new Promise((r) => setTimeout(r, 500));
  assert.is(await page.$('.consent'), null, 'no consent prompt before the agreement');
  await page.click('.agreement button:text-is("Accept")');
  await w.rep.waitFor((m) => m.t === 'event' && m.body.kind === 'agreement' && m.body.accepted, 10_000);
  await page.waitForSelector('.recording');
  await page.click('.recording button:text-is("Allow recording")');
  await w.rep.waitFor((m) => m.t === 'event' && m.body.kind === 'recording' && m.body.allowed, 10_000);
  await page.waitForSelector('.consent');
  await page.waitForSelector('#chat-input');
});

test.run();
