// Bundles the browser apps with esbuild into dist/: the customer chat and portal, the rep
// console, and the agent's local window (which reuses the chat's components).
// Usage: npm run build [-- --watch]
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { i18nPlugin } from './i18n-plugin.ts';
import { pureSchemasPlugin } from './pure-schemas-plugin.ts';
import { swapPlugin } from './swap-plugin.ts';

export const root = fileURLToPath(new URL('..', import.meta.url));

// `split`: lazy chunks so the portal's first load stays small (and each console language comes
// only when picked); the agent window stays one file
// because packaging embeds it whole. `classic`: one IIFE script named `out` (the click-to-chat
// loader runs as a plain <script> on other sites' pages, where it reads document.currentScript).
// `alias`: package swaps for one app (the chat reads plain MessagePack: protocol/msgpack-plain.ts);
// `plugins`: more esbuild plugins for one app (the chat's codec swap and pure schemas).
interface App { name: string; entry: string; staticDir: string; split?: boolean; classic?: boolean; out?: string; alias?: Record<string, string>; plugins?: Plugin[] }
/** The customer chat's wire carries no msgpackr records (protocol/codec.ts), so it decodes with ~2 KB instead of 13 KB gz. */
export const CHAT_ALIAS = { msgpackr: './protocol/msgpack-plain.ts' };
/**
 * The customer chat validates only what a customer receives (protocol/codec-customer.ts in place
 * of codec.ts), and keeps only the schemas it uses (docs/ARCHITECTURE.md "Web chat" → "Size").
 */
export const CHAT_PLUGINS: Plugin[] = [swapPlugin(root, { 'protocol/codec.ts': 'protocol/codec-customer.ts' }), pureSchemasPlugin];
export const APPS: App[] = [
  { name: 'web-chat', entry: 'web-chat/main.tsx', staticDir: 'web-chat/static', split: true, alias: CHAT_ALIAS, plugins: CHAT_PLUGINS },
  { name: 'console', entry: 'console/main.tsx', staticDir: 'console/static', split: true },
  { name: 'agent-window', entry: 'agent/window/ui/main.tsx', staticDir: 'agent/window/ui/static' },
  { name: 'embed', entry: 'embed/main.ts', staticDir: 'embed/static', classic: true, out: 'embed' },
];

/**
 * Servers read dist/ while it is rebuilt (a server packaging its agents rebuilds at start-up, and
 * tests run side by side): a file is replaced by a rename, never truncated and rewritten, and a
 * file whose bytes didn't change isn't touched.
 */
function writeIfChanged(file: string, bytes: Uint8Array): void {
  if (existsSync(file) && Buffer.compare(readFileSync(file), bytes) === 0) return;
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

function copyStatic(from: string, to: string): void {
  if (!existsSync(from)) return;
  for (const name of readdirSync(from)) writeIfChanged(join(to, name), readFileSync(join(from, name)));
}

export async function buildApps(opts: { minify?: boolean; quiet?: boolean } = {}): Promise<void> {
  const started = Date.now();
  for (const app of APPS) {
    const entry = join(root, app.entry);
    if (!existsSync(entry)) continue;
    const outdir = join(root, 'dist', app.name);
    const options: BuildOptions = {
      entryPoints: { [app.out ?? 'app']: entry },
      outdir,
      bundle: true,
      format: app.classic ? 'iife' : 'esm',
      splitting: app.split ?? false,
      chunkNames: 'chunk-[hash]',
      target: ['chrome100', 'firefox100', 'safari15'],
      minify: opts.minify ?? true,
      sourcemap: false,
      jsx: 'automatic',
      jsxImportSource: 'preact',
      legalComments: 'none',
      logLevel: 'warning',
      metafile: true,
      absWorkingDir: root, // metafile paths are relative to it
      // msgpackr compiles record readers with `new Function`; the pages' CSP forbids eval, so
      // every attempt would be a CSP violation. Its no-eval build reads records the plain way.
      alias: app.alias ?? { msgpackr: 'msgpackr/index-no-eval' },
      plugins: [...(app.plugins ?? []), i18nPlugin],
    };
    const result = await build({ ...options, write: false });
    for (const f of result.outputFiles) writeIfChanged(f.path, f.contents);
    // Drop chunks of earlier builds only after the new ones exist, so a server serving dist/
    // while it's rebuilt (the agent packager rebuilds at start-up) never misses a file.
    const fresh = new Set(Object.keys(result.metafile!.outputs).map((f) => join(root, f)));
    for (const name of readdirSync(outdir)) {
      if (name.endsWith('.js') && !fresh.has(join(outdir, name))) rmSync(join(outdir, name), { force: true });
    }
    copyStatic(join(root, app.staticDir), outdir);
  }
  if (!opts.quiet) console.log(`built browser apps in ${Date.now() - started} ms`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildApps();
}
