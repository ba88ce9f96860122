// Three bridge servers on loopback (docs/ARCHITECTURE.md "Several nodes"): three server
// processes, one PostgreSQL, one NATS server, and one client process holding every WebSocket.
//  1. chat: N sessions, each customer on another node than its rep, chat both ways at load.ts's
//     rates; delivered/sent exactly 1.0 and customer → rep p99 within 2× one node's (load.ts's
//     recorded figure);
//  2. the same chat with node C killed (SIGKILL) halfway through: its clients come back on another
//     node (each client has the three URLs and moves to the next when one refuses, as a client
//     behind a load balancer would), every line delivered once, and how long it took;
//  3. screen relay: relay.ts's 20 streams with each agent on another node than its viewer, next to
//     relay.ts's one-node run: the latency a frame gains crossing NATS.
// Usage: node --import tsx bench/cluster.ts [--sessions N] [--seconds S]   or `npm run bench -- cluster`.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import WebSocket from 'ws';
import { Connection, MAX_BULK_BYTES, newClientId, type Message, type Msg, type SocketLike } from '../protocol/index.ts';
import { startNats, type TestNats } from '../test/helpers/nats.ts';
import { postgresDatabase } from '../test/helpers/postgres.ts';
import { api, createKey, joinSession, loginRep, startServer, type TestServer } from '../test/helpers/server.ts';
import { contention, DEFAULTS as LOAD, ms, percentile, pool, ProcSampler, withDeadline } from './load.ts';
import { MIX, PROFILES, runRelay } from './relay.ts';
import type { BenchResult, BenchRow } from './types.ts';

export const slow = 'three server processes, PostgreSQL and NATS: several minutes';

export interface ClusterOptions {
  sessions: number;
  reps: number;
  seconds: number;
}
export const DEFAULTS: ClusterOptions = { sessions: 3000, reps: 150, seconds: 20 };
/** bench/load.ts, one node, 1,000 sessions, 200 + 50 lines/s: customer → rep p99 as recorded in bench/RESULTS.md. */
const ONE_NODE_P99_MS = 6.5;
const MAX_RUN_MS = 15 * 60_000;
const DRAIN_MS = 30_000;
const SETUP_CONCURRENCY = 12;
/** Set-up stops adding sessions after this (2 cores, shared): the rows say how many there were. */
const SETUP_BUDGET_MS = Number(process.env.BENCH_CLUSTER_SETUP_MS ?? 180_000);
const NODES = ['a', 'b', 'c'];

interface Cluster { nats: TestNats; databaseUrl: string; nodes: TestServer[] }

async function startCluster(reps: Array<{ username: string; password: string; name: string }>): Promise<Cluster> {
  const [nats, databaseUrl] = await Promise.all([startNats(), postgresDatabase()]);
  const config = {
    agreement: null, queueMessageIntervalSec: 3600, orphan: { timeoutSec: 3600, redirectUrl: null },
    rateLimit: { joinPerMin: 1_000_000, loginPerMin: 1_000_000, messageBurst: 1_000_000, messagesPerMin: 1_000_000 }, reps,
    // Every client of the bench comes from 127.0.0.1.
    limits: { connectionsPerAddress: 1_000_000 },
  };
  const env = (node: string) => ({ BRIDGE_DATABASE_URL: databaseUrl, BRIDGE_NATS_URL: nats.url, BRIDGE_NODE_ID: node, BRIDGE_ADMIN_PASSWORD: 'bench-admin-pw', BRIDGE_CHECK_OUTGOING: '0' });
  // The first runs the migrations and seeds the reps.
  // One at a time: three starts at once on 2 busy cores can each take over the helper's 30 s.
  const nodes: TestServer[] = [];
  for (const n of NODES) nodes.push(await startServer({ config, store: 'sqlite', env: env(n) }));
  return { nats, databaseUrl, nodes };
}

