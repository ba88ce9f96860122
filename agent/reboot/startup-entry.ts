// The one-time start-up entry that brings the agent back after the restart (docs/ARCHITECTURE.md,
// "Reboot and reconnect"): Linux an XDG autostart `.desktop` file, Windows a RunOnce registry
// value (through reg.exe), macOS a LaunchAgent plist with RunAtLoad. One fixed name per platform,
// so the agent started from it can remove it first, knowing nothing else. Each platform's entry
// is plain data (text and commands), so Windows and macOS are checked on what would be written.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const ENTRY_NAME = 'bridge-agent-reconnect';
export const WINDOWS_RUNONCE_KEY = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce';
export const WINDOWS_VALUE = 'BridgeAgentReconnect';
export const MACOS_LABEL = 'org.bridge-support.agent.reconnect';

type Env = Record<string, string | undefined>;

/** What installing or removing the entry does on one platform: a file, or reg.exe commands. */
export type EntryPlan =
  | { kind: 'file'; path: string; text: string }
  | { kind: 'commands'; add: string[]; remove: string[] };

/** `$XDG_CONFIG_HOME/autostart` (else ~/.config/autostart): where session managers look. */
export function linuxAutostartPath(env: Env, home = homedir()): string {
  const config = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(config, 'autostart', `${ENTRY_NAME}.desktop`);
}

export function macLaunchAgentPath(home = homedir()): string {
  return join(home, 'Library', 'LaunchAgents', `${MACOS_LABEL}.plist`);
}

/** The entry for `platform` that runs `argv` (the program first) once at the next log-in. */
export function entryPlan(platform: NodeJS.Platform, argv: string[], env: Env = process.env, home = homedir()): EntryPlan {
  if (platform === 'win32') {
    return {
      kind: 'commands',
      add: ['add', WINDOWS_RUNONCE_KEY, '/v', WINDOWS_VALUE, '/t', 'REG_SZ', '/d', windowsCommandLine(argv), '/f'],
      remove: ['delete', WINDOWS_RUNONCE_KEY, '/v', WINDOWS_VALUE, '/f'],
    };
  }
  if (platform === 'darwin') return { kind: 'file', path: macLaunchAgentPath(home), text: launchAgentPlist(argv) };
  return { kind: 'file', path: linuxAutostartPath(env, home), text: desktopEntry(argv) };
}

export function desktopEntry(argv: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Support session (reconnect)',
    'Comment=Rejoins your support session once after the restart, then removes this entry',
    `Exec=${argv.map(desktopExecArg).join(' ')}`,
    'Terminal=false',
    'NoDisplay=true',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * One Exec argument (Desktop Entry Specification, "The Exec key"): quoted when it has a reserved
 * character, with `"`, `` ` ``, `$` and `\` escaped inside the quotes; `%` doubled (field codes);
 * then the string value's own escape, which doubles every backslash again.
 */
export function desktopExecArg(arg: string): string {
  let a = arg;
  if (a === '' || /[\s"'\\><~|&;$*?#()`]/.test(a)) a = `"${a.replace(/(["`$\\])/g, '\\$1')}"`;
  return a.replace(/%/g, '%%').replace(/\\/g, '\\\\');
}

/** The command line Windows runs (CommandLineToArgvW's quoting rules). */
export function windowsCommandLine(argv: string[]): string {
  return argv.map((a) => {
    if (a !== '' && !/[\s"]/.test(a)) return a;
    // Backslashes are literal unless they precede a quote: double those, and the ones before the closing quote.
    return `"${a.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
  }).join(' ');
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function launchAgentPlist(argv: string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key><string>${MACOS_LABEL}</string>`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...argv.map((a) => `    <string>${xml(a)}</string>`),
    '  </array>',
    '  <key>RunAtLoad</key><true/>',
    '  <key>LaunchOnlyOnce</key><true/>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

function regExe(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('reg.exe', args, { timeout: 10_000, windowsHide: true }, (err) => (err ? reject(err) : resolve()));
  });
}

/** Writes the entry for this computer. */
export async function installEntry(plan: EntryPlan): Promise<void> {
  if (plan.kind === 'commands') return regExe(plan.add);
  mkdirSync(dirname(plan.path), { recursive: true, mode: 0o700 });
  writeFileSync(plan.path, plan.text, { mode: 0o600 });
}

/** Removes the entry; an entry that is already gone is no error. */
export async function removeEntry(plan: EntryPlan): Promise<void> {
  if (plan.kind === 'commands') return regExe(plan.remove).catch(() => {}); // Windows deletes a RunOnce value before running it
  rmSync(plan.path, { force: true });
}
