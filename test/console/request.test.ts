// The viewer's screen-request state in a real Chromium: it follows `session.screenRequest` (not
// only the rep's click), shows how long ago it was asked with a Cancel button that sends
// `screen.cancel`, says why a request ended without a grant (the server's transcript line),
// never keeps "waiting" without the server's word; grant lines name the reps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import { i18nPlugin } from '../../build-scripts/i18n-plugin.ts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { encode, type Message, type SessionInfo } from '../../protocol/index.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { ASKING_MS } from '../../console/viewer/request.ts';

const SHOTS = process.env.BRIDGE_SHOTS ?? '/tmp';
let tb: TestBrowser;
let page: Page;
let seq = 0;

const info = (screenRequest: SessionInfo['screenRequest']): SessionInfo => ({
  id: 's1', state: 'active', queue: { kind: 'general' }, queueName: 'General', customer: { name: 'Henry Alder', company: '', issue: '', description: '', platform: 'Linux' },
  reps: [{ id: 'rep-1', name: 'Ana Reyes' }], primaryRepId: 'rep-1', createdAt: Date.now() - 60_000, queuedAt: Date.now() - 60_000, acceptedAt: Date.now() - 50_000,
  endedAt: null, externalKey: null, customerOnline: true, agentOnline: true, endReason: null, redirectUrl: null, screenRequest, sharing: 'none',
});
const feed = async (m: Message) => assert.is(await page.evaluate((b64) => (window as any).console_.feed(b64), Buffer.from(encode(m)).toString('base64')), null);
const system = (code: string, text: string): Message => ({ t: 'event', sessionId: 's1', seq: ++seq, at: Date.now(), from: { role: 'system', name: 'Bridge' }, body: { kind: 'system', code, text } });
const status = () => page.locator('.request-status [role=status]');

test.before(async () => {
  tb = await launchBrowser();
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./request-page.tsx', import.meta.url))],
    bundle: true, write: false, format: 'iife', target: 'chrome100', jsx: 'automatic', jsxImportSource: 'preact',
    // The console's catalogues compiled as in the real build.
    plugins: [i18nPlugin],
  });
  page = await tb.browser.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.setContent('<!doctype html><html><body><div id="app"></div></body></html>');
  await page.addStyleTag({ content: readFileSync(fileURLToPath(new URL('../../console/static/console.css', import.meta.url)), 'utf8') });
  await page.addScriptTag({ content: out.outputFiles[0].text });
});
test.after(async () => {
  await tb?.close();
});

test('an outstanding request from the session state: asked how long ago, Cancel sends screen.cancel', async () => {
  const at = Date.now() - 42_000;
  await feed({ t: 'session', session: info({ id: 'req-1', want: 'control', repId: 'rep-1', repName: 'Ana Reyes', at, expiresAt: at + 120_000 }) });
  await status().filter({ hasText: 'Waiting for the customer to allow control…' }).waitFor();
  const shown = (await page.locator('.request-status').textContent())!;
  assert.match(shown, /\(asked 0:4[0-4] ago\)/, shown);
  assert.is(await page.getByRole('button', { name: 'Request control' }).count(), 0, 'no second request while one is outstanding');
  await page.screenshot({ path: `${SHOTS}/console-request-waiting.png` });
  await page.getByRole('button', { name: 'Cancel request' }).click();
  const sent = await page.evaluate(() => (window as any).console_.sent());
  assert.equal(sent.at(-1), { t: 'screen.cancel', sessionId: 's1', requestId: 'req-1' });
  // The server clears the request and writes why: the waiting text goes, the reason shows.
  await feed({ t: 'session', session: info(null) });
  await feed(system('screen.cancelled', 'Ana Reyes cancelled the request to control the screen.'));
  await status().filter({ hasText: 'Ana Reyes cancelled the request to control the screen.' }).waitFor();
  assert.not.match((await page.locator('.viewer').textContent())!, /Waiting for the customer/);
  await page.getByRole('button', { name: 'Request control' }).waitFor();
});

