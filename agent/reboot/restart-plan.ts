// Before the restart (docs/ARCHITECTURE.md, "Reboot and reconnect"): the credential is kept in its
// 0600 file and the one-time entry that starts this same agent with `--reconnect <file>` is
// written. Either both are in place, or neither (a failure removes what was written).
import { fileURLToPath } from 'node:url';
import type { Msg } from '../../protocol/index.ts';
import { isPackaged } from '../runtime/sea.ts';
import { reconnectFilePath, writeReconnectFile } from './reconnect-file.ts';
import { entryPlan, installEntry, removeEntry, type EntryPlan } from './startup-entry.ts';
import { rmSync } from 'node:fs';

export interface AgentStart { server: string; noBrowser: boolean; terminal: boolean }

/**
 * How the session manager starts this agent again: the packaged program itself (its server is
 * baked in), or node with the same loader and script from source. A bare `--import` specifier
 * (tsx) is resolved to its file, since the session manager starts programs in the home folder.
 */
export function restartArgv(o: AgentStart, file: string): string[] {
  const flags = [...(o.noBrowser ? ['--no-browser'] : []), ...(o.terminal ? ['--terminal'] : []), '--reconnect', file];
  if (isPackaged()) return [process.execPath, ...flags];
  const execArgv: string[] = [];
  const a = process.execArgv;
  for (let i = 0; i < a.length; i++) {
    const [flag, inline] = a[i].includes('=') ? [a[i].slice(0, a[i].indexOf('=')), a[i].slice(a[i].indexOf('=') + 1)] : [a[i], undefined];
    if (flag !== '--import' && flag !== '--require' && flag !== '--loader') { execArgv.push(a[i]); continue; }
    const spec = inline ?? a[++i] ?? '';
    execArgv.push(flag, /^(\.|\/|file:|[A-Za-z]:\\)/.test(spec) ? spec : fileURLToPath(import.meta.resolve(spec)));
  }
  return [process.execPath, ...execArgv, process.argv[1], '--server', o.server, ...flags];
}

export interface RestartPlan { file: string; entry: EntryPlan; argv: string[] }

export async function prepareRestart(ticket: Msg<'reboot.ticket'>, o: AgentStart): Promise<RestartPlan> {
  const file = reconnectFilePath();
  const argv = restartArgv(o, file);
  const entry = entryPlan(process.platform, argv);
  try {
    writeReconnectFile(file, { server: o.server, sessionId: ticket.sessionId, credential: ticket.credential, expiresAt: ticket.expiresAt, answer: ticket.answer });
    await installEntry(entry);
  } catch (e) {
    rmSync(file, { force: true });
    await removeEntry(entry).catch(() => {});
    throw e;
  }
  return { file, entry, argv };
}

/** The agent started from the entry removes it first, whatever happens next. */
export function removeOwnEntry(): Promise<void> {
  return removeEntry(entryPlan(process.platform, []));
}
