// Remote diagnostics with the real agent under Xvfb and its real window in Chromium: the rep asks,
// the customer refuses in the window (nothing collected), asks again, the customer allows, and the
// report with this machine's Linux sections reaches the rep, is stored, downloadable by reps who
// may see the record only; reps outside the session and customers can't ask.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildApps } from '../../build-scripts/build.ts';
import { newClientId, type DiagnosticsReport, type Msg } from '../../protocol/index.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { openConsole } from '../helpers/console-page.ts';
import { api, createRep, loginRep, wsClient, type TestClient } from '../helpers/server.ts';
import { withAgent, world, type World } from '../agent/harness.ts';

let w: World;
let tb: TestBrowser;
let page: Page;
let admin = '';
let carlCookie = '';
let carl: TestClient;

const systemLine = (code: string) => w.rep.waitFor<Msg<'event'>>((m) => m.t === 'event' && m.sessionId === w.sessionId && m.body.kind === 'system' && m.body.code === code, 10_000);

test.before(async () => {
  try {
    await buildApps({ quiet: true });
    w = await world({ config: { companyName: 'Acme' }, key: { queue: { kind: 'general' } } });
    await withAgent(w);
    admin = await loginRep(w.server);
    await createRep(w.server, admin, { username: 'carl', password: 'carl-password-1', name: 'Carl Outside' });
    carlCookie = await loginRep(w.server, 'carl', 'carl-password-1');
    carl = wsClient(w.server, 'rep', '', { cookie: carlCookie });
    await carl.ready;
    tb = await launchBrowser();
    page = await (tb.browser as unknown as { newPage(): Promise<Page> }).newPage();
    await page.goto(w.agent!.windowUrl);
    await page.waitForSelector('html[data-ready="1"]');
  } catch (e) { console.error('before failed:', e); throw e; }
});

test.after(async () => {
  carl?.close();
  await tb?.close();
  await w?.teardown();
});

test('only a rep in the session may ask', async () => {
  const id = newClientId();
  carl.conn.send({ t: 'diag.request', sessionId: w.sessionId, id });
  const err = await carl.waitFor<Msg<'error'>>((m) => m.t === 'error' && m.ref === id);
  assert.is(err.code, 'forbidden');
  const cid = newClientId();
  w.customer.conn.send({ t: 'diag.request', sessionId: w.sessionId, id: cid });
  assert.is((await w.customer.waitFor<Msg<'error'>>((m) => m.t === 'error' && m.ref === cid)).code, 'forbidden');
  assert.is(await page.$('.diagnostics-ask'), null, 'the customer was not asked');
});

test('the customer sees what would be collected and refuses: nothing is collected', async () => {
  w.rep.conn.send({ t: 'diag.request', sessionId: w.sessionId, id: newClientId() });
  const asked = await systemLine('diagnostics.requested');
  assert.match(asked.body.kind === 'system' ? asked.body.text : '', /asked to collect diagnostics/);
  await page.waitForSelector('.diagnostics-ask');
  const items = await page.$$eval('.diagnostics-ask li', (li) => li.map((x) => x.textContent));
  await page.screenshot({ path: '/tmp/bridge-diag-ask.png' }).catch(() => {});
  for (const t of ['Operating system and version', 'Disks and free space', 'Network interfaces and addresses', 'Recent system errors']) assert.ok(items.includes(t), `lists ${t}`);
  await page.click('.diagnostics-ask button:text-is("Refuse")');
  await systemLine('diagnostics.refused');
  await page.waitForSelector('.log li:has-text("refused to send diagnostics")');
  await new Promise((r) => setTimeout(r, 500));
  assert.not.ok(w.rep.messages.some((m) => m.t === 'diag.report'), 'no report');
  assert.is((await api(w.server, 'GET', `/api/history/${w.sessionId}/diagnostics`, undefined, { cookie: admin })).status, 404);
});

let report: DiagnosticsReport;

