// Chat under load (docs/ARCHITECTURE.md "Performance targets"): one real server process, 1,000 customer sessions and
// 50 reps over loopback, chat both ways at a steady rate for a fixed time. Reports delivered/sent
// (must be exactly 1.0: every message reaches the other side once), customer→rep latency, and
// the server's RSS and CPU. Bounded in count and time; stops by itself.
// Usage: node --import tsx bench/load.ts [--sessions N] [--reps N] [--seconds S] [--rate msgs/s]
//        or `npm run bench -- load` (bench/run.ts).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import WebSocket from 'ws';
import { Connection, MAX_BULK_BYTES, newClientId, type Message, type SocketLike } from '../protocol/index.ts';
import { createKey, joinSession, loginRep, startServer, type TestServer } from '../test/helpers/server.ts';
import type { BenchResult } from './types.ts';

export interface LoadOptions {
  sessions: number;
  reps: number;
  /** Length of the steady phase. */
  seconds: number;
  /** Customer → rep messages per second, over all sessions. */
  customerRate: number;
  /** Rep → customer messages per second, over all sessions. */
  repRate: number;
}

export const DEFAULTS: LoadOptions = { sessions: 1000, reps: 50, seconds: 30, customerRate: 200, repRate: 50 };
/** Hard ceiling for the whole run: set-up, steady phase and drain. */
const MAX_RUN_MS = 10 * 60_000;
const DRAIN_MS = 30_000;
const SETUP_CONCURRENCY = 16;

// ---- figures shared with bench/relay.ts

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const ms = (x: number) => `${x.toFixed(1)} ms`;

/** CPU and RSS of a process from /proc (Linux), sampled while a phase runs. */
export class ProcSampler {
  private readonly tick = 100; // USER_HZ on Linux
  private startCpu = 0;
  private startAt = 0;
  peakRssMB = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly pid: number) {}

  private cpuSec(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / this.tick; // utime + stime
  }

  rssMB(): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  }

  start(): void {
    this.startCpu = this.cpuSec();
    this.startAt = performance.now();
    this.peakRssMB = this.rssMB();
    this.timer = setInterval(() => { this.peakRssMB = Math.max(this.peakRssMB, this.rssMB()); }, 500);
  }

  /** Mean CPU % of one core since start(), and the RSS now. */
  stop(): { cpuPct: number; rssMB: number; peakRssMB: number } {
    if (this.timer) clearInterval(this.timer);
    const cpuPct = ((this.cpuSec() - this.startCpu) / ((performance.now() - this.startAt) / 1000)) * 100;
    const rssMB = this.rssMB();
    this.peakRssMB = Math.max(this.peakRssMB, rssMB);
    return { cpuPct, rssMB, peakRssMB: this.peakRssMB };
  }
}

/** Linux CPU pressure (share of time some runnable task waited for a CPU, last 10 s), or null. */
export function cpuPressure(): number | null {
  try {
    const m = /some avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Context for latency figures on a shared machine: the client's event-loop delay and CPU pressure. */
export function contention() {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const before = cpuPressure();
  return {
    stop(): string {
      h.disable();
      const after = cpuPressure();
      return `Client event-loop delay (1 ms sampling) p50 ${(h.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms; CPU pressure (some, avg10) ${before ?? '?'} % before, ${after ?? '?'} % after — figures above 20 ms here come from waiting for a CPU, not from the server's work.`;
    },
  };
}

/**
 * The floor under the same contention: a bare `ws` echo server in its own process, pinged 50 times
 * a second from this process. Its round trip has the same two loopback hops as customer → server →
 * rep, without Bridge's work (decode, validate, store, ack, relay), so Bridge adds the difference.
 */
export async function echoFloor(): Promise<{ stop(): Promise<{ p50: number; p99: number }> }> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const code = "const {WebSocketServer}=require('ws');const s=new WebSocketServer({port:0,host:'127.0.0.1'});s.on('listening',()=>console.log(s.address().port));s.on('connection',w=>w.on('message',d=>w.send(d)))";
  const proc = spawn(process.execPath, ['-e', code], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    proc.once('exit', () => reject(new Error('echo server exited')));
  });
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  const rtt: number[] = [];
  ws.on('message', (d: Buffer) => rtt.push(performance.now() - d.readDoubleLE(0)));
  const timer = setInterval(() => { const b = Buffer.alloc(64); b.writeDoubleLE(performance.now(), 0); ws.send(b); }, 20);
  return {
    async stop() {
      clearInterval(timer);
      ws.close();
      proc.kill('SIGKILL');
      rtt.sort((a, b) => a - b);
      return { p50: percentile(rtt, 50), p99: percentile(rtt, 99) };
    },
  };
}

