// The terminal fallback (no browser, or --terminal): the same consent questions on a real
// terminal (a pty from script(1)), chat lines shown, /end-share and /quit.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type Msg } from '../../protocol/index.ts';
import { until } from '../helpers/server.ts';
import { world, type World } from '../agent/harness.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
let w: World;
let agent: ChildProcess;
let out = '';

const grantIs = (g: string) => w.rep.next<Msg<'grant'>>((m) => m.t === 'grant' && m.grant === g, 15_000);

test.before(async () => {
  try {
    w = await world();
    const cmd = `${process.execPath} --import tsx agent/main.ts --server ${w.server.url} --key ${w.key} --terminal`;
    agent = spawn('script', ['-q', '-e', '-c', cmd, '/dev/null'], { cwd: root, env: { ...process.env, DISPLAY: w.xvfb.display, TMPDIR: w.tmp }, stdio: ['pipe', 'pipe', 'pipe'] });
    w.procs.push(agent);
    agent.stdout!.on('data', (d) => (out += d));
    agent.stderr!.on('data', (d) => (out += d));
    await w.rep.waitFor((m) => m.t === 'sysinfo' && m.sessionId === w.sessionId, 30_000);
    await until(() => out.includes('/end-share'), 15_000, 'the terminal help line');
  } catch (e) { console.error('before failed:', e, out); throw e; }
});

test.after(async () => {
  await w?.teardown();
});

test('a rep request is asked in the terminal; the answer grants', async () => {
  w.rep.conn.send({ t: 'screen.request', sessionId: w.sessionId, want: 'control' });
  // The question and its choices may reach the pipe in separate chunks.
  await until(() => /asks to control your screen/.test(out) && /\[c\] Allow shared control\s+\[v\] Allow only viewing\s+\[r\] Refuse/.test(out), 15_000, 'the question with its choices');
  const view = grantIs('view');
  agent.stdin!.write('v\r');
  await view;
});

test('a restart request is asked in the terminal; "no" declines it', async () => {
  w.rep.conn.send({ t: 'reboot.request', sessionId: w.sessionId, id: newClientId() });
  await until(() => /asks to restart this computer/.test(out) && /Type restart \(restart now\), logout \(only log out\) or no \(not now\)/.test(out), 15_000, 'the restart question');
  agent.stdin!.write('no\r');
  await w.rep.waitFor((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'reboot.declined', 15_000);
});

test('chat is shown and typed lines are sent', async () => {
  await w.rep.conn.sendReliable({ t: 'chat', sessionId: w.sessionId, id: newClientId(), text: 'Can you see the error?' });
  await until(() => out.includes('Can you see the error?'), 15_000, 'the rep line');
  agent.stdin!.write('Yes, a red box\r');
  await w.rep.waitFor((m) => m.t === 'event' && m.body.kind === 'chat' && m.body.text === 'Yes, a red box', 15_000);
});

test('/end-share stops sharing, /quit ends the session', async () => {
  const none = grantIs('none');
  agent.stdin!.write('/end-share\r');
  await none;
  agent.stdin!.write('/quit\r');
  await w.rep.waitFor((m) => m.t === 'session' && m.session.id === w.sessionId && m.session.state === 'ended', 15_000);
  await until(() => agent.exitCode !== null, 15_000, 'the agent to exit');
  assert.is(agent.exitCode, 0, out);
});

test.run();
