// Reboot and reconnect with the real agent under Xvfb and its real window in Chromium
// (docs/ARCHITECTURE.md, "Reboot and reconnect"). Only the final OS call is substituted
// (BRIDGE_AGENT_POWER_LOG records the command instead of running it); the restart is simulated as
// the issue says: the agent leaves, then the test runs the autostart entry's Exec line the way a
// session manager would (same HOME and XDG dirs, started in HOME). Then the agent removes the
// entry, rejoins the same session and asks for consent again; the rep and the record see it. A
// second restart, during which the session ends: entry removed, the customer told, record failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildApps } from '../../build-scripts/build.ts';
import { newClientId, type Msg, type SessionInfo } from '../../protocol/index.ts';
import { apiCredentials } from '../helpers/api-client.ts';
import { axeFindings, describeFindings } from '../helpers/axe.ts';
import { execArgs } from '../helpers/desktop-entry.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { openConsole } from '../helpers/console-page.ts';
import { api, loginRep, until } from '../helpers/server.ts';
import { startAgent, world, type AgentProc, type World } from '../agent/harness.ts';

let w: World;
let tb: TestBrowser;
let page: Page;
let con: Page;
let admin = '';
let home = '';
let env: Record<string, string> = {};

const newPage = () => (tb.browser as unknown as { newPage(): Promise<Page> }).newPage();
const entryPath = () => join(home, 'config', 'autostart', 'bridge-agent-reconnect.desktop');
const credentialPath = () => join(home, 'state', 'bridge-agent', 'bridge-agent-reconnect.json');
const powerLog = () => (existsSync(join(home, 'power.log')) ? readFileSync(join(home, 'power.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { cmd: string; args: string[] }) : []);
const systemLine = (code: string, after = 0) => w.rep.waitFor<Msg<'event'>>((m) => m.t === 'event' && m.sessionId === w.sessionId && m.seq > after && m.body.kind === 'system' && m.body.code === code, 15_000);
const sessionWhere = (ok: (s: SessionInfo) => boolean) => w.rep.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.id === w.sessionId && ok(m.session), 15_000);
const lastSeq = () => Math.max(0, ...w.rep.messages.flatMap((m) => (m.t === 'event' && m.sessionId === w.sessionId ? [m.seq] : [])));

/** What a session manager does with the entry: run its Exec line in HOME, with the session's environment. */
function runEntry(): AgentProc {
  const [cmd, ...args] = execArgs(readFileSync(entryPath(), 'utf8'));
  const proc = spawn(cmd, args, { cwd: home, env: { ...process.env, DISPLAY: w.xvfb.display, TMPDIR: w.tmp, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc, windowUrl: '', output: () => out, exited,
    async kill() { if (proc.exitCode === null && proc.signalCode === null) { proc.kill('SIGKILL'); await exited; } },
  };
}

async function grantControl(p: Page): Promise<void> {
  await p.click('.consent button:text-is("Allow shared control")');
  await w.rep.waitFor<Msg<'grant'>>((m) => m.t === 'grant' && m.sessionId === w.sessionId && m.grant === 'control', 10_000);
}

test.before(async () => {
  try {
    await buildApps({ quiet: true });
    w = await world({ config: { companyName: 'Acme', surveys: { customer: [], rep: [] } }, key: { queue: { kind: 'general' } } });
    home = join(w.tmp, 'home');
    mkdirSync(home, { recursive: true });
    env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), BRIDGE_AGENT_POWER_LOG: join(home, 'power.log') };
    w.agent = await startAgent(w.server, w.key, w.xvfb.display, { tmp: w.tmp, env });
    await w.rep.waitFor((m) => m.t === 'sysinfo' && m.sessionId === w.sessionId, 20_000);
    admin = await loginRep(w.server);
    tb = await launchBrowser();
    page = await newPage();
    await page.goto(w.agent.windowUrl);
    await page.waitForSelector('html[data-ready="1"]');
    con = await newPage();
    await openConsole(con, w.server);
    await con.getByRole('tab', { name: /Test Customer/ }).click();
  } catch (e) { console.error('before failed:', e); throw e; }
});

test.after(async () => {
  await tb?.close();
  await w?.teardown();
});

test('the rep asks, the customer restarts: the agent rejoins the same session after the restart and asks for consent again', async () => {
  w.rep.conn.send({ t: 'screen.request', sessionId: w.sessionId, want: 'control' });
  await page.waitForSelector('.consent');
  await grantControl(page);

  // The rep asks from the session tools; the customer confirms in the agent window.
  await con.getByRole('button', { name: 'Restart computer' }).click();
  await systemLine('reboot.requested');
  await con.locator('.reboot-state [data-state="asked"]').waitFor();
  await page.waitForSelector('.reboot-ask');
  assert.match(await page.locator('.reboot-ask h2').textContent() ?? '', /asks to restart this computer/);
  await page.screenshot({ path: '/tmp/bridge-reboot-ask.png' }).catch(() => {});
  const asking = await axeFindings(page);
  assert.equal(asking, [], describeFindings(asking));
  const before = lastSeq();
  await page.click('.reboot-ask button:text-is("Restart now")');
  await systemLine('reboot.confirmed', before);
  const waiting = await sessionWhere((s) => !!s.reboot?.waitingUntil);
  assert.is(waiting.session.reboot!.outcome, 'no');
  await con.locator('.reboot-state [data-state="restarting"]').waitFor();
  assert.is(await con.locator('.reboot-state').textContent(), "Restarting the customer's computer…");
  await con.screenshot({ path: '/tmp/bridge-reboot-console.png' }).catch(() => {});
  const waitingView = await axeFindings(con);
  assert.equal(waitingView, [], describeFindings(waitingView));

  // The agent wrote its entry and credential, asked for the restart, and left without ending the session.
  assert.is(await w.agent!.exited, 0, w.agent!.output());
  assert.equal(powerLog(), [{ cmd: 'systemctl', args: ['reboot'] }]);
  assert.ok(existsSync(entryPath()), 'the autostart entry');
  const desktop = readFileSync(entryPath(), 'utf8');
  assert.match(desktop, /^Type=Application$/m);
  const argv = execArgs(desktop);
  assert.equal(argv.slice(-2), ['--reconnect', credentialPath()]);
  assert.is(statSync(credentialPath()).mode & 0o777, 0o600, 'the credential is for this user only');
  const kept = JSON.parse(readFileSync(credentialPath(), 'utf8')) as Record<string, unknown>;
  assert.equal(Object.keys(kept).sort(), ['answer', 'credential', 'expiresAt', 'server', 'sessionId'], 'no grant is kept');
  await w.rep.waitFor((m) => m.t === 'grant' && m.sessionId === w.sessionId && m.grant === 'none', 5000);
  const held = await api(w.server, 'GET', `/api/history/${w.sessionId}`, undefined, { cookie: admin });
  assert.is(held.body.session.state, 'active', 'the session waits');

  // "After the restart": the session manager runs the entry.
  const seq = lastSeq();
  w.agent = runEntry();
  await until(() => /Agent window: (\S+)/.test(w.agent!.output()) || w.agent!.proc.exitCode !== null, 30_000, 'the agent after the restart');
  assert.not.ok(existsSync(entryPath()), 'the entry is removed');
  assert.not.ok(existsSync(credentialPath()), 'the credential is spent');
  await systemLine('reboot.reconnected', seq);
  const back = await sessionWhere((s) => s.reboot?.outcome === 'successful' && s.agentOnline);
  assert.is(back.session.reboot!.waitingUntil, null);
  assert.is(back.session.screenRequest?.want, 'control', 'consent is asked again for the rep who asked');
  await con.locator('.reboot-state [data-state="reconnected"]').waitFor();

  // The grant did not survive: the new window asks again; the customer allows.
  const url = /Agent window: (\S+)/.exec(w.agent.output())![1];
  await page.goto(url);
  await page.waitForSelector('.consent');
  assert.match(await page.locator('.log').textContent() ?? '', /restart their computer/, 'the window shows the session from the restart on');
  await page.screenshot({ path: '/tmp/bridge-reboot-back.png' }).catch(() => {});
  await grantControl(page);
  await w.rep.waitFor((m) => m.t === 'frame' && m.sessionId === w.sessionId, 15_000);

  const rec = await api(w.server, 'GET', `/api/history/${w.sessionId}`, undefined, { cookie: admin });
  assert.is(rec.body.session.reboot, 'successful');
  const { token } = await apiCredentials(w.server, admin, ['reporting']);
  const v1 = await api(w.server, 'GET', `/api/v1/sessions/${w.sessionId}`, undefined, { authorization: `Bearer ${token}` });
  assert.is(v1.status, 200);
  assert.is(v1.body.reboot, 'successful');
});

test('the credential joins once, and only while the session waits', async () => {
  const r = await api(w.server, 'POST', '/api/sessions/reconnect', { credential: `${w.sessionId}.not-the-secret` });
  assert.is(r.status, 404);
  assert.is(r.body.error.code, 'not_found');
  const bad = await api(w.server, 'POST', '/api/sessions/reconnect', { credential: 7 });
  assert.is(bad.status, 400);
  const id = newClientId();
  w.customer.conn.send({ t: 'reboot.request', sessionId: w.sessionId, id });
  assert.is((await w.customer.waitFor<Msg<'error'>>((m) => m.t === 'error' && m.ref === id)).code, 'forbidden', 'only a rep asks');
});

test('the customer only logs out and the session ends meanwhile: the entry goes, the customer is told, the record says failed', async () => {
  const seq = lastSeq();
  w.rep.conn.send({ t: 'reboot.request', sessionId: w.sessionId, id: newClientId() });
  await page.waitForSelector('.reboot-ask');
  await page.click('.reboot-ask button:text-is("Only log out")');
  await systemLine('reboot.confirmed', seq);
  assert.is(await w.agent!.exited, 0, w.agent!.output());
  assert.is(powerLog().at(-1)!.cmd, 'loginctl');
  assert.ok(existsSync(entryPath()));

  w.rep.conn.send({ t: 'end', sessionId: w.sessionId });
  await systemLine('reboot.failed', seq);
  await sessionWhere((s) => s.state === 'ended' && s.reboot?.outcome === 'failed');

  w.agent = runEntry();
  assert.is(await w.agent.exited, 1, w.agent.output());
  assert.match(w.agent.output(), /ended while your computer restarted/);
  assert.not.ok(existsSync(entryPath()), 'the entry is removed');
  assert.not.ok(existsSync(credentialPath()), 'the credential is gone');
  const rec = await api(w.server, 'GET', `/api/history/${w.sessionId}`, undefined, { cookie: admin });
  assert.is(rec.body.session.reboot, 'failed');
  await con.getByRole('tab', { name: 'History' }).click();
  await con.locator(`tr[data-session="${w.sessionId}"]`).click();
  assert.is(await con.locator('.history-detail .reboot-outcome').textContent(), 'reconnect failed');
});

test.run();