/** A protocol Connection that hands every message to a callback (no recording: 1,000 of these). */
export function connect(server: TestServer, role: 'customer' | 'agent' | 'rep', credential: string, onMessage: (m: Message) => void, cookie?: string): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = cookie ? { cookie, origin: server.url } : {};
    const conn = new Connection({
      url: `${server.wsUrl}/ws/${role}`, role, credential,
      createSocket: (u) => new WebSocket(u, { headers, maxPayload: MAX_BULK_BYTES }) as unknown as SocketLike,
      onWelcome: () => resolve(conn),
      onStatus: (s, err) => { if (s === 'closed') reject(new Error(err?.message ?? 'closed')); },
      onMessage,
    });
  });
}

/** Runs `fn` over items with at most `width` at a time. */
export async function pool<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i], i);
  }));
}

export function withDeadline<T>(p: Promise<T>, msTotal: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const deadline = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish in ${msTotal / 1000} s`)), msTotal);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

// ---- the chat load

interface Sent { at: number; sessionId: string; direction: 'c2r' | 'r2c' }

export async function runLoad(o: LoadOptions = DEFAULTS): Promise<BenchResult> {
  const reps = Array.from({ length: o.reps }, (_, i) => ({ username: `load-rep-${i}`, password: `load-password-${i}`, name: `Load Rep ${i}` }));
  const server = await startServer({
    config: {
      agreement: null, queueMessageIntervalSec: 3600, orphan: { timeoutSec: 3600, redirectUrl: null },
      rateLimit: { joinPerMin: 1_000_000, loginPerMin: 1_000_000, messageBurst: 1_000_000, messagesPerMin: 1_000_000 }, reps,
      // Every simulated person connects from 127.0.0.1.
      limits: { connectionsPerAddress: 1_000_000 },
    },
    // As in production: the test helper's schema check of every outgoing message is a test aid.
    env: { BRIDGE_CHECK_OUTGOING: '0' },
  });
  const conns: Connection[] = [];
  try {
    return await withDeadline(measure(server, o, reps, conns), MAX_RUN_MS, 'the load run');
  } finally {
    for (const c of conns) c.close();
    await server.stop();
  }
}

async function measure(server: TestServer, o: LoadOptions, reps: Array<{ username: string; password: string }>, conns: Connection[]): Promise<BenchResult> {
  const t0 = performance.now();
  const idleRssMB = new ProcSampler(server.proc.pid!).rssMB();
  const sent = new Map<string, Sent>();
  const delivered = new Map<string, number>(); // client id → times delivered to the other side
  const c2r: number[] = [];
  const r2c: number[] = [];
  const acceptWaiters = new Map<string, () => void>();
  let errors = 0;

  const onDelivery = (m: Message, side: 'rep' | 'customer') => {
    if (m.t === 'error') errors++;
    if (m.t === 'session' && side === 'rep' && m.session.state === 'active') acceptWaiters.get(m.session.id)?.();
    if (m.t !== 'event' || m.body.kind !== 'chat' || !m.id) return;
    const s = sent.get(m.id);
    // Only the other side's copy counts (the sender sees its own message echoed too).
    if (!s || (s.direction === 'c2r') !== (side === 'rep')) return;
    delivered.set(m.id, (delivered.get(m.id) ?? 0) + 1);
    if (delivered.get(m.id) === 1) (s.direction === 'c2r' ? c2r : r2c).push(performance.now() - s.at);
  };

  // Reps: log in (the cookie authenticates the WebSocket), then connect.
  const repConns: Connection[] = [];
  const cookies: string[] = [];
  for (const r of reps) cookies.push(await loginRep(server, r.username, r.password));
  await pool(cookies, 8, async (cookie, i) => {
    repConns[i] = await connect(server, 'rep', '', (m) => onDelivery(m, 'rep'), cookie);
  });
  conns.push(...repConns);

  // Customers: key from "their" rep (personal queue), join, connect, and the rep accepts.
  const sessions: Array<{ id: string; customer: Connection; rep: Connection }> = [];
  await pool(Array.from({ length: o.sessions }, (_, i) => i), SETUP_CONCURRENCY, async (i) => {
    const r = i % o.reps;
    const k = await createKey(server, cookies[r]);
    const j = await joinSession(server, k.key, 'customer', `Load Customer ${i}`);
    const customer = await connect(server, 'customer', j.token, (m) => onDelivery(m, 'customer'));
    conns.push(customer);
    const accepted = new Promise<void>((resolve) => acceptWaiters.set(j.sessionId, resolve));
    repConns[r].send({ t: 'accept', sessionId: j.sessionId });
    await withDeadline(accepted, 30_000, `accepting session ${i}`);
    acceptWaiters.delete(j.sessionId);
    sessions[i] = { id: j.sessionId, customer, rep: repConns[r] };
  });
  const setupSec = (performance.now() - t0) / 1000;

  // Steady phase: every 10 ms, the messages due so far, round-robin over sessions.
  const sampler = new ProcSampler(server.proc.pid!);
  const clientCpu0 = process.cpuUsage();
  sampler.start();
  const busy = contention();
  const floor = await echoFloor();
  const acks: Promise<number>[] = [];
  let nC = 0, nR = 0;
  const start = performance.now();
  const send = (dir: 'c2r' | 'r2c', n: number) => {
    const s = sessions[(n * (dir === 'c2r' ? 1 : 7)) % sessions.length];
    const id = newClientId();
    sent.set(id, { at: performance.now(), sessionId: s.id, direction: dir });
    const conn = dir === 'c2r' ? s.customer : s.rep;
    acks.push(conn.sendReliable({ t: 'chat', sessionId: s.id, id, text: `load ${dir} ${n} ${'x'.repeat(40)}` }));
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const el = (performance.now() - start) / 1000;
      const t = Math.min(el, o.seconds);
      while (nC < Math.floor(t * o.customerRate)) send('c2r', nC++);
      while (nR < Math.floor(t * o.repRate)) send('r2c', nR++);
      if (el >= o.seconds) { clearInterval(timer); resolve(); }
    }, 10);
  });
  const steadySec = (performance.now() - start) / 1000;
  const stats = sampler.stop();
  const busyNote = busy.stop();
  const echo = await floor.stop();
  const clientCpu = process.cpuUsage(clientCpu0);

  // Drain: every message acked and delivered once, or the deadline.
  let acked = 0;
  await withDeadline(Promise.all(acks.map((p) => p.then(() => { acked++; }))), DRAIN_MS, 'acks').catch(() => {});
  const drainEnd = Date.now() + DRAIN_MS;
  while (delivered.size < sent.size && Date.now() < drainEnd) await new Promise((r) => setTimeout(r, 50));

  const total = sent.size;
  // Stored as well as delivered: every line is in the transcript table exactly once.
  const db = new Database(join(server.dataDir, 'bridge.db'), { readonly: true });
  const stored = (db.prepare("select count(*) as n, count(distinct client_id) as d from events where kind = 'chat'").get() as { n: number; d: number });
  db.close();
  const once = [...delivered.values()].filter((n) => n === 1).length;
  const dups = [...delivered.values()].filter((n) => n > 1).length;
  const ratio = total === 0 ? 0 : delivered.size / total;
  c2r.sort((a, b) => a - b);
  r2c.sort((a, b) => a - b);
  const p99 = percentile(c2r, 99);
  const rows = [
    { scenario: `chat, ${o.sessions} sessions + ${o.reps} reps`, metric: 'delivered / sent', target: 'exactly 1.0', measured: `${ratio.toFixed(4)} (${delivered.size} of ${total}; ${dups} duplicated; ${acked} acked)`, ok: ratio === 1 && dups === 0 && once === total },
    { scenario: `chat, ${o.sessions} sessions + ${o.reps} reps`, metric: 'stored in the transcript / sent', target: 'exactly 1.0', measured: `${(stored.n / total).toFixed(4)} (${stored.n} rows, ${stored.d} distinct ids)`, ok: stored.n === total && stored.d === total },
    { scenario: `chat, ${o.sessions} sessions + ${o.reps} reps`, metric: 'customer → rep latency p50 / p99', target: 'p99 ≤ 20 ms', measured: `${ms(percentile(c2r, 50))} / ${ms(p99)}`, ok: p99 <= 20 },
    { scenario: `chat, ${o.sessions} sessions + ${o.reps} reps`, metric: 'floor: bare ws echo round trip (same two hops, no Bridge) p50 / p99', measured: `${ms(echo.p50)} / ${ms(echo.p99)}` },
    { scenario: `chat, ${o.sessions} sessions + ${o.reps} reps`, metric: 'rep → customer latency p50 / p99', measured: `${ms(percentile(r2c, 50))} / ${ms(percentile(r2c, 99))}` },
    { scenario: `chat, ${o.sessions} sessions + ${o.reps} reps`, metric: 'messages/s (customer→rep + rep→customer) for s', measured: `${o.customerRate} + ${o.repRate} for ${steadySec.toFixed(0)} s` },
    { scenario: `chat, ${o.sessions} sessions + ${o.reps} reps`, metric: 'server CPU (% of one core, mean over the steady phase)', measured: `${stats.cpuPct.toFixed(0)} %` },
    { scenario: `chat, ${o.sessions} sessions + ${o.reps} reps`, metric: 'server RSS (idle after start / end of steady phase / peak)', measured: `${idleRssMB.toFixed(0)} MB / ${stats.rssMB.toFixed(0)} MB / ${stats.peakRssMB.toFixed(0)} MB` },
    { scenario: `chat, ${o.sessions} sessions + ${o.reps} reps`, metric: 'set-up (keys, joins, accepts)', measured: `${setupSec.toFixed(1)} s` },
  ];
  return {
    title: 'Chat under load (server, loopback)',
    rows,
    notes: [
      'One server process (SQLite in WAL mode, every message stored before its ack) and one client process holding every WebSocket (protocol/connection.ts, as the chat, the console and the agent use it).',
      'Latency is measured in the client process from sendReliable() to the event decoded at the other side, so it includes the client\'s own encode/decode and event-loop delay; the client process shares the 2 cores with the server.',
      `Client process CPU during the steady phase: ${(((clientCpu.user + clientCpu.system) / 1e6 / steadySec) * 100).toFixed(0)} % of one core. Protocol errors seen: ${errors}.`,
      busyNote,
    ],
    data: { options: o, sent: total, delivered: delivered.size, duplicated: dups, acked, c2r: { p50: percentile(c2r, 50), p90: percentile(c2r, 90), p99, max: c2r.at(-1) }, r2c: { p50: percentile(r2c, 50), p99: percentile(r2c, 99) }, server: { ...stats, idleRssMB }, setupSec, errors, echo, stored },
  };
}

export function run(): Promise<BenchResult> {
  return runLoad(DEFAULTS);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = await import('node:util').then((u) => u.parseArgs({ options: { sessions: { type: 'string' }, reps: { type: 'string' }, seconds: { type: 'string' }, rate: { type: 'string' }, 'rep-rate': { type: 'string' } } }));
  const o: LoadOptions = {
    sessions: Number(values.sessions ?? DEFAULTS.sessions), reps: Number(values.reps ?? DEFAULTS.reps), seconds: Number(values.seconds ?? DEFAULTS.seconds),
    customerRate: Number(values.rate ?? DEFAULTS.customerRate), repRate: Number(values['rep-rate'] ?? DEFAULTS.repRate),
  };
  const r = await runLoad(o);
  for (const row of r.rows) console.log(`${row.ok === undefined ? '    ' : row.ok ? 'ok  ' : 'MISS'} ${row.metric}: ${row.measured}${row.target ? ` (target ${row.target})` : ''}`);
  for (const n of r.notes ?? []) console.log(`  - ${n}`);
  process.exit(0);
}

