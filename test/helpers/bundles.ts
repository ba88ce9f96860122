// The server and the agent as the tests start them. From source each start goes through tsx's
// loader, which costs ≈ 4 s of CPU per server start on this project (module resolution and the
// loader thread, not the server's own work); a suite starts well over a hundred servers. So the
// test runner bundles both entries once per run (esbuild, packages left external) and the helpers
// start the bundles; a file run on its own starts from source as before.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = { server: 'server/main.ts', agent: 'agent/main.ts' } as const;
export type BundledEntry = keyof typeof ENTRIES;

/** Packages left to node: native addons, and esbuild (it starts its own binary). */
const EXTERNAL = ['better-sqlite3', 'sharp', 'node-screenshots', '@nut-tree-fork/*', 'esbuild', 'pg-native', 'playwright-core'];

/** Where the runner put this run's bundles (set for the test files it spawns). */
const ENV = 'BRIDGE_TEST_BUNDLES';

/** The node arguments that start `entry`: its bundle when the runner made one, else the source. */
export function nodeEntry(entry: BundledEntry): string[] {
  const dir = process.env[ENV];
  const bundle = dir ? join(dir, `${entry}.mjs`) : null;
  return bundle && existsSync(bundle) ? [bundle] : ['--import', 'tsx', ENTRIES[entry]];
}

/**
 * Each source file keeps its own `import.meta.url`: code finds files beside it (message
 * catalogues, the packager's root, addons) exactly as it does from source.
 */
const ownUrl: Plugin = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(ts|tsx)$/ }, (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: args.path.endsWith('x') ? 'tsx' : 'ts',
      };
    });
  },
};

/** Bundles the entries into `dir` (inside the repository, so bare imports find node_modules). */
export async function buildTestBundles(dir: string): Promise<Record<string, string>> {
  if (relative(root, dir).startsWith('..')) throw new Error(`test bundles must live inside the repository: ${dir}`);
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(root, file)])),
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Everything is bundled but addons and what loads files of its own at run time: loading a
    // few hundred node_modules files was most of what remained of a start.
    external: EXTERNAL,
    // Bundled CommonJS helpers call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __bridgeRequire } from 'node:module'; const require = __bridgeRequire(import.meta.url);" },
    keepNames: true,
    logLevel: 'error',
    plugins: [ownUrl],
  });
  return { [ENV]: dir };
}
