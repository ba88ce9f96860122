// Session recording (docs/ARCHITECTURE.md "Recording"): what a recording costs and how fast it
// replays. (1) Bytes per hour of recording for the bandwidth scenarios, end to end (real agent
// under Xvfb, the rep's console viewing, policy `always`, a full picture asked for every 10 s, so
// refresh points are included). (2) Server CPU added by recording: the relay load of
// bench/relay.ts with recording off and on, alternately, medians. (3) Time to the picture when
// seeking into the middle of a one-hour recording: an hour made of a scenario's recorded frames
// at their real rate, loaded by the console's own replay modules in Chromium.
// Usage: npm run bench -- recording   (BENCH_RECORDING_SECONDS per scenario, default and least 20)
import { build } from 'esbuild';
import { createReadStream, mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeRecord, readRecords, RECORDING_MAGIC, RecordKind, type RecordingEntry } from '../protocol/index.ts';
import * as S from '../test/helpers/synthetic-screen.ts';
import { drive, scenarios, type Scenario } from './bandwidth.ts';
import { desk } from './lib/desk.ts';
import { runIfMain } from './lib/main.ts';
import { counters } from './lib/probe.ts';
import { H, screenWorld, sleep, W, type ScreenWorld } from './lib/screen-world.ts';
import { rate } from './lib/stats.ts';
import { MAX_REPLAY_BYTES } from '../console/replay/download.ts';
import { Timeline } from '../console/replay/timeline.ts';
import { runRelay } from './relay.ts';
import type { BenchResult, BenchRow } from './types.ts';

const REFRESH_SEC = 10;
/** At least two refresh intervals, so a whole one can be repeated into the hour. */
const SECONDS = Math.max(2 * REFRESH_SEC, Number(process.env.BENCH_RECORDING_SECONDS ?? 20));
const RECORDING = { recording: { policy: 'always', refreshSec: REFRESH_SEC, retentionDays: 30 } };
const HOUR_MS = 3600_000;
/** Scenarios whose one-hour file is replayed (larger hours exceed what the player holds). */
const HOUR_SCENARIOS = ['typing', 'moving'];
const RELAY_RUNS = 2;
const RELAY_SECONDS = 8;
/** 2 typing, 4 office, 2 photo streams (bench/relay.ts profiles). */
const RELAY_MIX = [2, 4, 2];

interface Span { name: string; from: number; to: number; wireBytesPerSec: number }

const mb = (n: number) => `${(n / 1e6).toFixed(n < 10e6 ? 1 : 0)} MB`;
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN; };

/** Plays each scenario for SECONDS while the session is recorded; their server-time windows. */
async function recordScenarios(w: ScreenWorld): Promise<Span[]> {
  const photos = Array.from({ length: 4 }, (_, k) => { const img = S.blank(W, H); S.drawPhoto(img, 0, 0, W, H, 300 + k); return img; });
  const d = await desk(w);
  await sleep(1500);
  const wanted = ['idle', 'typing', 'moving', 'scrolling', 'photo'];
  const list = scenarios(w, d, photos, S.blank(W, 480)).filter((s: Scenario) => wanted.some((n) => s.name.includes(n)));
  const out: Span[] = [];
  for (const s of list) {
    await s.setup?.();
    await w.x.sync();
    await sleep(500);
    const c0 = await counters(w.page);
    const from = Date.now();
    const { secs } = await drive(w, s, SECONDS);
    const to = Date.now();
    const c1 = await counters(w.page);
    out.push({ name: s.name, from, to, wireBytesPerSec: (c1.bytes - c0.bytes) / secs });
    await s.teardown?.();
    await w.x.sync();
    await sleep(500);
  }
  d.close();
  return out;
}

/** Bytes recorded in [from, to): all records, and the full pictures that answer refresh marks. */
function recordBytes(tl: Timeline, from: number, to: number) {
  let all = 0, refreshFrames = 0;
  for (const r of tl.records) if (r.at + tl.startedAt >= from && r.at + tl.startedAt < to) all += 13 + r.payload.length;
  for (const p of tl.seekPoints) {
    const r = tl.records[p.index];
    if (r.at + tl.startedAt >= from && r.at + tl.startedAt < to) refreshFrames += 13 + r.payload.length;
  }
  return { all, refreshFrames };
}

