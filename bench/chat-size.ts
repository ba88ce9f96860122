// Customer chat budget (docs/ARCHITECTURE.md "Performance targets"): the chat's JS gzipped (≤ 30 KB) and where the
// bytes go, and the portal's first render in Debian's Chromium against a real server (< 100 ms).
// Run: npm run bench -- chat-size   (or alone: node --import tsx bench/chat-size.ts)
import { build } from 'esbuild';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import type { BenchResult } from './types.ts';
import { relative } from 'node:path';
import { i18nPlugin } from '../build-scripts/i18n-plugin.ts';
import { CHAT_ALIAS, CHAT_PLUGINS } from '../build-scripts/build.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUDGET_GZIP = 30 * 1024;
const BUDGET_RENDER_MS = 100;

/** One language's load: the files the page fetches and their gzip (-9) / brotli sizes, each file on its own as served. */
export interface ChatLoad { lang: string; raw: number; gzip: number; brotli: number; files: number; names: string[]; parts: Record<string, number> }

/**
 * What the customer chat page loads, built as build-scripts/build.ts builds it (split chunks, the
 * chat's plain MessagePack alias, its customer codec and pure schemas): the portal (app.js and its static imports), the session chunk
 * (`chat.ts`, fetched when a session opens) and the page language's catalogues. Screens the chat
 * fetches only when used (lazy chunks) are counted apart as `lazy`.
 */
export async function chatSize(langs: readonly string[] = ['en', 'ar']): Promise<{ loads: ChatLoad[]; lazyGzip: number; lazyParts: Record<string, number> }> {
  const r = await build({
    entryPoints: { app: `${root}web-chat/main.tsx` }, outdir: `${root}dist/.size-probe`, bundle: true, minify: true, format: 'esm', splitting: true, chunkNames: 'chunk-[hash]',
    write: false, metafile: true, absWorkingDir: root, alias: CHAT_ALIAS,
    jsx: 'automatic', jsxImportSource: 'preact', target: ['chrome100', 'firefox100', 'safari15'], legalComments: 'none', logLevel: 'silent', plugins: [...CHAT_PLUGINS, i18nPlugin],
  });
  const files = new Map(r.outputFiles.map((f) => [relative(root, f.path), f.contents]));
  const outs = r.metafile.outputs;
  const group = (k: string) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(k)?.[1] ?? k.split('/').slice(0, 2).join('/');
  const holds = (o: string, re: RegExp) => Object.keys(outs[o].inputs).some((i) => re.test(i));
  const closure = (starts: string[]) => {
    const seen = new Set<string>();
    const walk = (o: string) => {
      if (seen.has(o)) return;
      seen.add(o);
      for (const i of outs[o].imports) if (i.kind === 'import-statement') walk(i.path);
    };
    starts.forEach(walk);
    return seen;
  };
  const js = Object.keys(outs).filter((o) => o.endsWith('.js'));
  const measure = (set: Set<string>) => {
    const parts: Record<string, number> = {};
    let raw = 0, gzip = 0, brotli = 0;
    for (const o of set) {
      const bytes = files.get(o)!;
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
      brotli += brotliCompressSync(bytes).length;
      for (const [k, v] of Object.entries(outs[o].inputs)) parts[group(k)] = (parts[group(k)] ?? 0) + v.bytesInOutput;
    }
    return { raw, gzip, brotli, files: set.size, names: [...set].map((o) => `${o.split('/').pop()} ${gzipSync(files.get(o)!, { level: 9 }).length}`), parts };
  };
  const everyLoad = new Set<string>();
  const loads = langs.map((lang) => {
    const catalogue = new RegExp(`/i18n/messages/(customer|events)/${lang}\\.json$`);
    const set = closure(js.filter((o) => o.endsWith('/app.js') || holds(o, /web-chat\/chat\.ts$/) || holds(o, catalogue)));
    set.forEach((o) => everyLoad.add(o));
    return { lang, ...measure(set) };
  });
  // Lazy screens: chunks no load above fetched that hold chat code (not catalogues of other languages).
  const lazy = measure(new Set(js.filter((o) => !everyLoad.has(o) && !holds(o, /\/i18n\/messages\//))));
  return { loads, lazyGzip: lazy.gzip, lazyParts: lazy.parts };
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
  const r = await firstRender();
  const [en] = s.loads;
  const worst = s.loads.reduce((a, b) => (b.gzip > a.gzip ? b : a));
  const big = Object.entries(en.parts).sort((a, b) => b[1] - a[1]);
  const medRender = median(r.render);
  return {
    title: 'Customer chat (web-chat): size and first render',
    rows: [
      ...s.loads.map((l) => ({ scenario: `customer chat page (${l.lang}): portal + session + catalogues`, metric: `JS gzip (-9), ${l.files} files`, target: '≤ 30 KB', measured: kb(l.gzip), ok: l.gzip <= BUDGET_GZIP })),
      { scenario: `customer chat page (${worst.lang})`, metric: 'JS minified; brotli', measured: `${kb(worst.raw)}; ${kb(worst.brotli)}` },
      { scenario: 'screens fetched when used (lazy chunks)', metric: 'JS gzip (-9)', measured: kb(s.lazyGzip) },
      { scenario: 'portal, fresh context, loopback', metric: 'first render, ms after navigation start (median of 6)', target: '< 100 ms', measured: `${medRender.toFixed(0)} ms`, ok: medRender < BUDGET_RENDER_MS },
      { scenario: 'portal, fresh context, loopback', metric: 'app.js received → first render (parse, run, render; median of 6)', measured: `${median(r.own).toFixed(0)} ms` },
      { scenario: 'portal, fresh context, loopback', metric: 'first contentful paint (median of 6)', measured: `${median(r.fcp).toFixed(0)} ms` },
    ],
    notes: [
      `Minified bytes by origin (en load): ${big.map(([k, v]) => `${k} ${kb(v)}`).join(', ')}.`,
      `Lazy screens: ${Object.entries(s.lazyParts).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${kb(v)}`).join(', ')}.`,
      `Load average before: ${loadavg().map((x) => x.toFixed(1)).join(' / ')}; the navigation figures include the server's answer time on this shared machine.`,
      'Each file is compressed on its own, as the server sends it. The page language decides which catalogue chunks load; the largest (ar) is the worst case.',
    ],
    data: { size: s, render: r },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const res = await run();
  for (const row of res.rows) console.log(`${row.scenario} — ${row.metric}: ${row.measured}${row.target ? ` (target ${row.target}${row.ok === false ? ', missed' : ''})` : ''}`);
  for (const n of res.notes ?? []) console.log(n);
}
