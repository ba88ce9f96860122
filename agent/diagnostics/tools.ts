// The step tools: programs run without a shell, killed when the step is cut off, output capped;
// file reads capped. Nothing here can keep the agent waiting past the step's limit.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { Unavailable, type ExecResult, type StepTools } from './types.ts';

/** Bytes kept of one program's output or one file (sections are capped again later). */
const MAX_OUTPUT = 4 * 1024 * 1024;

export function stepTools(signal: AbortSignal, timeoutMs: number): StepTools {
  return {
    signal,
    exec: (cmd, args) => new Promise<ExecResult>((resolve, reject) => {
      // The runner aborts at the limit; the program's own timeout is only a backstop.
      execFile(cmd, args, { signal, timeout: timeoutMs + 500, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT, windowsHide: true, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', LANG: 'C' } }, (err, stdout) => {
        const e = err as (Error & { code?: string | number; killed?: boolean }) | null;
        if (e?.code === 'ENOENT') return reject(new Unavailable(cmd));
        if (e && (signal.aborted || e.killed || e.name === 'AbortError')) return reject(e);
        // A non-zero exit still says something (grep-like tools, partial lists).
        if (e && typeof e.code !== 'number' && !stdout) return reject(e);
        resolve({ stdout: stdout ?? '', code: e ? (typeof e.code === 'number' ? e.code : null) : 0 });
      });
    }),
    read: async (path) => {
      try {
        const text = await readFile(path, { encoding: 'utf8', signal });
        return text.length > MAX_OUTPUT ? text.slice(0, MAX_OUTPUT) : text;
      } catch (e) {
        if (signal.aborted) throw e;
        return null;
      }
    },
    list: async (dir) => {
      try { return (await readdir(dir)).sort(); } catch { return []; }
    },
  };
}