/**
 * One hour from a scenario's records: from its first refresh mark, whole refresh intervals,
 * repeated with their times shifted until the hour is full. Written to `path`; its size.
 */
function synthesizeHour(entries: RecordingEntry[], win: Span, path: string): number {
  const start = entries.find((e) => e.kind === RecordKind.refresh && e.at >= win.from)?.at;
  if (start === undefined) throw new Error(`no refresh point in ${win.name}`);
  const span = Math.floor((win.to - start) / (REFRESH_SEC * 1000)) * REFRESH_SEC * 1000 || win.to - start;
  const seg = entries.filter((e) => e.at >= start && e.at < start + span);
  const fd = openSync(path, 'w');
  let bytes = 0;
  const write = (b: Uint8Array) => { writeSync(fd, b); bytes += b.length; };
  write(RECORDING_MAGIC);
  for (let shift = 0; shift < HOUR_MS; shift += span) {
    for (const e of seg) if (e.at - start + shift < HOUR_MS) write(encodeRecord(e.kind, e.at + shift, e.payload));
  }
  closeSync(fd);
  return bytes;
}

interface SeekResult { bytes: number; downloadMs: number; indexMs: number; records: number; frames: number; seekPoints: number; durationMs: number; seeks: { target: number; ms: number; fromSeekPoint: number }[] }

/** Loads the file in Chromium with the console's replay modules and seeks into its middle. */
async function seekInBrowser(w: ScreenWorld, file: string): Promise<SeekResult> {
  const bundle = await build({ entryPoints: [fileURLToPath(new URL('./lib/replay-page.ts', import.meta.url))], bundle: true, write: false, format: 'iife', target: 'chrome100', alias: { msgpackr: 'msgpackr/index-no-eval' } });
  const js = bundle.outputFiles[0].text;
  const http: Server = createServer((req, res) => {
    if (req.url === '/hour.brec') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(statSync(file).size) });
      createReadStream(file).pipe(res);
    } else if (req.url === '/app.js') res.end(js);
    else res.end('<!doctype html><body><script src="/app.js"></script></body>');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  // The console's page is done with (the scenarios are recorded): it becomes the player's.
  const page = w.page;
  try {
    await page.goto(`http://127.0.0.1:${(http.address() as { port: number }).port}/`);
    // Nine seeks around the middle, each forward past a refresh point (so each starts from one).
    const targets = Array.from({ length: 9 }, (_, k) => HOUR_MS / 2 + (k - 4) * 47_300);
    return await page.evaluate(([t]) => (window as unknown as { replayBench: { run(u: string, t: number[]): Promise<SeekResult> } }).replayBench.run('/hour.brec', t), [targets] as const);
  } finally {
    http.close();
  }
}

/** Server CPU relaying the same load without and with recording, alternately. */
async function relayCpu(): Promise<{ off: number[]; on: number[]; recordedBytesPerSec: number[] }> {
  const off: number[] = [], on: number[] = [], recorded: number[] = [];
  for (let i = 0; i < RELAY_RUNS; i++) {
    for (const rec of [false, true]) {
      const r = await runRelay(RELAY_SECONDS, RELAY_MIX, rec ? RECORDING : {});
      const d = r.data as { server: { cpuPct: number }; bytes: number; seconds: number };
      (rec ? on : off).push(d.server.cpuPct);
      if (rec) recorded.push(d.bytes / d.seconds);
    }
  }
  return { off, on, recordedBytesPerSec: recorded };
}

