// Reboot and reconnect, the agent's platform pieces (docs/ARCHITECTURE.md, "Reboot and reconnect"):
// the one-time start-up entry for Linux, Windows and macOS as the text and commands it would write
// (Windows and macOS are checked on those, never run here), the restart and log-out commands, the
// substitute for the final OS call, and the credential file (0600, read once, then gone).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { entryPlan, installEntry, removeEntry, windowsCommandLine } from '../../agent/reboot/startup-entry.ts';
import { powerCommand, powerFromEnv } from '../../agent/reboot/power.ts';
import { takeReconnectFile, writeReconnectFile } from '../../agent/reboot/reconnect-file.ts';
import { execArgs } from '../helpers/desktop-entry.ts';

const tmp = mkdtempSync(join(tmpdir(), 'bridge-reboot-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const awkward = ['/opt/My Apps/bridge-agent', '--server', 'http://127.0.0.1:8080', '--reconnect', '/home/ana/50% "done" $HOME `x` \\back/f.json'];

test('Linux: an XDG autostart entry in $XDG_CONFIG_HOME/autostart whose Exec line gives back the same arguments', async () => {
  const plan = entryPlan('linux', awkward, { XDG_CONFIG_HOME: join(tmp, 'cfg') }, '/home/ana');
  assert.is(plan.kind, 'file');
  if (plan.kind !== 'file') return;
  assert.is(plan.path, join(tmp, 'cfg', 'autostart', 'bridge-agent-reconnect.desktop'));
  assert.match(plan.text, /^\[Desktop Entry\]\nType=Application\n/);
  assert.equal(execArgs(plan.text), awkward);
  await installEntry(plan);
  assert.is(readFileSync(plan.path, 'utf8'), plan.text);
  await removeEntry(plan);
  assert.not.ok(existsSync(plan.path));
  await removeEntry(plan); // already gone: no error
  // Without XDG_CONFIG_HOME (or a relative one, which the spec says to ignore): ~/.config.
  const plain = entryPlan('linux', awkward, { XDG_CONFIG_HOME: 'relative' }, '/home/ana');
  assert.is(plain.kind === 'file' && plain.path, '/home/ana/.config/autostart/bridge-agent-reconnect.desktop');
});

test('Windows: a RunOnce value through reg.exe, the command line quoted for CommandLineToArgvW', () => {
  const plan = entryPlan('win32', ['C:\\Users\\Ana\\Downloads\\bridge-agent-ABC1234.exe', '--reconnect', 'C:\\Users\\Ana\\Down loads\\.bridge-agent-reconnect.json']);
  assert.equal(plan, {
    kind: 'commands',
    add: ['add', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce', '/v', 'BridgeAgentReconnect', '/t', 'REG_SZ', '/d',
      'C:\\Users\\Ana\\Downloads\\bridge-agent-ABC1234.exe --reconnect "C:\\Users\\Ana\\Down loads\\.bridge-agent-reconnect.json"', '/f'],
    remove: ['delete', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce', '/v', 'BridgeAgentReconnect', '/f'],
  });
  assert.is(windowsCommandLine(['a b\\', 'say "hi"', '']), '"a b\\\\" "say \\"hi\\"" ""');
});

test('macOS: a LaunchAgent plist in ~/Library/LaunchAgents that runs at load, once, with the arguments as XML strings', () => {
  const plan = entryPlan('darwin', ['/Users/ana/Downloads/bridge-agent-ABC1234', '--reconnect', '/Users/ana/a&b <c>.json'], {}, '/Users/ana');
  assert.is(plan.kind === 'file' && plan.path, '/Users/ana/Library/LaunchAgents/org.bridge-support.agent.reconnect.plist');
  const text = plan.kind === 'file' ? plan.text : '';
  assert.match(text, /<key>Label<\/key><string>org\.bridge-support\.agent\.reconnect<\/string>/);
  assert.match(text, /<key>RunAtLoad<\/key><true\/>/);
  assert.match(text, /<array>\n {4}<string>\/Users\/ana\/Downloads\/bridge-agent-ABC1234<\/string>\n {4}<string>--reconnect<\/string>\n {4}<string>\/Users\/ana\/a&amp;b &lt;c&gt;\.json<\/string>\n {2}<\/array>/);
});

test('restart and log-out commands per platform; the test substitute records the command instead of running it', async () => {
  assert.equal(powerCommand('linux', 'restart'), { cmd: 'systemctl', args: ['reboot'] });
  assert.equal(powerCommand('linux', 'logout', { XDG_SESSION_ID: '3' }), { cmd: 'loginctl', args: ['terminate-session', '3'] });
  assert.equal(powerCommand('linux', 'logout', { XDG_SESSION_ID: '3; rm -rf /' }, 1000), { cmd: 'loginctl', args: ['terminate-user', '1000'] });
  assert.equal(powerCommand('win32', 'restart'), { cmd: 'shutdown', args: ['/r', '/t', '0'] });
  assert.equal(powerCommand('win32', 'logout'), { cmd: 'shutdown', args: ['/l'] });
  assert.equal(powerCommand('darwin', 'restart'), { cmd: 'osascript', args: ['-e', 'tell application "System Events" to restart'] });
  assert.equal(powerCommand('darwin', 'logout'), { cmd: 'osascript', args: ['-e', 'tell application "System Events" to log out'] });
  const log = join(tmp, 'power.log');
  await powerFromEnv({ BRIDGE_AGENT_POWER_LOG: log }).run({ cmd: 'systemctl', args: ['reboot'] });
  assert.is(readFileSync(log, 'utf8'), '{"cmd":"systemctl","args":["reboot"]}\n');
});

test('the credential file is 0600 (also over an older, wider file), read once and then gone; a damaged one reads as nothing', () => {
  const file = join(tmp, 'state', 'bridge-agent', 'bridge-agent-reconnect.json');
  const kept = { server: 'http://127.0.0.1:1', sessionId: 's1', credential: 's1.secret', expiresAt: Date.now() + 60_000, answer: 'restart' as const };
  writeReconnectFile(file, kept);
  assert.is(statSync(file).mode & 0o777, 0o600);
  writeFileSync(file, 'older', { mode: 0o644 });
  writeReconnectFile(file, kept);
  assert.is(statSync(file).mode & 0o777, 0o600);
  assert.equal(takeReconnectFile(file), kept);
  assert.not.ok(existsSync(file));
  assert.is(takeReconnectFile(file), null);
  writeFileSync(file, '{"server": 1}', { mode: 0o644 });
  assert.is(takeReconnectFile(file), null);
  assert.not.ok(existsSync(file), 'removed whatever it said');
});

test.run();