test('asked again, the customer allows: the report reaches the rep with this machine\'s sections', async () => {
  const t0 = Date.now();
  w.rep.conn.send({ t: 'diag.request', sessionId: w.sessionId, id: newClientId() });
  await page.waitForSelector('.diagnostics-ask');
  await page.click('.diagnostics-ask button:text-is("Allow")');
  await systemLine('diagnostics.allowed');
  const msg = await w.rep.waitFor<Msg<'diag.report'>>((m) => m.t === 'diag.report', 20_000);
  report = msg.report;
  const line = await systemLine('diagnostics.collected');
  assert.match(line.body.kind === 'system' ? line.body.text : '', new RegExp(`\\(${report.sections.length} sections\\)`));
  assert.is(report.platform, 'linux');
  const sec = (id: string) => report.sections.find((s) => s.id === id)!;
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))![1];
  assert.is(sec('os').status, 'ok');
  assert.is((sec('os').data as { name: string }).name, pretty);
  assert.is(sec('disks').status, 'ok');
  assert.ok((sec('disks').data as Array<{ mount: string }>).some((d) => d.mount === '/'), 'the root file system');
  assert.is(sec('network').status, 'ok');
  assert.ok((sec('network').data as Array<{ name: string; addresses: string[] }>).some((i) => i.name === 'lo' && i.addresses.includes('127.0.0.1/8')), 'loopback with its address');
  assert.is((sec('reachability').data as { reachable: boolean }).reachable, true, 'the server was reached');
  assert.is((sec('displays').data as unknown[]).length, 1, 'the Xvfb screen');
  for (const s of report.sections) assert.ok(['ok', 'unavailable', 'timeout', 'error'].includes(s.status) && s.ms >= 0, `${s.id} has a status`);
  assert.ok(Date.now() - t0 < 20_000, 'within the time limits');
});

test('the report is stored with the session and downloadable by reps who may see it', async () => {
  const json = await api<DiagnosticsReport>(w.server, 'GET', `/api/history/${w.sessionId}/diagnostics`, undefined, { cookie: admin });
  assert.is(json.status, 200);
  assert.equal(json.body, report);
  assert.match(json.headers.get('content-disposition') ?? '', /attachment; filename="diagnostics-.*\.json"/);
  const txt = await fetch(`${w.server.url}/api/history/${w.sessionId}/diagnostics.txt`, { headers: { cookie: admin } });
  assert.is(txt.status, 200);
  const text = await txt.text();
  assert.match(text, /== Operating system and version \[ok, \d+ ms\]/);
  assert.match(text, /== Disks and free space/);
  const detail = await api(w.server, 'GET', `/api/history/${w.sessionId}`, undefined, { cookie: admin });
  assert.equal(detail.body.diagnostics.report, report);
  for (const path of ['diagnostics', 'diagnostics.txt', '']) {
    const r = await api(w.server, 'GET', `/api/history/${w.sessionId}${path ? `/${path}` : ''}`, undefined, { cookie: carlCookie });
    assert.is(r.status, 403, `${path || 'the record'}: not Carl's session`);
    assert.is(r.body.error.code, 'forbidden');
  }
});

test('the console: request from the session tools, state, the panel with search and downloads, History', async () => {
  const con = await (tb.browser as unknown as { newPage(): Promise<Page> }).newPage();
  await openConsole(con, w.server);
  await con.getByRole('tab', { name: /Test Customer/ }).click();
  // The earlier report reaches a console opened later.
  await con.locator('.diag-state [data-state="collected"]').waitFor();
  await con.getByRole('button', { name: 'Show diagnostics' }).click();
  await con.locator('.diagnostics .diag-section').first().waitFor();
  const button = con.locator('button.diag-request');
  assert.is(await button.textContent(), 'Request diagnostics again');
  await button.focus();
  await con.keyboard.press('Enter');
  await con.locator('.diag-state [data-state="asked"]').waitFor();
  assert.ok(await button.isDisabled(), 'one request at a time');
  await page.click('.diagnostics-ask button:text-is("Allow")');
  await con.locator('.diag-state [data-state="collected"]').waitFor({ timeout: 20_000 });
  const sections = await con.locator('.diagnostics .diag-section').count();
  assert.is(sections, report.sections.length);
  // Search filters lines across sections and opens the ones that match.
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))![1];
  await con.getByLabel('Search the diagnostics').fill(pretty);
  await con.locator('.diag-section[data-section="os"][open]').waitFor();
  assert.match(await con.locator('.diag-section[data-section="os"] pre').textContent() ?? '', new RegExp(pretty.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.not.ok(await con.locator('.diag-section[data-section="disks"]').count(), 'sections without a match are hidden');
  assert.match(await con.locator('.diag-count').textContent() ?? '', /matching line/);
  assert.is(await con.getByRole('link', { name: 'Download text' }).getAttribute('href'), `/api/history/${w.sessionId}/diagnostics.txt`);
  await con.screenshot({ path: '/tmp/bridge-diag-console.png' }).catch(() => {});
  // History shows the same panel.
  await con.getByRole('tab', { name: 'History' }).click();
  await con.locator(`tr[data-session="${w.sessionId}"]`).click();
  await con.locator('.history-detail .diagnostics .diag-section[data-section="disks"]').waitFor();
  await con.close();
});

test.run();
