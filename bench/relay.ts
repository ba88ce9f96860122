// Screen relay under load: 20 concurrent screen streams through one server process,
// each an agent client sending frames (at most 2 in flight, as the agent does) to a rep client
// that acks each one. Frame sizes follow the measured encoder output (bench/frame-pipeline.ts):
// typing ≈ 200 B at 10/s, office work (window moves, scrolling) 1–30 KB at 30/s, photo-like
// full-screen changes ≈ 240 KB at 5/s. Reports relayed throughput, the latency the relay adds
// (agent send → rep receive, both in this process) and the server's CPU and RSS.
// Usage: node --import tsx bench/relay.ts [--streams N] [--seconds S]   or `npm run bench -- relay`.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Connection, Message, Msg } from '../protocol/index.ts';
import { createKey, joinAgent, joinSession, loginRep, startServer, type TestServer } from '../test/helpers/server.ts';
import { connect, contention, echoFloor, ms, percentile, pool, ProcSampler, withDeadline } from './load.ts';
import type { BenchResult } from './types.ts';

export interface Profile { name: string; fps: number; size: () => number }
export const PROFILES: Profile[] = [
  { name: 'typing', fps: 10, size: () => 150 + Math.floor(Math.random() * 100) },
  { name: 'office', fps: 30, size: () => (Math.random() < 0.8 ? 1000 + Math.floor(Math.random() * 4000) : 20_000 + Math.floor(Math.random() * 10_000)) },
  { name: 'photo', fps: 5, size: () => 200_000 + Math.floor(Math.random() * 80_000) },
];
/** Streams per profile, in the order above: 5 typing, 10 office, 5 photo. */
export const MIX = [5, 10, 5];
const IN_FLIGHT = 2;
const MAX_RUN_MS = 5 * 60_000;

interface Stream {
  profile: Profile;
  sessionId: string;
  agent: Connection;
  rep: Connection;
  seq: number;
  inFlight: number;
  sentAt: Map<number, number>;
  sent: number;
  received: number;
  bytes: number;
  latency: number[];
}

/** `config`: more server settings (bench/recording.ts relays with recording on and off). */
export async function runRelay(seconds = 20, mix = MIX, config: object = {}): Promise<BenchResult> {
  const count = mix.reduce((a, b) => a + b, 0);
  const reps = Array.from({ length: count }, (_, i) => ({ username: `relay-rep-${i}`, password: `relay-password-${i}`, name: `Relay Rep ${i}` }));
  const server = await startServer({ config: { agreement: null, rateLimit: { joinPerMin: 100_000, loginPerMin: 100_000 }, reps, ...config } });
  const conns: Connection[] = [];
  try {
    return await withDeadline(measure(server, seconds, mix, reps, conns), MAX_RUN_MS, 'the relay run');
  } finally {
    for (const c of conns) c.close();
    await server.stop();
  }
}