async function stopCluster(c: Cluster): Promise<void> {
  await Promise.all(c.nodes.map((n) => n.stop().catch(() => {})));
  await c.nats.stop();
}

/** Welcomes every Connection of this bench got (a resume after a node died is one more). */
const welcomedAt: number[] = [];

/**
 * A protocol Connection to the first of `nodes` (from `home` on) that takes it: when its node
 * refuses (dead), the next reconnect tries the next one, as a client behind a balancer would land.
 */
function connectAny(nodes: TestServer[], home: number, role: 'customer' | 'agent' | 'rep', credential: string, onMessage: (m: Message) => void, cookie?: string): Promise<Connection> {
  let at = home;
  return new Promise((resolve, reject) => {
    const conn = new Connection({
      url: `${nodes[home].wsUrl}/ws/${role}`, role, credential, backoffMs: [50, 100, 250, 500],
      createSocket: () => {
        const ws = new WebSocket(`${nodes[at].wsUrl}/ws/${role}`, { headers: cookie ? { cookie } : {}, maxPayload: MAX_BULK_BYTES });
        ws.once('error', () => { at = (at + 1) % nodes.length; });
        return ws as unknown as SocketLike;
      },
      onWelcome: () => { welcomedAt.push(performance.now()); resolve(conn); },
      onStatus: (s, err) => { if (s === 'closed') reject(new Error(err?.message ?? 'closed')); },
      onMessage,
    });
  });
}

interface ChatSession { id: string; customer: Connection; rep: Connection; customerNode: number; repNode: number }
interface Sent { at: number; sessionId: string; direction: 'c2r' | 'r2c'; viaKilled: boolean }

