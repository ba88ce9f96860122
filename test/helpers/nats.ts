// A throwaway NATS server with JetStream (Debian's `nats-server`) for tests that run several
// bridge servers: a temp dir for its store, a free loopback port, stopped and removed when the
// test process exits (or by stop()).
//   const nats = await startNats();   // nats.url = nats://127.0.0.1:PORT
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';

export interface TestNats {
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<{ proc: ChildProcess; dir: string }>();
process.on('exit', () => {
  for (const r of running) {
    r.proc.kill('SIGKILL');
    rmSync(r.dir, { recursive: true, force: true });
  }
});

/** The nats-server binary: Debian's in /usr/sbin, else whatever PATH has. */
function natsBinary(): string {
  for (const dir of ['/usr/sbin', '/usr/bin', ...(process.env.PATH ?? '').split(':')]) {
    if (dir && existsSync(join(dir, 'nats-server'))) return join(dir, 'nats-server');
  }
  throw new Error('nats-server is not installed: apt-get install nats-server');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = netConnect(port, '127.0.0.1');
    s.once('data', (d) => { s.destroy(); resolve(d.toString().startsWith('INFO')); });
    s.once('error', () => resolve(false));
  });
}

export async function startNats(): Promise<TestNats> {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-nats-'));
  const port = await freePort();
  let out = '';
  const proc = spawn(natsBinary(), ['-js', '-sd', dir, '-p', String(port), '-a', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d: Buffer) => { out += d; });
  proc.stderr!.on('data', (d: Buffer) => { out += d; });
  const entry = { proc, dir };
  running.add(entry);
  const end = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (proc.exitCode !== null) throw new Error(`nats-server exited with ${proc.exitCode}:\n${out}`);
    if (Date.now() > end) throw new Error(`nats-server did not listen in 10 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    output: () => out,
    async stop() {
      running.delete(entry);
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
