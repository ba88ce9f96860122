// Command line and session key: --key, else the key in the agent's own file name
// (bridge-agent-<KEY>, from process.execPath when packaged), else a prompt.
import { basename } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { isWellFormedKey, keyFromFileName, normalizeKey } from '../protocol/index.ts';

export interface CliOptions {
  server: string | null;
  key: string | null;
  help: boolean;
  version: boolean;
  /** Serve the local window but don't open a browser (tests, headless support). */
  noBrowser: boolean;
  /** Answer consent questions in this terminal instead of a window. */
  terminal: boolean;
  /** Started by the one-time entry after a restart: the file with the reconnect credential. */
  reconnect: string | null;
}

export const USAGE = `Usage: bridge-agent [--key KEY] [--server URL] [--terminal] [--no-browser]

Shares this computer's screen with a support representative for one session,
only after you allow it in the agent's window. The agent removes itself when
the session ends.

  --key KEY      the key in the downloaded program's name (e.g. XRR5363); the
                 support chat's "Share my screen" gives a fresh one
  --server URL   the support server (built into downloaded agents)
  --terminal     ask for permission here instead of in a browser window
  --no-browser   don't open a window; print its address instead
  --reconnect F  rejoin the session after a restart (the agent's own start-up
                 entry passes this; F is the file it kept)
  --version      print the version
  --help         this text`;

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { server: null, key: null, help: false, version: false, noBrowser: false, terminal: false, reconnect: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i] ?? '';
    switch (flag) {
      case '--server': o.server = value(); break;
      case '--key': o.key = value(); break;
      case '--help': case '-h': o.help = true; break;
      case '--version': case '-v': o.version = true; break;
      case '--no-browser': o.noBrowser = true; break;
      case '--terminal': o.terminal = true; break;
      case '--reconnect': o.reconnect = value(); break;
      default: throw new Error(`unknown option ${a} (see --help)`);
    }
  }
  return o;
}

/** The key from --key or the program's file name; null when neither has one. */
export function keyFromContext(opts: CliOptions, programPath: string): string | null {
  if (opts.key) return normalizeKey(opts.key);
  return keyFromFileName(basename(programPath));
}

export async function promptKey(): Promise<string | null> {
  if (!process.stdin.isTTY) return null;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    for (let i = 0; i < 3; i++) {
      const k = normalizeKey(await rl.question('Key from the support chat ("Share my screen"): '));
      if (isWellFormedKey(k)) return k;
      console.log('That is not a session key (7 letters and digits, e.g. XRR5363).');
    }
    return null;
  } finally {
    rl.close();
  }
}