/** Sessions with each customer on another node than its rep (rep r on node r mod 3, customers spread over the other two). */
async function setUpChat(c: Cluster, o: ClusterOptions, onMessage: (m: Message, side: 'rep' | 'customer') => void, accepted: Map<string, () => void>, conns: Connection[]): Promise<{ sessions: ChatSession[]; cookies: string[] }> {
  const cookies: string[] = [];
  for (let r = 0; r < o.reps; r++) cookies.push(await loginRep(c.nodes[r % 3], `cluster-rep-${r}`, `cluster-password-${r}`));
  const repConns: Connection[] = [];
  await pool(cookies, 8, async (cookie, r) => {
    repConns[r] = await connectAny(c.nodes, r % 3, 'rep', '', (m) => onMessage(m, 'rep'), cookie);
  });
  conns.push(...repConns);
  const sessions: ChatSession[] = [];
  const t0 = performance.now();
  await pool(Array.from({ length: o.sessions }, (_, i) => i), SETUP_CONCURRENCY, async (i) => {
    if (performance.now() - t0 > SETUP_BUDGET_MS) return;
    if (i % 500 === 0) console.error(`  cluster: setting up session ${i} at ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const r = i % o.reps;
    const repNode = r % 3;
    const customerNode = (repNode + 1 + (Math.floor(i / o.reps) % 2)) % 3;
    const k = await createKey(c.nodes[repNode], cookies[r]);
    const j = await joinSession(c.nodes[customerNode], k.key, 'customer', `Cluster Customer ${i}`);
    const customer = await connectAny(c.nodes, customerNode, 'customer', j.token, (m) => onMessage(m, 'customer'));
    conns.push(customer);
    const done = new Promise<void>((resolve) => accepted.set(j.sessionId, resolve));
    // The rep's node may not have heard yet that the customer joined on another (still pending
    // there: the accept is refused); a rep clicks only what their view shows, the bench asks again.
    const accept = () => repConns[r].send({ t: 'accept', sessionId: j.sessionId });
    accept();
    const again = setInterval(accept, 500);
    await withDeadline(done, 30_000, `accepting session ${i}`).finally(() => clearInterval(again));
    accepted.delete(j.sessionId);
    sessions[i] = { id: j.sessionId, customer, rep: repConns[r], customerNode, repNode };
  });
  return { sessions: sessions.filter(Boolean), cookies };
}

interface ChatPhase { sent: number; delivered: number; once: number; dups: number; acked: number; c2r: number[]; r2c: number[]; killedSlow: number[]; steadySec: number; cpu: string; busy: string; resumedMs: number | null }

/** One steady phase of chat at load.ts's rates; `kill`: SIGKILL node C halfway and wait for its clients to come back. */
async function chatPhase(c: Cluster, sessions: ChatSession[], o: ClusterOptions, track: { sent: Map<string, Sent>; delivered: Map<string, number>; c2r: number[]; r2c: number[]; killedSlow: number[] }, kill: boolean): Promise<ChatPhase> {
  track.sent.clear(); track.delivered.clear(); track.c2r.length = 0; track.r2c.length = 0; track.killedSlow.length = 0;
  const victim = 2;
  // The victim's /proc entry goes with it: sample the nodes that live through the phase.
  const sampled = c.nodes.map((n, i) => ({ n, i })).filter(({ n, i }) => n.proc.exitCode === null && n.proc.signalCode === null && !(kill && i === victim));
  const samplers = sampled.map(({ n }) => { const s = new ProcSampler(n.proc.pid!); s.start(); return s; });
  const busy = contention();
  const acks: Promise<number>[] = [];
  let nC = 0, nR = 0;
  let killedAt = 0;
  let resumedMs: number | null = null;
  const start = performance.now();
  const onVictim = sessions.filter((s) => s.customerNode === victim).length + new Set(sessions.filter((s) => s.repNode === victim).map((s) => s.rep)).size;
  const send = (dir: 'c2r' | 'r2c', n: number) => {
    const s = sessions[(n * (dir === 'c2r' ? 1 : 7)) % sessions.length];
    const id = newClientId();
    track.sent.set(id, { at: performance.now(), sessionId: s.id, direction: dir, viaKilled: kill && (s.customerNode === victim || s.repNode === victim) });
    acks.push((dir === 'c2r' ? s.customer : s.rep).sendReliable({ t: 'chat', sessionId: s.id, id, text: `load ${dir} ${n} ${'x'.repeat(40)}` }));
  };
  const welcomesBefore = welcomedAt.length;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const el = (performance.now() - start) / 1000;
      const t = Math.min(el, o.seconds);
      while (nC < Math.floor(t * LOAD.customerRate)) send('c2r', nC++);
      while (nR < Math.floor(t * LOAD.repRate)) send('r2c', nR++);
      if (kill && !killedAt && el >= o.seconds / 2) {
        killedAt = performance.now();
        c.nodes[victim].proc.kill('SIGKILL');
      }
      if (el >= o.seconds) { clearInterval(timer); resolve(); }
    }, 10);
  });
  const steadySec = (performance.now() - start) / 1000;
  const stats = samplers.map((s) => s.stop());
  const busyNote = busy.stop();
  let acked = 0;
  await withDeadline(Promise.all(acks.map((p) => p.then(() => { acked++; }))), DRAIN_MS, 'acks').catch(() => {});
  const drainEnd = Date.now() + DRAIN_MS;
  while (track.delivered.size < track.sent.size && Date.now() < drainEnd) await new Promise((r) => setTimeout(r, 50));
  // The moment the last of C's clients was welcomed elsewhere.
  const lastBack = welcomedAt[welcomesBefore + onVictim - 1];
  if (killedAt && lastBack !== undefined) resumedMs = lastBack - killedAt;
  const vals = [...track.delivered.values()];
  track.c2r.sort((a, b) => a - b);
  track.r2c.sort((a, b) => a - b);
  track.killedSlow.sort((a, b) => a - b);
  return {
    sent: track.sent.size, delivered: track.delivered.size, once: vals.filter((n) => n === 1).length, dups: vals.filter((n) => n > 1).length, acked,
    c2r: [...track.c2r], r2c: [...track.r2c], killedSlow: [...track.killedSlow], steadySec,
    cpu: stats.map((s, k) => `${NODES[sampled[k].i]} ${s.cpuPct.toFixed(0)} %`).join(', '), busy: busyNote, resumedMs,
  };
}

async function storedChat(databaseUrl: string): Promise<{ n: number; d: number }> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const r = await db.query("select count(*)::int as n, count(distinct client_id)::int as d from events where kind = 'chat'");
    return r.rows[0] as { n: number; d: number };
  } finally {
    await db.end();
  }
}

async function chatBench(o: ClusterOptions): Promise<{ rows: BenchRow[]; notes: string[]; data: unknown }> {
  const reps = Array.from({ length: o.reps }, (_, i) => ({ username: `cluster-rep-${i}`, password: `cluster-password-${i}`, name: `Cluster Rep ${i}` }));
  const c = await startCluster(reps);
  const conns: Connection[] = [];
  try {
    return await withDeadline((async () => {
      const track = { sent: new Map<string, Sent>(), delivered: new Map<string, number>(), c2r: [] as number[], r2c: [] as number[], killedSlow: [] as number[] };
      const accepted = new Map<string, () => void>();
      let errors = 0;
      const onMessage = (m: Message, side: 'rep' | 'customer') => {
        if (m.t === 'error') errors++;
        if (m.t === 'session' && side === 'rep' && m.session.state === 'active') accepted.get(m.session.id)?.();
        if (m.t !== 'event' || m.body.kind !== 'chat' || !m.id) return;
        const s = track.sent.get(m.id);
        if (!s || (s.direction === 'c2r') !== (side === 'rep')) return;
        const n = (track.delivered.get(m.id) ?? 0) + 1;
        track.delivered.set(m.id, n);
        if (n !== 1) return;
        const lat = performance.now() - s.at;
        if (s.viaKilled) track.killedSlow.push(lat);
        else (s.direction === 'c2r' ? track.c2r : track.r2c).push(lat);
      };
      const t0 = performance.now();
      const { sessions } = await setUpChat(c, o, onMessage, accepted, conns);
      const setupSec = (performance.now() - t0) / 1000;
      const idle = c.nodes.map((n) => new ProcSampler(n.proc.pid!).rssMB());
      console.error(`  cluster: ${sessions.length} sessions set up in ${setupSec.toFixed(0)} s; steady phase`);
      const steady = await chatPhase(c, sessions, o, track, false);
      const storedSteady = await storedChat(c.databaseUrl);
      console.error('  cluster: kill phase');
      const killed = await chatPhase(c, sessions, o, track, true);
      const stored = await storedChat(c.databaseUrl);
      const scenario = `3 nodes: chat, ${sessions.length} sessions + ${o.reps} reps, every customer on another node than its rep`;
      const kScenario = `3 nodes, node C killed (SIGKILL) halfway: chat, ${sessions.length} sessions`;
      const p99 = percentile(steady.c2r, 99);
      const ratio = (p: ChatPhase) => (p.sent === 0 ? 0 : p.delivered / p.sent);
      const storedKilled = stored.n - storedSteady.n;
      const rows: BenchRow[] = [
        { scenario, metric: 'delivered / sent', target: 'exactly 1.0', measured: `${ratio(steady).toFixed(4)} (${steady.delivered} of ${steady.sent}; ${steady.dups} duplicated; ${steady.acked} acked)`, ok: steady.delivered === steady.sent && steady.dups === 0 && steady.once === steady.sent },
        { scenario, metric: 'stored in the transcript / sent', target: 'exactly 1.0', measured: `${(storedSteady.n / steady.sent).toFixed(4)} (${storedSteady.n} rows, ${storedSteady.d} distinct ids)`, ok: storedSteady.n === steady.sent && storedSteady.d === steady.sent },
        { scenario, metric: 'customer → rep latency p50 / p99', target: '', measured: `${ms(percentile(steady.c2r, 50))} / ${ms(p99)}` },
        { scenario, metric: 'rep → customer latency p50 / p99', measured: `${ms(percentile(steady.r2c, 50))} / ${ms(percentile(steady.r2c, 99))}` },
        { scenario, metric: 'messages/s (customer→rep + rep→customer) for s', measured: `${LOAD.customerRate} + ${LOAD.repRate} for ${steady.steadySec.toFixed(0)} s` },
        { scenario, metric: 'server CPU per node (% of one core, steady phase)', measured: steady.cpu },
        { scenario, metric: 'server RSS per node after set-up', measured: idle.map((r, i) => `${NODES[i]} ${r.toFixed(0)} MB`).join(', ') },
        { scenario, metric: 'set-up (keys, joins, accepts across nodes)', measured: `${setupSec.toFixed(1)} s (${(o.sessions / setupSec).toFixed(0)} sessions/s)` },
        { scenario: kScenario, metric: 'delivered / sent', target: 'exactly 1.0', measured: `${ratio(killed).toFixed(4)} (${killed.delivered} of ${killed.sent}; ${killed.dups} duplicated; ${killed.acked} acked)`, ok: killed.delivered === killed.sent && killed.dups === 0 && killed.once === killed.sent },
        { scenario: kScenario, metric: 'stored in the transcript / sent', target: 'exactly 1.0', measured: `${(storedKilled / killed.sent).toFixed(4)} (${storedKilled} rows)`, ok: storedKilled === killed.sent && stored.d === stored.n },
        { scenario: kScenario, metric: "kill → every client of C welcomed on another node", measured: killed.resumedMs === null ? 'not all came back' : `${(killed.resumedMs / 1000).toFixed(2)} s` },
        { scenario: kScenario, metric: "lines of sessions with someone on C: latency p50 / p99 / max (the outage included)", measured: `${ms(percentile(killed.killedSlow, 50))} / ${ms(percentile(killed.killedSlow, 99))} / ${ms(killed.killedSlow.at(-1) ?? NaN)}` },
        { scenario: kScenario, metric: 'other sessions: customer → rep p50 / p99', measured: `${ms(percentile(killed.c2r, 50))} / ${ms(percentile(killed.c2r, 99))}` },
      ];
      const notes = [
        'Three server processes (PostgreSQL store, pool of one connection each), one PostgreSQL 15, one nats-server, one client process with every WebSocket; all on the same 2 cores.',
        `Sessions: rep r logs in on node r mod 3, makes the key there and accepts there; the customer joins and connects on one of the two other nodes, so every line crosses NATS. Protocol errors seen: ${errors}.`,
        'Node C killed: each client holds the three URLs and, when its node refuses, connects to the next (as behind a balancer); the Connection resends what was not acknowledged, the server finds a line already stored by its client id. Latency of lines sent while their client was away includes the outage.',
        `Steady phase: ${steady.busy}`,
        `Kill phase: ${killed.busy}`,
      ];
      return { rows, notes, data: { options: o, setupSec, steady: { ...steady, c2r: undefined, r2c: undefined, killedSlow: undefined, p99 }, killed: { ...killed, c2r: undefined, r2c: undefined, killedSlow: undefined }, stored, errors } };
    })(), MAX_RUN_MS, 'the cluster chat run');
  } finally {
    for (const x of conns) x.close();
    await stopCluster(c);
  }
}

// ---- screen relay across nodes

async function relayBench(seconds: number): Promise<{ rows: BenchRow[]; data: unknown }> {
  const count = MIX.reduce((a, b) => a + b, 0);
  const reps = Array.from({ length: count }, (_, i) => ({ username: `cluster-rep-${i}`, password: `cluster-password-${i}`, name: `Relay Rep ${i}` }));
  const c = await startCluster(reps);
  const conns: Connection[] = [];
  try {
    const profiles = MIX.flatMap((n, i) => Array.from({ length: n }, () => PROFILES[i]));
    const payload = Buffer.alloc(300_000, 7);
    interface S { sessionId: string; agent: Connection; fps: number; size: () => number; seq: number; inFlight: number; sentAt: Map<number, number>; sent: number; received: number; latency: number[] }
    const streams: S[] = [];
    let running = true;
    const sendNext = (s: S) => {
      if (!running || s.inFlight >= 2) return;
      const seq = ++s.seq;
      s.sentAt.set(seq, performance.now());
      s.inFlight++;
      s.sent++;
      s.agent.send({ t: 'frame', sessionId: s.sessionId, seq, display: 0, w: 1920, h: 1080, ts: Date.now(), rects: [{ k: 'jpeg', x: 0, y: 0, w: 64, h: 64, data: payload.subarray(0, s.size()) }] });
    };
    await pool(profiles, 4, async (profile, i) => {
      const repNode = c.nodes[i % 3];
      const agentNode = c.nodes[(i + 1) % 3];
      const cookie = await loginRep(repNode, reps[i].username, reps[i].password);
      const repId = ((await api(repNode, 'GET', '/api/rep/me', undefined, { cookie })).body as { rep: { id: string } }).rep.id;
      const k = await createKey(repNode, cookie);
      const cj = await joinSession(agentNode, k.key, 'customer', `Relay Customer ${i}`);
      let s: S | undefined;
      let onActive!: () => void;
      let onGrant!: () => void;
      const active = new Promise<void>((r) => (onActive = r));
      const granted = new Promise<void>((r) => (onGrant = r));
      const rep = await connectAny(c.nodes, i % 3, 'rep', '', (m: Message) => {
        if (m.t === 'session' && m.session.id === k.sessionId && m.session.state === 'active') onActive();
        if (m.t === 'grant' && m.grant === 'view') onGrant();
        if (m.t !== 'frame' || !s) return;
        const at = s.sentAt.get(m.seq);
        if (at !== undefined) { s.latency.push(performance.now() - at); s.sentAt.delete(m.seq); }
        s.received++;
        rep.send({ t: 'frame.ack', sessionId: m.sessionId, seq: m.seq });
      }, cookie);
      conns.push(rep, await connectAny(c.nodes, (i + 1) % 3, 'customer', cj.token, () => {}));
      rep.send({ t: 'accept', sessionId: k.sessionId });
      await withDeadline(active, 30_000, `accepting stream ${i}`);
      const ak = await api(agentNode, 'POST', '/api/sessions/agent-key', {}, { authorization: `Bearer ${cj.token}` });
      const aj = await joinSession(agentNode, ak.body.key, 'agent');
      const agent = await connectAny(c.nodes, (i + 1) % 3, 'agent', aj.token, (m: Message) => {
        if (m.t === 'frame.ack' && s) s.inFlight = Math.max(0, s.inFlight - 1);
      });
      conns.push(agent);
      agent.send({ t: 'grant', sessionId: k.sessionId, grant: 'view', epoch: 1, reps: [repId], apps: null } satisfies Msg<'grant'>);
      await withDeadline(granted, 10_000, `grant of stream ${i}`);
      s = { sessionId: k.sessionId, agent, fps: profile.fps, size: profile.size, seq: 0, inFlight: 0, sentAt: new Map(), sent: 0, received: 0, latency: [] };
      streams.push(s);
    });
    const samplers = c.nodes.map((n) => { const x = new ProcSampler(n.proc.pid!); x.start(); return x; });
    const start = performance.now();
    const timers = streams.map((s) => setInterval(() => sendNext(s), 1000 / s.fps));
    await new Promise((r) => setTimeout(r, seconds * 1000));
    running = false;
    for (const t of timers) clearInterval(t);
    const wall = (performance.now() - start) / 1000;
    const cpu = samplers.map((x, i) => `${NODES[i]} ${x.stop().cpuPct.toFixed(0)} %`).join(', ');
    await new Promise((r) => setTimeout(r, 1000));
    const all = streams.flatMap((s) => s.latency).sort((a, b) => a - b);
    const sent = streams.reduce((n, s) => n + s.sent, 0);
    const received = streams.reduce((n, s) => n + s.received, 0);
    const scenario = `3 nodes: ${streams.length} screen streams, every agent on another node than its viewer`;
    return {
      rows: [
        { scenario, metric: 'frames received / sent; frames/s', measured: `${received} / ${sent}; ${(received / wall).toFixed(0)}/s` },
        { scenario, metric: 'agent → rep through two nodes and NATS, p50 / p99', measured: `${ms(percentile(all, 50))} / ${ms(percentile(all, 99))}` },
        { scenario, metric: 'server CPU per node (% of one core)', measured: cpu },
      ],
      data: { sent, received, p50: percentile(all, 50), p99: percentile(all, 99) },
    };
  } finally {
    for (const x of conns) x.close();
    await stopCluster(c);
  }
}

export async function runCluster(o: ClusterOptions = DEFAULTS): Promise<BenchResult> {
  // One node's figure: bench/load.ts's recorded p99 (1,000 sessions, the same rates), not re-run
  // here to keep the run short.
  const oneP99 = ONE_NODE_P99_MS;
  const chat = await chatBench(o);
  const p99 = (chat.data as { steady: { p99: number } }).steady.p99;
  const p99Row = chat.rows.find((r) => r.metric === 'customer → rep latency p50 / p99')!;
  p99Row.target = `p99 ≤ 2 × one node (${ms(oneP99)} → ≤ ${ms(2 * oneP99)})`;
  p99Row.ok = p99 <= 2 * oneP99;
  p99Row.ratio = p99 / (2 * oneP99);
  console.error('  cluster: one-node relay, then across nodes');
  const oneRelay = await runRelay(o.seconds);
  const oneRelayData = oneRelay.data as { latency: { p50: number; p99: number } };
  const relay = await relayBench(o.seconds);
  const rd = relay.data as { p50: number; p99: number };
  const rows: BenchRow[] = [
    ...chat.rows,
    { scenario: '1 node: 20 screen streams (relay.ts, this run)', metric: 'agent → rep p50 / p99', measured: `${ms(oneRelayData.latency.p50)} / ${ms(oneRelayData.latency.p99)}` },
    ...relay.rows,
    { scenario: '3 nodes: 20 screen streams', metric: 'added per frame by crossing nodes, p50 / p99', measured: `${ms(rd.p50 - oneRelayData.latency.p50)} / ${ms(rd.p99 - oneRelayData.latency.p99)}` },
  ];
  return { title: 'Three nodes (PostgreSQL + NATS, loopback)', rows, notes: chat.notes, data: { chat: chat.data, relay: relay.data, oneNodeP99: oneP99, oneRelay: oneRelay.data } };
}

export function run(): Promise<BenchResult> {
  return runCluster(DEFAULTS);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ options: { sessions: { type: 'string' }, reps: { type: 'string' }, seconds: { type: 'string' } } });
  const r = await runCluster({
    sessions: Number(values.sessions ?? DEFAULTS.sessions), reps: Number(values.reps ?? DEFAULTS.reps),
    seconds: Number(values.seconds ?? DEFAULTS.seconds),
  });
  for (const row of r.rows) console.log(`${row.ok === undefined ? '    ' : row.ok ? 'ok  ' : 'MISS'} ${row.scenario} — ${row.metric}: ${row.measured}${row.target ? ` (target ${row.target})` : ''}`);
  for (const n of r.notes ?? []) console.log(`  - ${n}`);
  process.exit(0);
}
