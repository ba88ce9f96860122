// Customer chat budget (docs/ARCHITECTURE.md "Performance targets"): the chat's JS gzipped (≤ 30 KB) and where the
// bytes go, and the portal's first render in Debian's Chromium against a real server (< 100 ms).
// Run: npm run bench -- chat-size   (or alone: node --import tsx bench/chat-size.ts)
import { build } from 'esbuild';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import type { BenchResult } from './types.ts';
import { i18nPlugin } from '../build-scripts/i18n-plugin.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUDGET_GZIP = 30 * 1024;
const BUDGET_RENDER_MS = 100;

/** The same bundle build-scripts/build.ts makes, measured, with bytes per package or folder. */
export async function chatSize(): Promise<{ raw: number; gzip: number; brotli: number; parts: Record<string, number> }> {
  const r = await build({
    entryPoints: [`${root}web-chat/main.tsx`], bundle: true, minify: true, format: 'esm', write: false, metafile: true,
    jsx: 'automatic', jsxImportSource: 'preact', target: ['chrome100', 'firefox100', 'safari15'], legalComments: 'none', logLevel: 'silent', plugins: [i18nPlugin],
  });
  const out = r.outputFiles[0].contents;
  const parts: Record<string, number> = {};
  for (const [k, v] of Object.entries(Object.values(r.metafile.outputs)[0].inputs)) {
    const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(k);
    const g = m ? m[1] : k.split('/').slice(0, 2).join('/');
    parts[g] = (parts[g] ?? 0) + v.bytesInOutput;
  }
  return { raw: out.length, gzip: gzipSync(out, { level: 9 }).length, brotli: brotliCompressSync(out).length, parts };
}

/** The same with esbuild code splitting (build.ts doesn't split yet): what the portal loads first, and in all. */
export async function splitSize(): Promise<{ entryGzip: number; totalGzip: number }> {
  const outdir = `${root}dist/.split-probe`;
  const r = await build({
    entryPoints: { app: `${root}web-chat/main.tsx` }, bundle: true, minify: true, format: 'esm', write: false, splitting: true, outdir, metafile: true,
    jsx: 'automatic', jsxImportSource: 'preact', target: ['chrome100', 'firefox100', 'safari15'], legalComments: 'none', logLevel: 'silent', plugins: [i18nPlugin],
  });
  const gz = new Map(r.outputFiles.map((f) => [f.path, gzipSync(f.contents, { level: 9 }).length]));
  const size = (rel: string) => [...gz].find(([p]) => p.endsWith(rel.replace(/^.*?\.split-probe/, '')))?.[1] ?? 0;
  // The portal loads app.js and what it imports statically; the chat chunk comes with import().
  const first = new Set<string>();
  const walk = (out: string) => {
    if (first.has(out)) return;
    first.add(out);
    for (const i of r.metafile.outputs[out]?.imports ?? []) if (i.kind === 'import-statement') walk(i.path);
  };
  walk(Object.keys(r.metafile.outputs).find((o) => o.endsWith('/app.js'))!);
  const js = Object.keys(r.metafile.outputs).filter((o) => o.endsWith('.js'));
  return { entryGzip: [...first].reduce((n, o) => n + size(o), 0), totalGzip: js.reduce((n, o) => n + size(o), 0) };
}

/** Portal loads in a fresh browser context each: ms to the app's first render and to first contentful paint. */
export async function firstRender(loads = 7): Promise<{ render: number[]; fcp: number[]; own: number[] }> {
  const { buildApps } = await import('../build-scripts/build.ts');
  const { startServer } = await import('../test/helpers/server.ts');
  const { chromium } = await import('playwright-core');
  const { CHROMIUM, CHROMIUM_ARGS } = await import('../test/helpers/browser.ts');
  await buildApps({ quiet: true });
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const render: number[] = [];
  const fcp: number[] = [];
  const own: number[] = [];
  try {
    for (let i = 0; i < loads; i++) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(server.url + '/', { waitUntil: 'load' });
      await page.waitForFunction(() => performance.getEntriesByType('paint').some((p) => p.name === 'first-contentful-paint'));
      const t = await page.evaluate(() => ({
        render: performance.getEntriesByName('bridge-first-render')[0]?.startTime ?? NaN,
        fcp: performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint')?.startTime ?? NaN,
        js: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => e.name.endsWith('/app.js'))?.responseEnd ?? NaN,
      }));
      // The first load warms the server's file cache; it is not counted.
      if (i > 0) { render.push(t.render); fcp.push(t.fcp); own.push(t.render - t.js); }
      await ctx.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  return { render, fcp, own };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function run(): Promise<BenchResult> {
  const s = await chatSize();
  const split = await splitSize();
  const r = await firstRender();
  const big = Object.entries(s.parts).sort((a, b) => b[1] - a[1]);
  const medRender = median(r.render);
  return {
    title: 'Customer chat (web-chat): size and first render',
    rows: [
      { scenario: 'customer chat page', metric: 'JS gzip (-9)', target: '≤ 30 KB', measured: kb(s.gzip), ok: s.gzip <= BUDGET_GZIP },
      { scenario: 'customer chat page', metric: 'JS minified; brotli', measured: `${kb(s.raw)}; ${kb(s.brotli)}` },
      { scenario: 'with code splitting (not enabled in build.ts yet)', metric: 'portal JS gzip; portal + chat chunks gzip', measured: `${kb(split.entryGzip)}; ${kb(split.totalGzip)}` },
      { scenario: 'portal, fresh context, loopback', metric: 'first render, ms after navigation start (median of 6)', target: '< 100 ms', measured: `${medRender.toFixed(0)} ms`, ok: medRender < BUDGET_RENDER_MS },
      { scenario: 'portal, fresh context, loopback', metric: 'app.js received → first render (parse, run, render; median of 6)', measured: `${median(r.own).toFixed(0)} ms` },
      { scenario: 'portal, fresh context, loopback', metric: 'first contentful paint (median of 6)', measured: `${median(r.fcp).toFixed(0)} ms` },
    ],
    notes: [
      `Minified bytes by origin: ${big.map(([k, v]) => `${k} ${kb(v)}`).join(', ')}.`,
      `Load average before: ${loadavg().map((x) => x.toFixed(1)).join(' / ')}; the navigation figures include the server's answer time on this shared machine.`,
      'The protocol layer every client shares (msgpackr, valibot with the whole message catalogue, codec, Connection) is most of the gzip size; the chat\'s own code is the rest.',
    ],
    data: { size: s, split, render: r },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const res = await run();
  for (const row of res.rows) console.log(`${row.scenario} — ${row.metric}: ${row.measured}${row.target ? ` (target ${row.target}${row.ok === false ? ', missed' : ''})` : ''}`);
  for (const n of res.notes ?? []) console.log(n);
}
