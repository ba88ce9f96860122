// Queue views under load (docs/ARCHITECTURE.md "Queue views", "Performance targets"): one real
// server process, 200 rep consoles online in 10 teams of 20, customers arriving through the
// portal into the team queues. Two scenarios, each on a fresh server:
// - set-up: 10,000 sessions queued as fast as 16 concurrent submits go (sessions/s);
// - morning rush: 200 new sessions/s for 15 s, open loop (achieved rate, and p99 from a
//   customer's submit to each rep of that team seeing the session in their queue view).
// Every rep console folds snapshot + deltas as the console does (console/queue-view.ts), and at
// the end each must show exactly its team's sessions.
// Usage: node --import tsx bench/queues.ts [--sessions N] [--reps N] [--rate R] [--seconds S]
//        or `npm run bench -- queues` (bench/run.ts).
import { fileURLToPath } from 'node:url';
import type { Connection, Message } from '../protocol/index.ts';
import { applyQueues, emptyQueueState, type QueueState } from '../console/queue-view.ts';
import { api, loginRep, startServer, type TestServer } from '../test/helpers/server.ts';
import { connect, percentile, pool, ProcSampler, withDeadline, ms } from './load.ts';
import type { BenchResult, BenchRow } from './types.ts';

export interface QueueBenchOptions { sessions: number; reps: number; teams: number; rate: number; seconds: number }
export const DEFAULTS: QueueBenchOptions = { sessions: 10_000, reps: 200, teams: 10, rate: 200, seconds: 15 };
const SETUP_CONCURRENCY = 16;
const DRAIN_MS = 60_000;
/** The figure this replaces: every change sent every console a snapshot of its queues. */
const BEFORE = 'before deltas: ≈ 250 s for 10,000 (40 sessions/s)';

interface Desk {
  server: TestServer;
  conns: Connection[];
  teamIds: string[];
  /** Per rep: its team and its folded queue view. */
  reps: { team: string; state: QueueState }[];
  /** Customer name → when its submit was sent (client clock). */
  sentAt: Map<string, number>;
  /** Submit → this rep's view showing the session, per (session, rep). */
  latencies: number[];
  /** Deltas received by all consoles, and the queue entries they carried. */
  deltas: number;
  entries: number;
  snapshots: number;
  gaps: number;
}

async function desk(o: QueueBenchOptions): Promise<Desk> {
  const teams = Array.from({ length: o.teams }, (_, i) => ({ name: `Queue team ${i}` }));
  const reps = Array.from({ length: o.reps }, (_, i) => ({ username: `queue-rep-${i}`, password: `queue-password-${i}`, name: `Queue Rep ${i}`, teams: [teams[i % o.teams].name] }));
  const server = await startServer({
    config: {
      agreement: null, queueMessageIntervalSec: 3600, orphan: { timeoutSec: 3600, redirectUrl: null }, teams, reps,
      // Every console comes from this one loopback address.
      limits: { connectionsPerAddress: 10_000 },
      rateLimit: { joinPerMin: 1_000_000, loginPerMin: 1_000_000, messageBurst: 1_000_000, messagesPerMin: 1_000_000 },
    },
    env: { BRIDGE_CHECK_OUTGOING: '0' },
  });
  const portal = await api<{ teams: { id: string; name: string }[] }>(server, 'GET', '/api/portal');
  const teamIds = teams.map((t) => portal.body.teams.find((x) => x.name === t.name)!.id);
  const d: Desk = { server, conns: [], teamIds, reps: [], sentAt: new Map(), latencies: [], deltas: 0, entries: 0, snapshots: 0, gaps: 0 };
  const cookies: string[] = [];
  for (const r of reps) cookies.push(await loginRep(server, r.username, r.password));
  await pool(cookies, 8, async (cookie, i) => {
    const mine = { team: teamIds[i % o.teams], state: emptyQueueState() };
    d.reps[i] = mine;
    let conn: Connection | undefined;
    conn = await connect(server, 'rep', '', (m) => onRepMessage(d, mine, conn, m), cookie);
    d.conns.push(conn);
  });
  return d;
}

