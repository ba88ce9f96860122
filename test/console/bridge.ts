// Starts a real bridge server (server/main.ts) on port 0 with a temp data dir and a config
// with two reps in one team, for the console's browser tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Bridge { url: string; dataDir: string; proc: ChildProcess; stop(): Promise<void> }

export const REPS = [
  { username: 'alice', password: 'alice-pass-1', name: 'Alice Rep', teams: ['Desk'] },
  { username: 'bob', password: 'bob-pass-1', name: 'Bob Rep', teams: ['Desk'] },
];

export async function startBridge(extra: Record<string, unknown> = {}): Promise<Bridge> {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-console-'));
  const dataDir = join(dir, 'data');
  const cfg = join(dir, 'config.json');
  writeFileSync(cfg, JSON.stringify({ reps: REPS, teams: [{ name: 'Desk' }], agreement: null, ...extra }));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', '0', '--data-dir', dataDir, '--config', cfg], {
    cwd: root,
    env: { ...process.env, BRIDGE_SKIP_BUILD: '1', BRIDGE_ADMIN_PASSWORD: 'admin-pass-1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30_000);
    const onData = (d: Buffer) => {
      log += d;
      const m = /Bridge server listening on (\S+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => { log += d; if (process.env.TEST_VERBOSE) process.stderr.write(d); });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${log}`)); });
  });
  return {
    url, dataDir, proc,
    stop: () => new Promise<void>((resolve) => {
      const done = () => { rmSync(dir, { recursive: true, force: true }); resolve(); };
      if (proc.exitCode !== null) return done();
      proc.once('exit', done);
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
    }),
  };
}
