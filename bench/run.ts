// npm run bench [-- filter ...]: runs every bench/*.ts module that exports `run()` (see
// bench/types.ts), one after another, each in its own Node process (no shared state, no handle
// left open by one benchmark keeping the next waiting; BENCH_TIMEOUT_MS caps each), writes bench/results/<timestamp>.json
// (earlier results are kept, so a regression is visible) and regenerates bench/RESULTS.md from
// the newest result of every benchmark, with the previous run's figure next to it: first every
// figure that has a target, then each benchmark's table and notes, then bench/FINDINGS.md (by hand).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './types.ts';

const dir = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = join(dir, 'results');
const filters = process.argv.slice(2);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 20 * 60_000);

interface Machine { cores: number; cpu: string; loadavg: number[]; memoryMB: number; node: string; platform: string }
interface Entry extends BenchResult { file: string; ms: number; error?: string; /** Load average when this benchmark started. */ load?: number[] }
interface RunFile { date: string; commit: string; dirty: boolean; machine: Machine; loadAfter: number[]; benches: Entry[] }

function git(...args: string[]): string {
  try { return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return ''; }
}

function machine(): Machine {
  return {
    cores: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    memoryMB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** In the child: import one module, run it, write its result where the parent said. */
async function child(file: string, out: string): Promise<void> {
  const mod = await import(pathToFileURL(join(dir, file)).href);
  // A benchmark that takes minutes (`export const slow = 'why'`) runs only when named or with
  // BENCH_ALL=1, so the whole run stays within ~10 minutes; RESULTS.md keeps its newest result.
  const skipSlow = typeof mod.slow === 'string' && !process.env.BENCH_NAMED && process.env.BENCH_ALL !== '1';
  const result = typeof mod.run !== 'function' ? { ok: true, skip: true }
    : skipSlow ? { ok: true, skip: true, why: `slow (${mod.slow}): run it with npm run bench -- ${file.replace(/\.ts$/, '')} or BENCH_ALL=1` }
    : { ok: true, result: (await mod.run()) as BenchResult };
  writeFileSync(out, JSON.stringify(result));
  process.exit(0);
}

type ChildResult = { ok: true; skip?: boolean; why?: string; result?: BenchResult } | { ok: false; error: string };

function runChild(file: string): Promise<ChildResult> {
  const tmp = mkdtempSync(join(os.tmpdir(), 'bench-'));
  const out = join(tmp, 'result.json');
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { env: { ...process.env, BENCH_CHILD: file, BENCH_OUT: out, ...(filters.length ? { BENCH_NAMED: '1' } : {}) }, stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => p.kill('SIGKILL'), TIMEOUT_MS);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      let r: ChildResult;
      try { r = JSON.parse(readFileSync(out, 'utf8')) as ChildResult; } catch { r = { ok: false, error: signal === 'SIGKILL' ? `timed out after ${TIMEOUT_MS} ms` : `exited with ${code ?? signal} before reporting` }; }
      rmSync(tmp, { recursive: true, force: true });
      resolve(r);
    });
  });
}

async function runAll(): Promise<RunFile> {
  // _name.ts: scratch files, never benchmarks
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.startsWith('_') && f !== 'run.ts' && f !== 'types.ts').sort()
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
  const out: RunFile = { date: new Date().toISOString(), commit: git('rev-parse', '--short', 'HEAD'), dirty: git('status', '--porcelain', '--', '.') !== '', machine: machine(), loadAfter: [], benches: [] };
  for (const file of files) {
    console.log(`bench ${file} ...`);
    const load = os.loadavg().map((x) => Math.round(x * 100) / 100);
    const t0 = performance.now();
    const r = await runChild(file);
    const ms = Math.round(performance.now() - t0);
    if (r.ok && r.skip) { console.log(`  skipped: ${r.why ?? 'no run() export'}`); continue; }
    if (r.ok && r.result) {
      out.benches.push({ ...r.result, file, ms, load });
      for (const row of r.result.rows) console.log(`  ${row.ok === undefined ? '    ' : row.ok ? 'ok  ' : 'MISS'} ${row.scenario} — ${row.metric}: ${row.measured}${row.target ? ` (target ${row.target})` : ''}`);
    } else {
      // Results are committed: keep this machine's paths (stack traces) out of them.
      const error = (r.ok ? 'no result' : r.error).split(join(dir, '..')).join('.').split(os.homedir()).join('~');
      console.log(`  failed: ${error}`);
      out.benches.push({ title: file, rows: [], file, ms, error, load });
    }
  }
  out.loadAfter = os.loadavg().map((x) => Math.round(x * 100) / 100);
  return out;
}

function readRuns(): RunFile[] {
  mkdirSync(resultsDir, { recursive: true });
  return readdirSync(resultsDir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => { try { return JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as RunFile; } catch { return null; } })
    .filter((r): r is RunFile => r !== null && Array.isArray(r.benches));
}

const cell = (s: unknown) => String(s ?? '').replace(/\|/g, '\\|');

