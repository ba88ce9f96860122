// Packages the single-file agent for one or more platforms (docs/ARCHITECTURE.md "Packaging"):
// esbuild bundle → manifest of checksums → SEA blob made by the linux-x64 base binary →
// postject into the prepared base binary of each platform. Same inputs, same bytes.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync, copyFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Platform } from '../../protocol/http.ts';
import { buildApps } from '../build.ts';
import { blobMaker, preparedBaseBinary } from './base-binary.ts';
import { bundleAgent, bundleSeaMain } from './bundle.ts';
import { codecFiles } from './codec.ts';
import { PackagingError } from './errors.ts';
import { collectNatives } from './natives.ts';
import { NODE_BASE_VERSION, PLATFORMS } from './platforms.ts';
import { silentProgress, type ProgressFn } from './progress.ts';
import { injectBlob, makeBlob } from './sea-blob.ts';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const defaultCacheDir = join(projectRoot, '.cache');
/** Where packaged agents go by default; the server serves from here. */
export const defaultOutDir = join(projectRoot, '.cache', 'agents');

/** Built files carry this mtime so archives and copies of them stay byte-identical. */
const FIXED_MTIME = Number(process.env.SOURCE_DATE_EPOCH ?? 315532800); // 1980-01-01

export interface PackageOptions {
  serverUrl: string;
  platforms: Platform[];
  outDir?: string;
  root?: string;
  cacheDir?: string;
  /** Agent entry, relative to root. */
  entry?: string;
  progress?: ProgressFn;
}

