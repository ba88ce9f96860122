// A throwaway PostgreSQL 15 from Debian's packages for tests that run the server (or the store) on
// PostgreSQL: `initdb` into a temp dir, `postgres` on a free loopback port with durability off
// (fsync, synchronous commit, full pages: a test cluster never outlives its process), one
// database per server so tests stay isolated. One cluster per test process, started on first
// use, stopped and removed when the process exits.
//   const url = await postgresDatabase();   // postgres://bridge@127.0.0.1:PORT/bridge_1
// initdb and postgres refuse to run as root: as root they run as the `postgres` user (runuser)
// in a temp dir that user owns.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './ports.ts';

/** Which store a test server runs on: TEST_STORE=postgres runs any test file against PostgreSQL. */
export type TestStore = 'sqlite' | 'postgres';
export function defaultTestStore(): TestStore {
  return process.env.TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
}

const USER = 'bridge';

/** The directory of initdb and postgres: Debian's versioned dir (the newest), else whatever PATH has. */
export function postgresBinDir(): string | null {
  const debian = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)).map((v) => `/usr/lib/postgresql/${v}/bin`) : [];
  for (const dir of [...debian, ...(process.env.PATH ?? '').split(':')]) if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir;
  return null;
}

interface Cluster { port: number; dir: string; proc: ChildProcess; databases: number }

let cluster: Promise<Cluster> | null = null;
let running: Cluster | null = null;

process.on('exit', () => {
  if (!running) return;
  const { dir } = running;
  // Immediate shutdown, waited for (an exit handler can only wait synchronously), then the files go.
  try { process.kill(postmasterPid(dir), 'SIGQUIT'); } catch { /* gone */ }
  const end = Date.now() + 5000;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < end && alive(dir)) Atomics.wait(nap, 0, 0, 20);
  rmSync(dir, { recursive: true, force: true });
});

function postmasterPid(dir: string): number {
  try { return Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]); } catch { return -1; }
}
function alive(dir: string): boolean {
  const pid = postmasterPid(dir);
  if (pid <= 0) return false;
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Runs a PostgreSQL binary as the postgres user when we are root. */
function asOwner(bin: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

async function startCluster(): Promise<Cluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (initdb not found): apt-get install postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'bridge-pg-'));
  if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  const data = join(dir, 'data');
  await initdb(bin, data);
  const port = await freePort();
  const [cmd, args] = asOwner(join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir,
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
  ]);
  // Its output goes to a file, so nothing of it keeps the test process alive.
  const logFile = join(dir, 'postgres.log');
  const out = openSync(logFile, 'w');
  const proc = spawn(cmd, args, { stdio: ['ignore', out, out] });
  closeSync(out);
  proc.unref();
  const c: Cluster = { port, dir, proc, databases: 0 };
  running = c;
  const log = () => readFileSync(logFile, 'utf8');
  const end = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`postgres exited with ${proc.exitCode}:\n${log()}`);
    try {
      await adminQuery(c, 'select 1');
      return c;
    } catch (e) {
      if (Date.now() > end) throw new Error(`postgres did not accept connections in 20 s: ${(e as Error).message}\n${log()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * A fresh data dir. initdb takes ≈ 2 s, copying its result ≈ 0.3 s: within one test run
 * (BRIDGE_TEST_CACHE, test/run.ts) the first process to need one builds a template there and the
 * others copy it (`cp -a` keeps the postgres user's ownership).
 */
async function initdb(bin: string, data: string): Promise<void> {
  // C collation: the same byte order SQLite sorts text in.
  const fresh = () => execFileSync(...asOwner(join(bin, 'initdb'), ['-D', data, '-U', USER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']), { stdio: 'pipe' });
  const cache = process.env.BRIDGE_TEST_CACHE;
  if (!cache) return void fresh();
  const template = join(cache, 'postgres-template');
  try {
    mkdirSync(`${template}.lock`);
  } catch {
    // Another process builds it: wait for it, then copy (or give up waiting and build our own).
    const end = Date.now() + 30_000;
    while (!existsSync(template) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    if (!existsSync(template)) return void fresh();
    return void execFileSync('cp', ['-a', template, data]);
  }
  fresh();
  execFileSync('cp', ['-a', data, `${template}.tmp`]);
  renameSync(`${template}.tmp`, template);
}

/** One statement on the cluster's `postgres` database, on a connection of its own. */
async function adminQuery(c: Cluster, text: string): Promise<void> {
  const admin = new pg.Client({ host: '127.0.0.1', port: c.port, user: USER, database: 'postgres' });
  try {
    await admin.connect();
    await admin.query(text);
  } finally {
    await admin.end().catch(() => {});
  }
}

/** A new, empty database on this process's cluster (started on first use); returns its URL. */
export async function postgresDatabase(): Promise<string> {
  cluster ??= startCluster();
  const c = await cluster;
  const name = `bridge_${++c.databases}`;
  await adminQuery(c, `create database ${name}`);
  return `postgres://${USER}@127.0.0.1:${c.port}/${name}`;
}