function markdown(runs: RunFile[]): string {
  // newest successful run per benchmark file, the one before it for the "previous" column, and a
  // failure newer than it (shown as a note, so a timed-out run doesn't hide the last good figures)
  const latest = new Map<string, { run: RunFile; bench: Entry; prev?: Entry; failed?: { run: RunFile; bench: Entry } }>();
  for (const run of runs) for (const b of run.benches) {
    const had = latest.get(b.file);
    if (b.error && had && !had.bench.error) had.failed = { run, bench: b };
    else latest.set(b.file, { run, bench: b, prev: had && !had.bench.error ? had.bench : had?.prev });
  }
  const lines = ['# Benchmark results', '', 'Written by `npm run bench` (bench/run.ts) from the newest result of each benchmark in `bench/results/`;',
    'targets from docs/ARCHITECTURE.md "Performance targets". Absolute times are noisy on small shared machines: compare figures from one run.', ''];
  const benches = [...latest.values()].sort((a, b) => a.bench.file.localeCompare(b.bench.file));
  // At a glance: every figure that has a target, from every benchmark, then the details.
  lines.push('## Targets at a glance', '', '| scenario | metric | target | measured | | ÷ target | benchmark, load average |', '|---|---|---|---|---|---|---|');
  for (const { run, bench } of benches) {
    const load = (bench.load ?? run.machine.loadavg)[0];
    if (bench.error) lines.push(`| ${cell(bench.title)} | | | failed | ✗ | | ${bench.file} |`);
    for (const r of bench.rows) if (r.target !== undefined && r.ok !== undefined) {
      const ratio = r.ratio === undefined || !Number.isFinite(r.ratio) ? '' : `${r.ratio.toFixed(2)}×`;
      lines.push(`| ${cell(r.scenario)} | ${cell(r.metric)} | ${cell(r.target)} | ${cell(r.measured)} | ${r.ok ? '✓' : '✗'} | ${ratio} | ${bench.file}, ${load} |`);
    }
  }
  lines.push('');
  for (const { run, bench, prev, failed } of benches) {
    const m = run.machine;
    const load = bench.load ? `load average ${bench.load.join(' / ')} at its start` : `load average ${m.loadavg.join(' / ')} before the run, ${run.loadAfter.join(' / ')} after`;
    lines.push(`## ${bench.title}`, '',
      `\`bench/${bench.file}\` · ${run.date.slice(0, 16).replace('T', ' ')} UTC · commit ${run.commit}${run.dirty ? ' (uncommitted changes)' : ''} · ${m.cores} cores (${m.cpu}) · ${load} · Node ${m.node} · ${bench.ms} ms`, '');
    if (bench.error) { lines.push(`**Failed:** ${cell(bench.error)}`, ''); continue; }
    if (failed) lines.push(`A later run (${failed.run.date.slice(0, 16).replace('T', ' ')} UTC, commit ${failed.run.commit}) failed: ${cell(failed.bench.error)}`, '');
    lines.push('| scenario | metric | target | measured | | previous run |', '|---|---|---|---|---|---|');
    for (const r of bench.rows) {
      const before = prev?.rows.find((p) => p.scenario === r.scenario && p.metric === r.metric);
      lines.push(`| ${cell(r.scenario)} | ${cell(r.metric)} | ${cell(r.target ?? '')} | ${cell(r.measured)} | ${r.ok === undefined ? '' : r.ok ? '✓' : '✗'} | ${cell(before?.measured ?? '')} |`);
    }
    lines.push('');
    for (const n of bench.notes ?? []) lines.push(`- ${n}`);
    if (bench.notes?.length) lines.push('');
  }
  // What the figures mean (written by hand, committed): appended as it is.
  if (existsSync(join(dir, 'FINDINGS.md'))) lines.push(readFileSync(join(dir, 'FINDINGS.md'), 'utf8').trim(), '');
  return lines.join('\n');
}

if (process.env.BENCH_CHILD) {
  const file = process.env.BENCH_CHILD, out = process.env.BENCH_OUT!;
  await child(file, out).catch((e: Error) => { writeFileSync(out, JSON.stringify({ ok: false, error: String(e?.stack ?? e).slice(0, 2000) })); process.exit(1); });
} else if (process.argv.includes('--report')) {
  // RESULTS.md again from the kept results, running nothing (after merging results of two branches).
  writeFileSync(join(dir, 'RESULTS.md'), markdown(readRuns()));
  console.log('wrote bench/RESULTS.md');
} else {
  const result = await runAll();
  mkdirSync(resultsDir, { recursive: true });
  const name = `${result.date.replace(/[:.]/g, '-')}.json`;
  writeFileSync(join(resultsDir, name), JSON.stringify(result, null, 1) + '\n');
  writeFileSync(join(dir, 'RESULTS.md'), markdown(readRuns()));
  console.log(`wrote bench/results/${name} and bench/RESULTS.md`);
  process.exit(0);
}
