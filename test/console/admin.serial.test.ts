// The Admin area in a real Chromium against a real server, as an administrator walks it: create a
// rep and log in as them, a canned message they insert in a chat, the agreement and a survey
// question changed and seen by the next customer, the audit log, a disabled rep logged out at
// once; one admin form used by keyboard alone; and the Integrations screen: an API account whose
// shown secret gets a token, an event endpoint whose delivery log shows a session's events. The admin works on 127.0.0.1, the rep on
// localhost (cookies are per host, so the two logins don't share a cookie jar).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { api, createKey, createTeam, joinSession, loginRep, startServer, until, type TestServer } from '../helpers/server.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

let server: TestServer;
let tb: TestBrowser;
let admin: Page;
let rep: Page;
let customer: Page;
let repHost = '';
let receiver: Receiver | undefined;
const shot = (p: Page, name: string) => p.screenshot({ path: `/tmp/admin-${name}.png` });

test.before(async () => {
  server = await startServer({ config: { agreement: { text: 'Old agreement text.', timeoutSec: 300 } } });
  await createTeam(server, await loginRep(server), 'Tier 1');
  repHost = server.url.replace('127.0.0.1', 'localhost');
  tb = await launchBrowser();
  const errors = (p: Page) => p.on('pageerror', (e) => console.error('page error:', e.message));
  [admin, rep, customer] = await Promise.all([tb.browser.newPage(), tb.browser.newPage(), tb.browser.newPage()]);
  for (const p of [admin, rep, customer]) errors(p);
  await admin.setViewportSize({ width: 1400, height: 900 });
});

test.after(async () => {
  await tb?.close();
  await server?.stop();
  await receiver?.close();
});

async function logIn(p: Page, base: string, username: string, password: string) {
  await p.goto(`${base}/console/`);
  await p.getByLabel('User name').fill(username);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Log in' }).click();
  await p.locator('.conn.online').waitFor();
}

const adminScreen = (name: string) => admin.getByRole('navigation', { name: 'Admin' }).getByRole('button', { name });

