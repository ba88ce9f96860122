// What the browsers download (docs/ARCHITECTURE.md "Performance targets"): the JS and CSS of each app as built into
// dist/ by build-scripts/build.ts and served by the server, raw, gzip -9 and brotli. The chat's
// bytes by origin and its first render are in bench/chat-size.ts; the agent binary raw and as
// served in bench/agent-size.ts (not repeated here).
// Usage: npm run bench -- sizes
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { APPS, buildApps, root } from '../build-scripts/build.ts';
import { runIfMain } from './lib/main.ts';
import type { BenchResult, BenchRow } from './types.ts';

const KB = 1024;
const kb = (n: number) => `${(n / KB).toFixed(1)} KB`;
/** docs/ARCHITECTURE.md "Performance targets" budgets by app (JS gzipped); the others are reported without a target. */
const BUDGET: Record<string, { bytes: number; label: string; what: string }> = {
  'web-chat': { bytes: 30 * KB, label: '≤ 30 KB JS gzipped', what: 'customer chat page' },
};
const TITLES: Record<string, string> = { 'web-chat': 'customer chat page', console: 'rep console', 'agent-window': "agent's local window" };

export async function run(): Promise<BenchResult> {
  await buildApps({ quiet: true });
  const rows: BenchRow[] = [];
  const data: Record<string, unknown> = {};
  for (const app of APPS) {
    const dir = join(root, 'dist', app.name);
    const files = readdirSync(dir).filter((f) => /\.(js|css)$/.test(f));
    for (const kind of ['js', 'css']) {
      const bufs = files.filter((f) => f.endsWith(`.${kind}`)).map((f) => readFileSync(join(dir, f)));
      if (bufs.length === 0) continue;
      const all = Buffer.concat(bufs);
      const gz = gzipSync(all, { level: 9 }).length;
      const br = brotliCompressSync(all, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
      const budget = kind === 'js' ? BUDGET[app.name] : undefined;
      rows.push({ scenario: TITLES[app.name] ?? app.name, metric: `${kind.toUpperCase()} gzip -9 (raw; brotli)`, target: budget?.label, measured: `${kb(gz)} (${kb(all.length)}; ${kb(br)})`, ok: budget ? gz <= budget.bytes : undefined, ratio: budget ? gz / budget.bytes : undefined });
      data[`${app.name}.${kind}`] = { raw: all.length, gzip: gz, brotli: br };
    }
  }
  return {
    title: 'Browser downloads (dist/ as served)',
    rows,
    notes: [
      'Built by buildApps() (esbuild, minified, ES2020-ish targets); all JS resp. CSS files of an app together. The agent download (≤ 30 MiB compressed) is measured by bench/agent-size.ts.',
    ],
    data,
  };
}

await runIfMain(import.meta.url, run);