export async function run(): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'bridge-bench-recording-'));
  const w = await screenWorld({ config: RECORDING });
  const data: Record<string, unknown> = {};
  try {
    const windows = await recordScenarios(w);
    await sleep(1500); // the last records reach the file
    const file = readFileSync(join(w.server.dataDir, 'recordings', `${w.sessionId}.brec`));
    const entries = [...readRecords(file)];
    const tl = new Timeline(file);
    for (const win of windows) {
      const b = recordBytes(tl, win.from, win.to);
      const secs = (win.to - win.from) / 1000;
      rows.push({ scenario: win.name, metric: `recording per hour (refresh every ${REFRESH_SEC} s); of which refresh pictures; on the wire to the rep`, measured: `${mb((b.all / secs) * 3600)}/h (${rate(b.all / secs)}); ${Math.round((100 * b.refreshFrames) / Math.max(1, b.all))} %; ${rate(win.wireBytesPerSec)}` });
      data[win.name] = { bytesPerSec: b.all / secs, refreshFrameBytesPerSec: b.refreshFrames / secs, wireBytesPerSec: win.wireBytesPerSec };
    }
    for (const name of HOUR_SCENARIOS) {
      const win = windows.find((x) => x.name.includes(name));
      if (!win) continue;
      const hourFile = join(tmp, `${name}.brec`);
      const bytes = synthesizeHour(entries, win, hourFile);
      if (bytes > MAX_REPLAY_BYTES) { notes.push(`One hour of "${win.name}" would be ${mb(bytes)}, more than the player holds (1 GiB): not replayed.`); rmSync(hourFile); continue; }
      const r = await seekInBrowser(w, hourFile);
      rmSync(hourFile);
      const ms = r.seeks.map((s) => s.ms);
      rows.push({ scenario: `one hour of ${win.name} (${mb(r.bytes)}, ${r.frames} frames, ${r.seekPoints} refresh points)`, metric: 'download on loopback; reading it into a timeline', measured: `${(r.downloadMs / 1000).toFixed(1)} s; ${(r.indexMs / 1000).toFixed(2)} s` });
      rows.push({ scenario: `one hour of ${win.name}`, metric: `seek into the middle → its picture drawn (from the refresh point before it), median / max of ${ms.length}`, measured: `${Math.round(median(ms))} ms / ${Math.round(Math.max(...ms))} ms` });
      data[`hour ${name}`] = r;
    }
  } finally {
    await w.teardown();
    rmSync(tmp, { recursive: true, force: true });
  }
  const cpu = await relayCpu();
  const off = median(cpu.off), on = median(cpu.on), recorded = median(cpu.recordedBytesPerSec);
  rows.push({ scenario: `relaying ${RELAY_MIX.reduce((a, b) => a + b)} screen streams (bench/relay.ts mix), ${rate(recorded)}`, metric: 'server CPU, % of one core: recording off; on (added)', measured: `${off.toFixed(0)} %; ${on.toFixed(0)} % (+${(on - off).toFixed(1)} %, ${((on - off) / (recorded / 1e6)).toFixed(1)} % per MB/s recorded)` });
  data.relayCpu = cpu;
  notes.unshift(
    `Bytes: the session's .brec file, every record (13 bytes of head + the frame message as relayed, transcript events, refresh marks) with its time inside the scenario's ${SECONDS} s, times 3600 / ${SECONDS}; the server asks for a full picture every ${REFRESH_SEC} s. "Refresh pictures": the full pictures answering the refresh marks (the player's seek points). Wire: bytes arriving at the rep's console meanwhile (what bench/bandwidth.ts measures).`,
    `CPU: the server process (user + system, /proc) over ${RELAY_SECONDS} s of the bench/relay.ts load (frames of random bytes), ${RELAY_RUNS} runs each with policy off and always, alternately; medians. The recorder appends each relayed frame to the session's file and datasyncs every second.`,
    'Seek: an hour made by repeating the scenario\'s recorded refresh intervals (frames at their real times), served over loopback to the console\'s own replay modules (console/replay/, the viewer\'s decoders and Display) in headless Chromium; each seek goes forward past a refresh point, so it starts from the last full picture before the target and draws every frame up to it.',
  );
  return { title: 'Session recording: size, server CPU, seeking', rows, notes, data };
}

await runIfMain(import.meta.url, run);