test('an admin creates a rep and a canned message; the rep logs in', async () => {
  await logIn(admin, server.url, 'admin', server.adminPassword);
  await admin.getByRole('tab', { name: 'Admin' }).click();
  await admin.getByRole('button', { name: 'Add representative' }).click();
  await admin.getByLabel('User name').fill('nora');
  await admin.getByLabel('Display name').fill('Nora Rep');
  await admin.getByLabel('Password', { exact: true }).fill('short');
  await admin.getByRole('checkbox', { name: 'Tier 1' }).check();
  await admin.getByRole('button', { name: 'Create representative' }).click();
  // The server's word for the bad field shows beside it.
  await admin.locator('#new-rep-password-err', { hasText: 'at least 8 characters' }).waitFor();
  assert.is(await admin.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true');
  await admin.getByLabel('Password', { exact: true }).fill('nora-pass-1');
  await admin.getByRole('button', { name: 'Create representative' }).click();
  await admin.locator('tr[data-rep="nora"]', { hasText: 'Tier 1' }).waitFor();
  await shot(admin, 'reps');

  await adminScreen('Canned messages').click();
  await admin.getByRole('button', { name: 'Add canned message' }).click();
  await admin.getByRole('textbox', { name: 'Title' }).fill('Greeting');
  await admin.getByRole('textbox', { name: 'Message' }).fill('Hello, I am looking into it right now.');
  await admin.getByRole('button', { name: 'Save message' }).click();
  await admin.getByRole('cell', { name: 'Greeting', exact: true }).waitFor();

  await logIn(rep, repHost, 'nora', 'nora-pass-1');
  assert.is(await rep.getByRole('tab', { name: 'Admin' }).count(), 0, 'no Admin area for a rep');
});

test('a changed agreement and survey question reach the next customer', async () => {
  await adminScreen('Settings').click();
  const agreement = admin.locator('form[data-group="agreement"]');
  await agreement.getByLabel('Agreement text').fill('New agreement: we may see your screen only if you allow it.');
  await agreement.getByRole('button', { name: 'Save agreement' }).click();
  await admin.locator('.toast', { hasText: 'Agreement saved' }).waitFor();
  const surveys = admin.locator('form[data-group="surveys"]');
  await surveys.getByLabel('Question', { exact: true }).first().fill('How well did Nora help you?');
  await surveys.getByRole('checkbox', { name: 'Required' }).first().check();
  await surveys.locator('[data-preview="customer-survey"]', { hasText: /How well did Nora help you\?.*\(required\)/ }).waitFor();
  await shot(admin, 'surveys');
  await surveys.getByRole('button', { name: 'Save surveys' }).click();
  await admin.locator('.toast', { hasText: 'Surveys saved' }).waitFor();

  const key = (await api(server, 'POST', '/api/session-keys', { queue: { kind: 'general' } }, { cookie: await loginRep(server) })).body;
  await customer.goto(`${server.url}/s/${key.accessKey}`);
  await customer.getByLabel('Your name').fill('Casey');
  await customer.getByRole('button', { name: 'Start' }).click();
  await customer.getByText('New agreement: we may see your screen only if you allow it.').waitFor();
  await customer.getByRole('button', { name: 'Accept' }).click();
  const welcome = await api(server, 'GET', '/api/admin/settings', undefined, { cookie: await loginRep(server) });
  assert.is(welcome.body.settings.surveys.customer[0].required, true);
});

test('the rep inserts a canned message in the chat with "/", and sends a prepared notice', async () => {
  await rep.locator('section.queue[data-queue="general"] button.accept').first().click();
  const input = rep.getByRole('combobox', { name: 'Message' });
  await input.fill('/greet');
  await rep.getByRole('option', { name: /Greeting/ }).waitFor();
  await input.press('Enter');
  assert.is(await input.inputValue(), 'Hello, I am looking into it right now.');
  await input.press('Enter');
  await customer.getByText('Hello, I am looking into it right now.').waitFor();
  await shot(rep, 'canned');
  // A notice the administrator prepared: picked in the Notice tool, sent, shown to the customer.
  assert.is((await api(server, 'PUT', '/api/admin/settings', { repNotices: ['Planned maintenance tonight from 22:00.'] }, { cookie: await loginRep(server) })).status, 200);
  await rep.getByRole('button', { name: 'Notice', exact: true }).click();
  await rep.getByRole('combobox', { name: 'Prepared notice' }).selectOption({ label: 'Planned maintenance tonight from 22:00.' });
  assert.is(await rep.getByLabel('Notice text').inputValue(), 'Planned maintenance tonight from 22:00.');
  await rep.locator('form.tool-form').getByRole('button', { name: 'Send' }).click();
  await customer.getByText('Planned maintenance tonight from 22:00.').first().waitFor();
});

test('the audit log shows the changes; disabling the rep logs their console out at once', async () => {
  await adminScreen('Audit log').click();
  await admin.getByLabel('What').selectOption('settings');
  await admin.locator('tr[data-kind="settings.changed"]', { hasText: 'New agreement' }).waitFor();
  await adminScreen('Representatives').click();
  await admin.getByRole('button', { name: 'Edit Nora Rep' }).click();
  await admin.getByRole('button', { name: 'Disable Nora Rep' }).click();
  await rep.getByRole('status').filter({ hasText: 'your account was disabled by an administrator' }).waitFor();
  await rep.getByRole('button', { name: 'Log in' }).waitFor();
  await customer.getByText('Nora Rep is no longer available').waitFor();
  await shot(rep, 'disabled');
});

test('an admin form works by keyboard alone', async () => {
  await adminScreen('Teams').focus();
  await admin.keyboard.press('Enter');
  await admin.getByRole('heading', { name: 'Teams' }).waitFor();
  for (let i = 0; i < 10 && (await admin.evaluate(() => document.activeElement?.id)) !== 'new-team-name'; i++) await admin.keyboard.press('Tab');
  assert.is(await admin.evaluate(() => document.activeElement?.id), 'new-team-name', 'Tab reaches the new team field');
  await admin.keyboard.type('Tier 1');
  await admin.keyboard.press('Enter');
  const err = admin.locator('#new-team-name-err');
  await err.waitFor();
  assert.match(await err.innerText(), /exists/);
  assert.is(await admin.locator('#new-team-name').getAttribute('aria-describedby'), 'new-team-name-err');
  await admin.keyboard.press('Control+A');
  await admin.keyboard.type('Night shift');
  await admin.keyboard.press('Enter');
  await admin.getByRole('form', { name: 'Team Night shift' }).waitFor();
  await shot(admin, 'teams-keyboard');
});

const token = (clientId: string, secret: string) => fetch(`${server.url}/oauth2/token`, {
  method: 'POST',
  headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials',
});

test('integrations: an API account\'s shown secret gets a token; an endpoint\'s log shows a session\'s events', async () => {
  await adminScreen('Integrations').click();
  await admin.getByRole('button', { name: 'Add API account' }).click();
  await admin.getByLabel('Account name').fill('Service desk');
  await admin.getByRole('button', { name: 'Create account' }).click();
  await admin.getByText('Scopes: give at least one scope').waitFor();
  await admin.getByRole('checkbox', { name: 'command' }).check();
  await admin.getByRole('button', { name: 'Create account' }).click();
  const secretBox = admin.getByRole('textbox', { name: 'Client secret of Service desk' });
  await secretBox.waitFor();
  await admin.getByText('you won\'t see it again').waitFor();
  const secret = await secretBox.inputValue();
  const clientId = await admin.locator('tr[data-account="Service desk"] td.mono').innerText();
  const ok = await token(clientId, secret);
  assert.is(ok.status, 200);
  assert.match((await ok.json()).access_token, /^btok_/);
  await shot(admin, 'api-secret');
  await admin.getByRole('button', { name: 'I have copied it' }).click();
  assert.is(await secretBox.count(), 0, 'the secret is gone once acknowledged');

  receiver = await startReceiver();
  await admin.getByRole('button', { name: 'Add endpoint' }).click();
  await admin.getByLabel('URL').fill(receiver.url);
  await admin.getByLabel('Description').fill('Desk hook');
  await admin.getByRole('button', { name: 'Create endpoint' }).click();
  receiver.secret = await admin.getByRole('textbox', { name: 'Signing secret of Desk hook' }).inputValue();
  assert.match(receiver.secret, /^whsec_/);
  await admin.getByRole('button', { name: 'I have copied it' }).click();
  const key = await createKey(server, await loginRep(server));
  await joinSession(server, key.key);
  await until(() => receiver!.accepted().length > 0, 5000, 'a signed event at the receiver');
  await admin.getByRole('button', { name: 'Delivery log of Desk hook' }).click();
  const delivered = admin.locator('tr[data-state="delivered"]').first();
  await delivered.waitFor();
  const before = receiver.received.length;
  await delivered.getByRole('button', { name: /^Redeliver/ }).click();
  await until(() => receiver!.received.length > before, 5000, 'the event sent again');
  assert.is(receiver.received.at(-1)!.valid, true);
  await shot(admin, 'integrations');

  await admin.getByRole('button', { name: 'Delete Service desk' }).click();
  await admin.getByRole('button', { name: 'Delete Service desk' }).filter({ hasText: 'Delete Service desk' }).click();
  await admin.locator('tr[data-account="Service desk"]').waitFor({ state: 'detached' });
  assert.is((await token(clientId, secret)).status, 401, 'a deleted account gets no token');
});

test.run();