function onRepMessage(d: Desk, rep: Desk['reps'][number], conn: Connection | undefined, m: Message): void {
  if (m.t !== 'rep.queues' && m.t !== 'rep.queues.delta') return;
  if (m.t === 'rep.queues') d.snapshots++;
  else { d.deltas++; d.entries += m.added.length + m.changed.length + m.removed.length; }
  const r = applyQueues(rep.state, m);
  rep.state = r.state;
  if (r.gap) { d.gaps++; conn?.send({ t: 'rep.queues.refresh', lastSeq: 0 }); }
  if (m.t === 'rep.queues.delta') {
    const now = performance.now();
    for (const e of m.added) {
      const at = d.sentAt.get(e.session.customer.name);
      if (at !== undefined) d.latencies.push(now - at);
    }
  }
}

async function submit(d: Desk, i: number, prefix: string): Promise<void> {
  const name = `${prefix} ${i}`;
  d.sentAt.set(name, performance.now());
  const r = await api(d.server, 'POST', '/api/portal/submit', { name, company: 'ACME', issue: 'Printer', description: 'jammed', teamId: d.teamIds[i % d.teamIds.length] });
  if (r.status !== 200) throw new Error(`submit ${name}: ${r.status} ${JSON.stringify(r.body)}`);
}

/** Every rep's view shows `n` sessions in its team queue (what the server holds), or the drain deadline. */
async function drained(d: Desk, perTeam: (team: string) => number): Promise<boolean> {
  const end = Date.now() + DRAIN_MS;
  const ok = () => d.reps.every((r) => r.state.queues.find((q) => q.ref.id === r.team)?.sessions.length === perTeam(r.team));
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  return ok();
}

function clientPct(cpu0: NodeJS.CpuUsage, sec: number): string {
  const u = process.cpuUsage(cpu0);
  return (((u.user + u.system) / 1e6 / sec) * 100).toFixed(0);
}

async function close(d: Desk): Promise<void> {
  for (const c of d.conns) c.close();
  await d.server.stop();
}

async function setupScenario(o: QueueBenchOptions): Promise<BenchRow[]> {
  const d = await desk(o);
  try {
    const scenario = `set-up: ${o.sessions.toLocaleString('en')} sessions, ${o.reps} reps online`;
    const sampler = new ProcSampler(d.server.proc.pid!);
    const cpu0 = process.cpuUsage();
    sampler.start();
    const t0 = performance.now();
    await pool(Array.from({ length: o.sessions }, (_, i) => i), SETUP_CONCURRENCY, (i) => submit(d, i, 'Setup'));
    const submitted = (performance.now() - t0) / 1000;
    const allSeen = await drained(d, (team) => Math.floor(o.sessions / o.teams) + (d.teamIds.indexOf(team) < o.sessions % o.teams ? 1 : 0));
    const seenSec = (performance.now() - t0) / 1000;
    const stats = sampler.stop();
    const rate = o.sessions / seenSec;
    d.latencies.sort((a, b) => a - b);
    return [
      { scenario, metric: 'set-up rate (submitted and shown in every team rep\'s view)', target: '≥ 200 sessions/s', measured: `${rate.toFixed(0)} sessions/s (${seenSec.toFixed(1)} s; submits done at ${submitted.toFixed(1)} s; ${BEFORE})`, ok: allSeen && rate >= 200, ratio: 200 / rate },
      { scenario, metric: 'submit → rep\'s queue view p50 / p99', measured: `${ms(percentile(d.latencies, 50))} / ${ms(percentile(d.latencies, 99))}` },
      { scenario, metric: 'every rep shows exactly its team\'s sessions; snapshots / gaps', measured: `${allSeen ? 'yes' : 'NO'}; ${d.snapshots} / ${d.gaps}`, ok: allSeen },
      { scenario, metric: 'deltas to all consoles / queue entries in them (a session reaches its team\'s reps only)', measured: `${d.deltas} / ${d.entries}` },
      { scenario, metric: 'server CPU / client CPU (% of one core; the client holds all 200 consoles) / server peak RSS', measured: `${stats.cpuPct.toFixed(0)} % / ${clientPct(cpu0, seenSec)} % / ${stats.peakRssMB.toFixed(0)} MB` },
    ];
  } finally {
    await close(d);
  }
}

