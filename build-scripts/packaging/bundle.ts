// esbuild bundles for the single-file agent: the agent itself (agent/main.ts → one CJS file)
// and the small SEA main script that verifies and runs it (sea-main.ts). Native addons are not
// bundled: the modules that would load them from node_modules are replaced by shims that ask
// agent/runtime/sea.ts for the packaged copy, so agent code can import node-screenshots, nut-js or sharp
// as usual. Deterministic: minified, no source maps, no paths or dates in the output.
import { build, type Plugin } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NativeName } from './natives.ts';
import { PackagingError } from './errors.ts';

const SEA_RUNTIME = './agent/runtime/sea.ts';
const PUNYCODE_SHIM = fileURLToPath(new URL('./punycode-shim.ts', import.meta.url));

/** Modules replaced by a shim, and the addon each one stands for. */
const SHIMS: { filter: RegExp; native: NativeName; contents: string }[] = [
  {
    filter: /[\\/]node_modules[\\/]node-screenshots[\\/]index\.js$/,
    native: 'node-screenshots',
    contents: `module.exports = require(${JSON.stringify(SEA_RUNTIME)}).loadNative('node-screenshots');`,
  },
  {
    // libnut (nut-js's addon) loads itself with require('bindings')('libnut').
    filter: /[\\/]node_modules[\\/]bindings[\\/]bindings\.js$/,
    native: 'libnut',
    contents: `module.exports = function (opts) {
  var name = String(typeof opts === 'string' ? opts : opts.bindings).replace(/\\.node$/, '');
  return require(${JSON.stringify(SEA_RUNTIME)}).loadNative(name);
};`,
  },
  {
    // sharp ships CJS and ESM builds; esbuild picks one by import kind, so shim both.
    filter: /[\\/]node_modules[\\/]sharp[\\/]dist[\\/]sharp\.cjs$/,
    native: 'sharp',
    contents: `module.exports = require(${JSON.stringify(SEA_RUNTIME)}).loadNative('sharp');`,
  },
  {
    filter: /[\\/]node_modules[\\/]sharp[\\/]dist[\\/]sharp\.mjs$/,
    native: 'sharp',
    contents: `import { loadNative } from ${JSON.stringify(SEA_RUNTIME)};\nexport default loadNative('sharp');`,
  },
];

/** Optional native helpers we don't ship; their callers already fall back when they're absent. */
const EXTERNAL = ['@nut-tree-fork/node-mac-permissions', 'msgpackr-extract'];

function shimPlugin(root: string, used: Set<NativeName>): Plugin {
  return {
    name: 'bridge-sea-natives',
    setup(b) {
      for (const shim of SHIMS) {
        b.onLoad({ filter: shim.filter }, () => {
          used.add(shim.native);
          return { contents: shim.contents, loader: 'js', resolveDir: root };
        });
      }
      // Node's own punycode warns when required from a bundle: use the stand-in (punycode-shim.ts).
      b.onResolve({ filter: /^(node:)?punycode$/ }, () => ({ path: PUNYCODE_SHIM }));
      // Any other .node file reached by a static require would silently be missing at run time.
      b.onResolve({ filter: /\.node$/ }, (args) => ({
        errors: [{ text: `native addon ${args.path} (from ${args.importer}) has no packaging shim; add it to build-scripts/packaging/natives.ts and bundle.ts` }],
      }));
    },
  };
}

/** Options both bundles share: one CJS file for Node 22, minified, no maps, no comments. */
const NODE_CJS = {
  bundle: true, write: false, platform: 'node', format: 'cjs', target: 'node22',
  minify: true, sourcemap: false, legalComments: 'none', charset: 'utf8', logLevel: 'silent',
} as const;

export interface AgentBundle { code: Buffer; natives: NativeName[] }

export async function bundleAgent(opts: {
  root: string; entry: string; serverUrl: string; version: string; platform: string;
}): Promise<AgentBundle> {
  const used = new Set<NativeName>();
  const result = await build({
    entryPoints: [join(opts.root, opts.entry)],
    absWorkingDir: opts.root,
    ...NODE_CJS,
    external: EXTERNAL,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: {
      __BRIDGE_SERVER_URL__: JSON.stringify(opts.serverUrl),
      __BRIDGE_AGENT_VERSION__: JSON.stringify(opts.version),
      'import.meta.url': '__bridge_import_meta_url',
    },
    // import.meta.url has no meaning in a CJS bundle; point it at the binary's directory.
    banner: { js: 'var __bridge_import_meta_url=require("node:url").pathToFileURL(__filename).href;' },
    plugins: [shimPlugin(opts.root, used)],
  }).catch((err: { errors?: { text: string; location?: { file: string; line: number } | null }[] }) => {
    const first = err.errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
    throw new PackagingError('BRIDGE_BUNDLE', `esbuild could not bundle ${opts.entry}: ${first?.text ?? String(err)}${where}`);
  });
  const out = result.outputFiles[0];
  return { code: Buffer.from(out.contents), natives: [...used].sort() };
}

export async function bundleSeaMain(root: string, manifestSha256: string): Promise<Buffer> {
  const result = await build({
    entryPoints: [join(root, 'build-scripts/packaging/sea-main.ts')],
    absWorkingDir: root,
    ...NODE_CJS,
    define: { __BRIDGE_MANIFEST_SHA256__: JSON.stringify(manifestSha256) },
  });
  return Buffer.from(result.outputFiles[0].contents);
}
