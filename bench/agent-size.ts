// Agent download size and start-up (docs/ARCHITECTURE.md "Performance targets": ≤ 30 MiB as served). Packages every
// platform for one origin, then per platform: build time, raw size, size as served (brotli q9,
// q11, what the server precompresses) and gzip; and the packaged linux-x64 agent's time from exec to
// "joined" (the rep sees its sysinfo) under Xvfb against a real server, next to the agent run
// from source. Run: npm run bench -- agent-size   (or alone: node --import tsx bench/agent-size.ts)
import { spawn } from 'node:child_process';
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompress, readyCompressed } from '../build-scripts/packaging/compress.ts';
import { defaultCacheDir, packageAgent } from '../build-scripts/packaging/package.ts';
import { ALL_PLATFORMS } from '../build-scripts/packaging/platforms.ts';
import type { BenchResult, BenchRow } from './types.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
/** bench/run.ts skips this in a plain `npm run bench` (10+ min on 2 cores: four ≈ 130 MB packages, brotli 11 each). */
export const slow = 'packages and brotli-compresses the agent for four platforms';
const MiB = 2 ** 20;
const TARGET_MIB = 30;
const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function sizes(out: string): Promise<{ rows: BenchRow[]; data: unknown[] }> {
  const builds = [];
  for (const platform of ALL_PLATFORMS) {
    const t0 = performance.now();
    const [b] = await packageAgent({ serverUrl: 'https://support.example.com', platforms: [platform], outDir: out });
    builds.push({ b, file: join(out, b.file), buildMs: Math.round(performance.now() - t0) });
  }
  // Brotli 11 takes minutes per file: compress all four at once (zlib runs on the thread pool,
  // so both cores work). Unchanged builds keep their compressed copies (packageAgent keeps
  // identical files), so a re-run only pays for agents that changed.
  const measured = await Promise.all(builds.map(async ({ file }) => {
    const cached = readyCompressed(file, 'br') !== null;
    const t1 = performance.now();
    const br = statSync(await precompress(file, 'br')).size;
    const brMs = cached ? null : Math.round(performance.now() - t1);
    const gz = statSync(await precompress(file, 'gzip')).size;
    return { br, brMs, gz };
  }));
  const rows: BenchRow[] = [];
  const data: unknown[] = [];
  builds.forEach(({ b, buildMs }, i) => {
    const { br, brMs, gz } = measured[i];
    rows.push(
      { scenario: b.platform, metric: 'size as served (brotli q11)', measured: mib(br), target: `≤ ${TARGET_MIB} MiB`, ok: br <= TARGET_MIB * MiB },
      { scenario: b.platform, metric: 'raw / gzip', measured: `${mib(b.size)} / ${mib(gz)}` },
      { scenario: b.platform, metric: 'package / brotli time', measured: `${(buildMs / 1000).toFixed(1)} s / ${brMs === null ? 'cached' : `${(brMs / 1000).toFixed(1)} s (4 at once)`}` },
    );
    data.push({ platform: b.platform, raw: b.size, brotli: br, gzip: gz, buildMs, brotliMs: brMs, natives: b.natives });
  });
  return { rows, data };
}

/** ms from spawn to the rep seeing the agent's sysinfo, `runs` times (killed in between). */
async function startup(runs: number): Promise<{ packaged: number[]; source: number[] }> {
  const { world } = await import('../test/agent/harness.ts');
  const w = await world();
  const result = { packaged: [] as number[], source: [] as number[] };
  try {
    const out = join(w.tmp, 'agents');
    const [b] = await packageAgent({ serverUrl: w.server.url, platforms: ['linux-x64'], outDir: out });
    for (let i = 0; i < runs; i++) {
      for (const kind of ['packaged', 'source'] as const) {
        const exe = join(w.tmp, `bridge-agent-${w.key}`);
        if (kind === 'packaged') copyFileSync(join(out, b.file), exe);
        const [cmd, args] = kind === 'packaged' ? [exe, ['--no-browser']] : [process.execPath, ['--import', 'tsx', 'agent/main.ts', '--server', w.server.url, '--key', w.key, '--no-browser']];
        const joined = w.rep.next((m) => m.t === 'sysinfo' && m.sessionId === w.sessionId, 30_000);
        const t0 = performance.now();
        const p = spawn(cmd, args, { cwd: root, env: { ...process.env, DISPLAY: w.xvfb.display, TMPDIR: w.tmp }, stdio: 'ignore' });
        try {
          await joined;
          result[kind].push(Math.round(performance.now() - t0));
        } finally {
          p.kill('SIGKILL');
          await new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)));
        }
      }
    }
  } finally {
    await w.teardown();
  }
  return result;
}

export async function run(): Promise<BenchResult> {
  const out = join(defaultCacheDir, 'bench-agents');
  const s = await sizes(out);
  const st = await startup(3);
  const rows: BenchRow[] = [
    ...s.rows,
    { scenario: 'linux-x64 start-up', metric: 'exec → joined, packaged (median of 3)', measured: `${median(st.packaged)} ms` },
    { scenario: 'linux-x64 start-up', metric: 'exec → joined, from source with tsx (median of 3)', measured: `${median(st.source)} ms` },
  ];
  return {
    title: 'Agent download size and start-up',
    rows,
    notes: [
      'Packaged with npm run package-agent (Node 22.23.2 SEA, stripped Linux base, unsigned Windows base, natives: node-screenshots, libnut, sharp + libvips).',
      'As served = the brotli copy the server precompresses (quality 11, 16 MiB window; see build-scripts/packaging/compress.ts for q9/q10/q11). Built into .cache/bench-agents: an unchanged agent reuses its compressed copy.',
      'At quality 9, libvips (sharp) alone is 7.1 MiB of the linux-x64 agent and node-screenshots 1.1 MiB (measured separately); the stripped Node base 29.7 MiB.',
      'Start-up includes extracting the native addons to the temp dir; the agent runs with --no-browser.',
      'Times depend on load: other test suites shared the 2 cores during the recorded run (see the load averages).',
    ],
    data: { sizes: s.data, startup: st },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await run();
  for (const row of r.rows) console.log(`${row.scenario} — ${row.metric}: ${row.measured}${row.target ? ` (target ${row.target}${row.ok ? ', ok' : ', MISS'})` : ''}`);
}
