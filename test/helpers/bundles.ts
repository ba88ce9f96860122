// The server and the agent as the tests start them. From source each start goes through tsx's
// loader, which costs ≈ 4 s of CPU per server start on this project (module resolution and the
// loader thread, not the server's own work); a suite starts well over a hundred servers. So the
// test runner bundles both entries once per run (esbuild, packages left external) and the helpers
// start the bundles; a file run on its own starts from source as before.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = { server: 'server/main.ts', agent: 'agent/main.ts' } as const;
export type BundledEntry = keyof typeof ENTRIES;

/** Packages left to node: native addons, and esbuild (it starts its own binary). */
const EXTERNAL = ['better-sqlite3', 'sharp', 'node-screenshots', '@nut-tree-fork/*', 'esbuild', 'pg-native', 'playwright-core', 'postject'];

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
        // Not where it is quoted: a string naming it (esbuild's `define` key in the packager) stays.
        contents: text.replace(/(?<!['"`])\bimport\.meta\.url\b(?!['"`])/g, JSON.stringify(pathToFileURL(args.path).href)),
        loader: args.path.endsWith('x') ? 'tsx' : 'ts',
      };
    });
  },
};

const COMMON = {
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Everything is bundled but addons and what loads files of its own at run time: loading a
  // few hundred node_modules files was most of what remained of a start.
  external: EXTERNAL,
  // Bundled CommonJS helpers call require(); give the ESM bundle one.
  // (The bundle's own URL: spelt so that ownUrl below leaves this string alone.)
  banner: { js: `import { createRequire as __bridgeRequire } from 'node:module'; const require = __bridgeRequire(import.meta${'.url'});` },
  keepNames: true,
  logLevel: 'error',
  plugins: [ownUrl],
} satisfies BuildOptions;

/**
 * Test files can't be bundled when they import a module by a computed path (a .ts file found at
 * run time needs tsx's loader); those run from source.
 */
function bundleable(file: string): boolean {
  return !/\bimport\((?!\s*['"])/.test(readFileSync(file, 'utf8'));
}

/**
 * Bundles test files into `dir/tests/` (shared code split into chunks) and returns, per test
 * file, the bundle to run: the same saving as for the server, once per test process.
 */
export async function bundleTestFiles(dir: string, files: string[]): Promise<Map<string, string>> {
  const out = join(dir, 'tests');
  const chosen = files.filter(bundleable);
  const names = new Map(chosen.map((f) => [relative(root, f).replace(/\.ts$/, '').replaceAll('/', '__'), f]));
  await build({
    ...COMMON,
    // The tests' own packages load as they do from source (CommonJS interop in a bundle differs
    // in corners, e.g. postject's export); the saving is in the TypeScript.
    external: undefined,
    packages: 'external',
    entryPoints: Object.fromEntries(names),
    outdir: out,
    splitting: true,
    chunkNames: 'chunk-[hash]',
  });
  return new Map([...names].map(([name, file]) => [file, join(out, `${name}.mjs`)]));
}

/** Bundles the entries into `dir` (inside the repository, so bare imports find node_modules). */
export async function buildTestBundles(dir: string): Promise<Record<string, string>> {
  if (relative(root, dir).startsWith('..')) throw new Error(`test bundles must live inside the repository: ${dir}`);
  mkdirSync(dir, { recursive: true });
  await build({
    ...COMMON,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(root, file)])),
    outdir: dir,
  });
  return { [ENV]: dir };
}
