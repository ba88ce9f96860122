// What the agent keeps across the restart (docs/ARCHITECTURE.md, "Reboot and reconnect"): the
// server's one-time reconnect credential for this session, in a 0600 file beside the agent (the
// packaged program's folder; from source, the user's state dir). Never the customer's grant:
// consent is asked again after the restart. Read once, then deleted, whatever it says.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import * as v from 'valibot';
import { isPackaged } from '../runtime/sea.ts';

export const RECONNECT_FILE = 'bridge-agent-reconnect.json';

export const ReconnectState = v.object({
  server: v.pipe(v.string(), v.maxLength(2048)),
  sessionId: v.pipe(v.string(), v.maxLength(64)),
  credential: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  expiresAt: v.number(),
  answer: v.picklist(['restart', 'logout']),
});
export type ReconnectState = v.InferOutput<typeof ReconnectState>;

type Env = Record<string, string | undefined>;

/** Beside the packaged program; from source, `$XDG_STATE_HOME/bridge-agent` (else ~/.local/state/…, %LOCALAPPDATA% on Windows). */
export function reconnectFilePath(env: Env = process.env, home = homedir()): string {
  if (isPackaged()) return join(dirname(process.execPath), `.${RECONNECT_FILE}`);
  const state = process.platform === 'win32' ? env.LOCALAPPDATA ?? join(home, 'AppData', 'Local')
    : env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(home, '.local', 'state');
  return join(state, 'bridge-agent', RECONNECT_FILE);
}

export function writeReconnectFile(path: string, s: ReconnectState): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  rmSync(path, { force: true }); // a new file gets the mode; an old one might have kept a wider one
  writeFileSync(path, JSON.stringify(s), { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
}

/** Reads and deletes the file; null when it is missing or unreadable. */
export function takeReconnectFile(path: string): ReconnectState | null {
  try {
    const parsed = v.safeParse(ReconnectState, JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  } finally {
    rmSync(path, { force: true });
  }
}