async function rushScenario(o: QueueBenchOptions): Promise<BenchRow[]> {
  const d = await desk(o);
  try {
    const scenario = `morning rush: ${o.rate} new sessions/s for ${o.seconds} s, ${o.reps} reps online`;
    const total = o.rate * o.seconds;
    const sampler = new ProcSampler(d.server.proc.pid!);
    const cpu0 = process.cpuUsage();
    sampler.start();
    const pending: Promise<void>[] = [];
    let n = 0;
    const start = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * o.rate));
        while (n < due) pending.push(submit(d, n++, 'Rush'));
        if (n >= total) { clearInterval(timer); resolve(); }
      }, 5);
    });
    await Promise.all(pending);
    const submitSec = (performance.now() - start) / 1000;
    const perTeam = total / o.teams;
    const allSeen = await drained(d, () => perTeam);
    const seenSec = (performance.now() - start) / 1000;
    const stats = sampler.stop();
    d.latencies.sort((a, b) => a - b);
    const p99 = percentile(d.latencies, 99);
    const achieved = total / seenSec;
    const expected = total * (o.reps / o.teams);
    return [
      { scenario, metric: 'achieved rate (submitted and shown in every team rep\'s view)', target: `${o.rate} sessions/s`, measured: `${achieved.toFixed(0)} sessions/s (${total} in ${seenSec.toFixed(1)} s; submits done at ${submitSec.toFixed(1)} s)`, ok: allSeen && achieved >= o.rate * 0.95, ratio: o.rate / achieved },
      { scenario, metric: 'submit → rep\'s queue view p50 / p99', target: 'p99 ≤ 1 s', measured: `${ms(percentile(d.latencies, 50))} / ${ms(p99)} (${d.latencies.length} of ${expected} rep views)`, ok: p99 <= 1000 && d.latencies.length === expected, ratio: p99 / 1000 },
      { scenario, metric: 'every rep shows exactly its team\'s sessions; snapshots / gaps', measured: `${allSeen ? 'yes' : 'NO'}; ${d.snapshots} / ${d.gaps}`, ok: allSeen },
      { scenario, metric: 'server CPU / client CPU (% of one core; the client holds all 200 consoles) / server peak RSS', measured: `${stats.cpuPct.toFixed(0)} % / ${clientPct(cpu0, seenSec)} % / ${stats.peakRssMB.toFixed(0)} MB` },
    ];
  } finally {
    await close(d);
  }
}

export async function runQueues(o: QueueBenchOptions = DEFAULTS): Promise<BenchResult> {
  const rows = await withDeadline((async () => [...await rushScenario(o), ...await setupScenario(o)])(), 15 * 60_000, 'the queue benchmark');
  return {
    title: 'Queue views under load (server, loopback)',
    rows,
    notes: [
      `One server process (SQLite), ${o.reps} rep consoles in ${o.teams} teams (each session is in one team's queue, so ${o.reps / o.teams} reps may see it), customers through POST /api/portal/submit; one client process holds every console and folds what it receives as the console does.`,
      'Latency is from the client sending the submit to a console decoding the delta that adds the session, per (session, rep) pair, in the client process that shares the 2 cores with the server.',
    ],
    data: { options: o },
  };
}

export function run(): Promise<BenchResult> {
  return runQueues(DEFAULTS);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = await import('node:util').then((u) => u.parseArgs({ options: { sessions: { type: 'string' }, reps: { type: 'string' }, rate: { type: 'string' }, seconds: { type: 'string' } } }));
  const r = await runQueues({ ...DEFAULTS, sessions: Number(values.sessions ?? DEFAULTS.sessions), reps: Number(values.reps ?? DEFAULTS.reps), rate: Number(values.rate ?? DEFAULTS.rate), seconds: Number(values.seconds ?? DEFAULTS.seconds) });
  for (const row of r.rows) console.log(`${row.ok === undefined ? '    ' : row.ok ? 'ok  ' : 'MISS'} ${row.scenario} · ${row.metric}: ${row.measured}${row.target ? ` (target ${row.target})` : ''}`);
  process.exit(0);
}
