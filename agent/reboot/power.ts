// The last step before the restart (docs/ARCHITECTURE.md, "Reboot and reconnect"): the operating
// system's own command to restart or to log out. It sits behind one small interface so a test can
// substitute this final call alone (BRIDGE_AGENT_POWER_LOG: write the command to that file instead
// of running it); everything before it runs for real.
import { execFile } from 'node:child_process';
import { appendFileSync } from 'node:fs';

export interface PowerCommand { cmd: string; args: string[] }

export interface PowerControl { run(c: PowerCommand): Promise<void> }

type Env = Record<string, string | undefined>;

export function powerCommand(platform: NodeJS.Platform, answer: 'restart' | 'logout', env: Env = process.env, uid = process.getuid?.() ?? 0): PowerCommand {
  if (platform === 'win32') return answer === 'restart' ? { cmd: 'shutdown', args: ['/r', '/t', '0'] } : { cmd: 'shutdown', args: ['/l'] };
  if (platform === 'darwin') return { cmd: 'osascript', args: ['-e', `tell application "System Events" to ${answer === 'restart' ? 'restart' : 'log out'}`] };
  if (answer === 'restart') return { cmd: 'systemctl', args: ['reboot'] };
  // This graphical session when logind names it; else every session of this user.
  const session = env.XDG_SESSION_ID;
  return session && /^[A-Za-z0-9_-]{1,64}$/.test(session) ? { cmd: 'loginctl', args: ['terminate-session', session] } : { cmd: 'loginctl', args: ['terminate-user', String(uid)] };
}

export const systemPower: PowerControl = {
  run: (c) => new Promise((resolve, reject) => {
    execFile(c.cmd, c.args, { timeout: 15_000, windowsHide: true }, (err) => (err ? reject(err) : resolve()));
  }),
};

/** Tests set BRIDGE_AGENT_POWER_LOG: the command is written there (one JSON line) and not run. */
export function powerFromEnv(env: Env = process.env): PowerControl {
  const file = env.BRIDGE_AGENT_POWER_LOG;
  if (!file) return systemPower;
  return { run: async (c) => appendFileSync(file, `${JSON.stringify(c)}\n`) };
}