async function measure(server: TestServer, seconds: number, mix: number[], reps: Array<{ username: string; password: string }>, conns: Connection[]): Promise<BenchResult> {
  const profiles = mix.flatMap((n, i) => Array.from({ length: n }, () => PROFILES[i]));
  const streams: Stream[] = [];
  // One payload pool, sliced per frame: incompressible like JPEG data, no allocation per frame.
  const payload = randomBytes(300_000);
  let running = true;

  const sendNext = (s: Stream) => {
    if (!running || s.inFlight >= IN_FLIGHT) return;
    const size = s.profile.size();
    const seq = ++s.seq;
    const frame: Msg<'frame'> = { t: 'frame', sessionId: s.sessionId, seq, display: 0, w: 1920, h: 1080, ts: Date.now(), rects: [{ k: 'jpeg', x: 0, y: 0, w: 64, h: 64, data: payload.subarray(0, size) }] };
    s.sentAt.set(seq, performance.now());
    s.inFlight++;
    s.sent++;
    s.agent.send(frame);
  };

  await pool(profiles, 4, async (profile, i) => {
    const cookie = await loginRep(server, reps[i].username, reps[i].password);
    const k = await createKey(server, cookie);
    const cj = await joinSession(server, k.key, 'customer', `Relay Customer ${i}`);
    conns.push(await connect(server, 'customer', cj.token, () => {}));
    let s!: Stream;
    let grantSeen!: () => void;
    const granted = new Promise<void>((r) => (grantSeen = r));
    const rep = await connect(server, 'rep', '', (m: Message) => {
      if (m.t === 'grant' && m.grant === 'view') grantSeen();
      if (m.t !== 'frame' || !s) return;
      const at = s.sentAt.get(m.seq);
      if (at !== undefined) { s.latency.push(performance.now() - at); s.sentAt.delete(m.seq); }
      s.received++;
      s.bytes += m.rects.reduce((n, r) => n + ('data' in r ? r.data.byteLength : 0), 0);
      rep.send({ t: 'frame.ack', sessionId: m.sessionId, seq: m.seq });
    }, cookie);
    conns.push(rep);
    const accepted = new Promise<void>((resolve) => {
      const t = setInterval(async () => { const st = await fetchState(server, cookie, k.sessionId); if (st === 'active') { clearInterval(t); resolve(); } }, 50);
    });
    rep.send({ t: 'accept', sessionId: k.sessionId });
    await withDeadline(accepted, 30_000, `accepting stream ${i}`);
    const aj = await joinAgent(server, cj.token, `Relay Agent ${i}`);
    const agent = await connect(server, 'agent', aj.token, (m: Message) => {
      if (m.t === 'frame.ack' && s) { s.inFlight = Math.max(0, s.inFlight - 1); }
    });
    conns.push(agent);
    // The customer's grant, as the agent announces it after consent in its own window.
    agent.send({ t: 'grant', sessionId: k.sessionId, grant: 'view', epoch: 1, reps: [await repIdOf(server, cookie)], apps: null });
    await withDeadline(granted, 10_000, `grant of stream ${i}`);
    s = { profile, sessionId: k.sessionId, agent, rep, seq: 0, inFlight: 0, sentAt: new Map(), sent: 0, received: 0, bytes: 0, latency: [] };
    streams.push(s);
  });

  const sampler = new ProcSampler(server.proc.pid!);
  sampler.start();
  const busy = contention();
  const floor = await echoFloor();
  const start = performance.now();
  // Each stream captures at its profile's rate; a capture with 2 frames unacked is skipped (the agent's pacing).
  const timers = streams.map((s) => setInterval(() => sendNext(s), 1000 / s.profile.fps));
  await new Promise((r) => setTimeout(r, seconds * 1000));
  running = false;
  for (const t of timers) clearInterval(t);
  const wall = (performance.now() - start) / 1000;
  const stats = sampler.stop();
  const busyNote = busy.stop();
  const echo = await floor.stop();
  // In-flight frames arrive (or not) within a moment.
  await new Promise((r) => setTimeout(r, 1000));

  const all = streams.flatMap((s) => s.latency).sort((a, b) => a - b);
  const bytes = streams.reduce((n, s) => n + s.bytes, 0);
  const sent = streams.reduce((n, s) => n + s.sent, 0);
  const received = streams.reduce((n, s) => n + s.received, 0);
  const rows = [
    { scenario: `${streams.length} screen streams`, metric: 'relayed to reps', measured: `${(bytes / wall / 1e6).toFixed(2)} MB/s, ${(received / wall).toFixed(0)} frames/s` },
    { scenario: `${streams.length} screen streams`, metric: 'frames received / sent', measured: `${received} / ${sent}` },
    { scenario: `${streams.length} screen streams`, metric: 'agent → rep through the server, p50 / p99', measured: `${ms(percentile(all, 50))} / ${ms(percentile(all, 99))}` },
    { scenario: `${streams.length} screen streams`, metric: 'floor: bare ws echo round trip (same two hops, no Bridge) p50 / p99', measured: `${ms(echo.p50)} / ${ms(echo.p99)}` },
    { scenario: `${streams.length} screen streams`, metric: 'server CPU (% of one core) / RSS end, peak', measured: `${stats.cpuPct.toFixed(0)} % / ${stats.rssMB.toFixed(0)} MB, ${stats.peakRssMB.toFixed(0)} MB` },
  ];
  for (const p of PROFILES) {
    const ss = streams.filter((s) => s.profile === p);
    if (ss.length === 0) continue;
    const lat = ss.flatMap((s) => s.latency).sort((a, b) => a - b);
    const b = ss.reduce((n, s) => n + s.bytes, 0);
    const f = ss.reduce((n, s) => n + s.received, 0);
    rows.push({ scenario: `${ss.length} × ${p.name} (${p.fps}/s target)`, metric: 'per stream: frames/s, KB/s; latency p50 / p99', measured: `${(f / wall / ss.length).toFixed(1)}/s, ${(b / wall / ss.length / 1e3).toFixed(1)} KB/s; ${ms(percentile(lat, 50))} / ${ms(percentile(lat, 99))}` });
  }
  return {
    title: 'Screen relay under load (server, loopback)',
    rows,
    notes: [
      'Agent and rep clients share one client process with every WebSocket; the server relays the frame bytes it validated without re-encoding them and drops frames only for a viewer over 4 MiB behind.',
      'Added latency = agent send → rep decode, the whole path through the server; on loopback it is the relay\'s cost plus both processes\' scheduling.',
      busyNote,
    ],
    data: { seconds: wall, streams: streams.length, sent, received, bytes, latency: { p50: percentile(all, 50), p99: percentile(all, 99), max: all.at(-1) }, server: stats, echo },
  };
}

async function fetchState(server: TestServer, cookie: string, sessionId: string): Promise<string | undefined> {
  const r = await fetch(`${server.url}/api/history/${sessionId}`, { headers: { cookie } });
  return r.ok ? ((await r.json()) as { session: { state: string } }).session.state : undefined;
}

async function repIdOf(server: TestServer, cookie: string): Promise<string> {
  const r = await fetch(`${server.url}/api/rep/me`, { headers: { cookie } });
  return ((await r.json()) as { rep: { id: string } }).rep.id;
}

export function run(): Promise<BenchResult> {
  return runRelay();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ options: { seconds: { type: 'string' } } });
  const r = await runRelay(Number(values.seconds ?? 20));
  for (const row of r.rows) console.log(`${row.scenario} — ${row.metric}: ${row.measured}`);
  for (const n of r.notes ?? []) console.log(`  - ${n}`);
  process.exit(0);
}