test('declined and timed out requests say so; a new request clears the old reason', async () => {
  await feed(system('screen.requested', 'Ana Reyes is requesting to view your screen.'));
  await feed({ t: 'session', session: info({ id: 'req-2', want: 'view', repId: 'rep-1', repName: 'Ana Reyes', at: Date.now(), expiresAt: Date.now() + 60_000 }) });
  await status().filter({ hasText: 'Waiting for the customer to allow viewing…' }).waitFor();
  await feed({ t: 'session', session: info(null) });
  await feed(system('screen.declined', 'Henry Alder declined the request to view the screen.'));
  await status().filter({ hasText: 'Henry Alder declined the request to view the screen.' }).waitFor();
  await page.screenshot({ path: `${SHOTS}/console-request-declined.png` });
  await feed(system('screen.requested', 'Ana Reyes is requesting to control your screen.'));
  await feed({ t: 'session', session: info({ id: 'req-3', want: 'control', repId: 'rep-1', repName: 'Ana Reyes', at: Date.now(), expiresAt: Date.now() + 60_000 }) });
  await status().filter({ hasText: 'Waiting for the customer to allow control…' }).waitFor();
  await feed({ t: 'session', session: info(null) });
  await feed(system('screen.timeout', 'The request to control the screen timed out.'));
  await status().filter({ hasText: 'The request to control the screen timed out.' }).waitFor();
});

test('another rep\'s request is shown without a Cancel button', async () => {
  await feed({ t: 'session', session: info({ id: 'req-4', want: 'view', repId: 'rep-2', repName: 'Ben Ode', at: Date.now(), expiresAt: Date.now() + 60_000 }) });
  await status().filter({ hasText: 'Ben Ode asked the customer to allow viewing…' }).waitFor();
  assert.is(await page.getByRole('button', { name: 'Cancel request' }).count(), 0);
  await feed({ t: 'session', session: info(null) });
  await page.waitForFunction(() => document.querySelector('.request-status [role=status]')!.textContent === '');
});

test('a click the server never confirms does not wait forever', async () => {
  await page.getByRole('button', { name: 'Request view' }).click();
  await page.locator('[data-grant="requested"]').waitFor();
  await status().filter({ hasText: 'Waiting for the customer to allow viewing…' }).waitFor();
  const sent = await page.evaluate(() => (window as any).console_.sent());
  assert.equal(sent.at(-1), { t: 'screen.request', sessionId: 's1', want: 'view' });
  await page.locator('[data-grant="none"]').waitFor({ timeout: ASKING_MS + 3000 });
  assert.not.match((await page.locator('.viewer').textContent())!, /Waiting for the customer/);
});

test('a grant answers the request; grant lines name the reps they cover', async () => {
  await feed({ t: 'session', session: info({ id: 'req-5', want: 'control', repId: 'rep-1', repName: 'Ana Reyes', at: Date.now(), expiresAt: Date.now() + 60_000 }) });
  await feed({ t: 'grant', sessionId: 's1', grant: 'control', epoch: 1, reps: ['rep-1'], apps: null });
  await feed({ t: 'session', session: info(null) });
  await feed({ t: 'event', sessionId: 's1', seq: ++seq, at: Date.now(), from: { role: 'agent', name: 'Customer agent' }, body: { kind: 'grant', grant: 'control', reps: ['Ana Reyes'] } });
  await page.locator('[data-grant="control"]').waitFor();
  await page.locator('.chatlog .sys', { hasText: "Ana Reyes can now view and control the customer's screen." }).waitFor();
  await feed({ t: 'event', sessionId: 's1', seq: ++seq, at: Date.now(), from: { role: 'agent', name: 'Customer agent' }, body: { kind: 'grant', grant: 'view', reps: ['Ana Reyes', 'Ben Ode'] } });
  await page.locator('.chatlog .sys', { hasText: "Ana Reyes and Ben Ode can now view the customer's screen." }).waitFor();
  await feed({ t: 'event', sessionId: 's1', seq: ++seq, at: Date.now(), from: { role: 'agent', name: 'Customer agent' }, body: { kind: 'grant', grant: 'none', reps: [] } });
  await page.locator('.chatlog .sys', { hasText: 'Screen sharing ended.' }).waitFor();
  assert.is(await status().textContent(), '', 'nothing waits after the grant');
  await page.screenshot({ path: `${SHOTS}/console-request-granted.png` });
});

test.run();