/** Written next to each binary as bridge-agent-<platform>.json. */
export interface AgentBuildInfo {
  platform: Platform;
  file: string;
  serverUrl: string;
  version: string;
  node: string;
  size: number;
  sha256: string;
  /** sha256 over everything that went in; equal inputs give an equal binary. */
  inputs: string;
  /** sha256 of the agent bundle alone: tells whether the agent's code changed since. */
  bundleSha256: string;
  natives: string[];
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

export function normalizeServerUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new PackagingError('BRIDGE_SERVER_URL', `--server-url must be an http(s) origin such as https://support.example.com, got "${input}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PackagingError('BRIDGE_SERVER_URL', `--server-url must use http or https, got ${url.protocol}`);
  }
  return url.origin;
}

export function binaryName(platform: Platform): string {
  return `bridge-agent-${platform}${PLATFORMS[platform].exeSuffix}`;
}

export function readBuildInfo(outDir: string, platform: Platform): AgentBuildInfo | null {
  const p = join(outDir, `bridge-agent-${platform}.json`);
  if (!existsSync(p) || !existsSync(join(outDir, binaryName(platform)))) return null;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as AgentBuildInfo;
  } catch {
    return null;
  }
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

function packageVersion(root: string): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

export async function packageAgent(opts: PackageOptions): Promise<AgentBuildInfo[]> {
  const root = opts.root ?? projectRoot;
  const cacheDir = opts.cacheDir ?? defaultCacheDir;
  const outDir = opts.outDir ?? defaultOutDir;
  const entry = opts.entry ?? 'agent/main.ts';
  const progress = opts.progress ?? silentProgress;
  const serverUrl = normalizeServerUrl(opts.serverUrl);
  const version = packageVersion(root);
  if (!existsSync(join(root, entry))) {
    throw new PackagingError('BRIDGE_AGENT_ENTRY', `${entry} does not exist; the agent runtime has to be there before it can be packaged.`);
  }
  if (opts.platforms.length === 0) throw new PackagingError('BRIDGE_PLATFORM', 'no platform to package');

  const STEPS = ['base binary', 'bundle', 'native addons', 'SEA blob', 'inject'];
  const total = STEPS.length * opts.platforms.length;
  let done = 0;
  const step = async <T>(platform: string, name: string, fn: () => T | Promise<T>): Promise<T> => {
    progress({ platform, step: `${name}…`, done, total });
    const t = Date.now();
    const r = await fn();
    done++;
    progress({ platform, step: name, done, total, ms: Date.now() - t });
    return r;
  };

  mkdirSync(outDir, { recursive: true });
  mkdirSync(cacheDir, { recursive: true }); // a fresh clone has no .cache yet
  const work = mkdtempSync(join(cacheDir, 'work-'));
  const results: AgentBuildInfo[] = [];
  try {
    // The agent's local window (agent/window) is served from embedded files when packaged:
    // build it now, so a fresh clone (no dist/) or stale bundles can't ship a wrong window.
    if (existsSync(join(root, 'agent', 'window', 'ui', 'main.tsx'))) await buildApps({ quiet: true });
    const windowDir = join(root, 'dist', 'agent-window');
    const windowFiles = listFiles(windowDir);
    for (const platform of opts.platforms) {
      const spec = PLATFORMS[platform];
      const base = await step(platform, 'base binary', () => preparedBaseBinary(cacheDir, platform));
      const maker = blobMaker(cacheDir);
      const bundle = await step(platform, 'bundle', () => bundleAgent({ root, entry, serverUrl, version, platform }));
      const natives = await step(platform, 'native addons', () => collectNatives(root, cacheDir, platform, bundle.natives));

      const dir = join(work, platform);
      mkdirSync(dir, { recursive: true });
      const assets: Record<string, string> = {};
      const files: Record<string, string> = {};
      const add = (key: string, path: string) => {
        assets[key] = path;
        files[key] = sha256(readFileSync(path));
      };
      writeFileSync(join(dir, 'agent.js'), bundle.code);
      add('agent.js', join(dir, 'agent.js'));
      for (const f of natives.files) add(`natives/${f.key}`, f.path);
      for (const f of codecFiles(root)) add(f.key, f.path);
      for (const f of windowFiles) add(`files/agent-window/${relative(windowDir, f).split('\\').join('/')}`, f);
      const nativeMains = Object.fromEntries(Object.entries(natives.mains).map(([k, v]) => [k, `natives/${v}`]).sort());
      const manifest = {
        name: 'bridge-agent', version, platform, node: NODE_BASE_VERSION, serverUrl,
        natives: nativeMains,
        files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))),
      };
      const manifestText = JSON.stringify(manifest);
      writeFileSync(join(dir, 'manifest.json'), manifestText);
      assets['manifest.json'] = join(dir, 'manifest.json');
      writeFileSync(join(dir, 'sea-main.js'), await bundleSeaMain(root, sha256(manifestText)));

      const blob = await step(platform, 'SEA blob', () => makeBlob({ nodeBinary: maker, workDir: dir, main: 'sea-main.js', assets }));
      const file = join(outDir, binaryName(platform));
      const partial = `${file}.partial-${process.pid}`;
      await step(platform, 'inject', async () => {
        copyFileSync(base, partial);
        chmodSync(partial, 0o755);
        await injectBlob(partial, blob, spec);
      });
      const bytes = readFileSync(partial);
      const info: AgentBuildInfo = {
        platform, file: binaryName(platform), serverUrl, version, node: NODE_BASE_VERSION,
        size: bytes.length, sha256: sha256(bytes),
        inputs: sha256(JSON.stringify({ base: sha256(readFileSync(base)), blob: sha256(blob) })),
        natives: Object.keys(nativeMains),
        bundleSha256: files['agent.js'],
      };
      if (existsSync(file) && sha256(readFileSync(file)) === info.sha256) {
        // Same bytes as the build already there: keep it, and its compressed copies with it.
        rmSync(partial, { force: true });
      } else {
        utimesSync(partial, FIXED_MTIME, FIXED_MTIME);
        renameSync(partial, file);
        // Stale precompressed copies of an older build must never be served for this one.
        for (const suffix of ['.br', '.gz']) rmSync(`${file}${suffix}`, { force: true });
      }
      writeFileSync(join(outDir, `bridge-agent-${platform}.json`), `${JSON.stringify(info, null, 2)}\n`);
      results.push(info);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}
