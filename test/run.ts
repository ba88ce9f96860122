// Runs every test file (test/**/*.test.ts) in its own Node process and prints one plain
// closing line "N passed, N failed". Each file is an uvu suite; its own summary is parsed.
// Usage: npm test [-- filter ...]  (filters match against the file path)
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApps } from '../build-scripts/build.ts';
import { buildTestBundles, bundleTestFiles } from './helpers/bundles.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);
// Lanes of test files side by side (see below for which file goes where). Three on two cores:
// the files wait more than they compute (timers, polling, idle browsers; a whole run used ≈ 16 CPU
// minutes in 13 wall minutes), so a third lane fills the gaps (measured: 17.0 → 13.0 min).
const PARALLEL = Number(process.env.TEST_PARALLEL ?? 3);
const FILE_TIMEOUT_MS = Number(process.env.TEST_FILE_TIMEOUT_MS ?? 240_000);

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** A test file and the store its servers run on ('' : the file's default, see ALSO_ON_POSTGRES). */
interface Job { file: string; store: '' | 'postgres' }
interface Result { file: string; label: string; passed: number; failed: number; output: string; ms: number; code: number | null }

/** Test files bundled for this run (test/helpers/bundles.ts); the others run from source. */
let bundled = new Map<string, string>();

function runFile({ file, store }: Job): Promise<Result> {
  const started = Date.now();
  const label = relative(root, file) + (store ? ` [${store}]` : '');
  const bundle = bundled.get(file);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, bundle ? [bundle] : ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0', ...(store ? { TEST_STORE: store } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timed-out file takes its servers, browsers and agents with it.
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[test runner] ${label} timed out after ${FILE_TIMEOUT_MS} ms\n`;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
    }, FILE_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const total = /Total:\s+(\d+)/.exec(output);
      const passed = /Passed:\s+(\d+)/.exec(output);
      let p = passed ? Number(passed[1]) : 0;
      let f = total ? Number(total[1]) - p : 0;
      // A crash or a non-zero exit with no parsable failure still counts as one failure.
      if (code !== 0 && f === 0) f = 1;
      if (!total && code === 0) { f = 1; output += '\n[test runner] no uvu summary found\n'; }
      resolve({ file, label, passed: p, failed: f, output, ms: Date.now() - started, code });
    });
  });
}

const files = findTests(join(root, 'test')).filter(
  (f) => filters.length === 0 || filters.some((x) => relative(root, f).includes(x)),
);
// Files that run a second time with their servers on PostgreSQL (docs/ARCHITECTURE.md "Storage"):
// the ones that reach most of the store's queries. Any file runs on PostgreSQL by hand with
// TEST_STORE=postgres (then nothing runs twice).
const ALSO_ON_POSTGRES = [
  // The store's queries (History search, event dedup, surveys, the outbox, the API audit, the
  // embed's nonces) run on both stores in test/server/store.test.ts; these files cover the
  // server's own use of the store: a session's life, resume, outbound events, kill -9.
  'test/server/lifecycle.test.ts', 'test/server/resume.test.ts',
  'test/integrations/events.test.ts', 'test/server/restart.serial.test.ts',
];
const twice = process.env.TEST_STORE ? [] : files.filter((f) => ALSO_ON_POSTGRES.includes(relative(root, f)));
const jobs: Job[] = [...files.map((file) => ({ file, store: '' as const })), ...twice.map((file) => ({ file, store: 'postgres' as const }))];
// Files that serve or run the run's packaged agent share one port (test/helpers/packaged-agent.ts),
// so they go one after another in the first lane. Other heavy files (Xvfb, Chromium, packaging)
// follow them there; light files take the second lane and, once done, take heavy files from the
// same queue, so both cores stay busy to the end.
const underAny = (j: Job, dirs: string[]) => dirs.some((d) => j.file.includes(join('test', d) + '/'));
const pinned = jobs.filter((j) => underAny(j, ['journeys', 'packaged']));
const heavy = jobs.filter((j) => !pinned.includes(j) && (underAny(j, ['e2e']) || j.file.includes('.serial.')));
const light = jobs.filter((j) => !pinned.includes(j) && !heavy.includes(j));
// The longest heavy files first, so no lane ends with one of them alone (measured ≈ 40–80 s each).
const LONGEST = ['package-platforms', 'agent-lifecycle', 'portal.serial', 'reliability-agent-restart', 'prompts.serial', 'fuzz-browser', 'package-host-agent', 'agent-window.test'];
const rank = (j: Job) => { const i = LONGEST.findIndex((n) => j.file.includes(n)); return i < 0 ? LONGEST.length : i; };
heavy.sort((a, b) => rank(a) - rank(b));

const results: Result[] = [];
function report(r: Result): void {
  const status = r.failed ? 'FAIL' : 'ok  ';
  console.log(`${status} ${r.label}  ${r.passed} passed, ${r.failed} failed  (${(r.ms / 1000).toFixed(1)} s)`);
  if (r.failed || process.env.TEST_VERBOSE) console.log(r.output.replace(/^/gm, '    '));
  results.push(r);
}

async function lane(take: () => Job | undefined): Promise<void> {
  for (let j = take(); j; j = take()) report(await runFile(j));
}

// What test files may share within one run (the packaged agent), removed at the end.
const cache = mkdtempSync(join(tmpdir(), 'bridge-test-run-'));
process.env.BRIDGE_TEST_CACHE = cache;
process.on('exit', () => rmSync(cache, { recursive: true, force: true }));

// Browser tests load the bundles from dist/, so build them once up front; the server and the
// agent are bundled once too (test/helpers/bundles.ts says why), inside the repository so their
// packages resolve, one folder per run.
await buildApps({ quiet: true });
const bundles = join(root, '.cache', `test-run-${process.pid}`);
process.on('exit', () => rmSync(bundles, { recursive: true, force: true }));
if (process.env.TEST_FROM_SOURCE !== '1') {
  Object.assign(process.env, await buildTestBundles(bundles));
  bundled = await bundleTestFiles(bundles, files).catch((e: Error) => {
    console.log(`[test runner] test files run from source: bundling failed (${e.message.split('\n')[0]})`);
    return new Map<string, string>();
  });
}
const lanes = PARALLEL <= 1
  ? [lane(() => pinned.shift() ?? heavy.shift() ?? light.shift())]
  : [lane(() => pinned.shift() ?? heavy.shift()), ...Array.from({ length: PARALLEL - 1 }, () => lane(() => light.shift() ?? heavy.shift()))];
await Promise.all(lanes);
const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || results.length === 0 ? 1 : 0);
