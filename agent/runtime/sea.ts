// Runtime side of packaging (owned by build-scripts/packaging; reached through the bundle's addon
// shims, and by the agent's start and exit). In the single-file agent (a Node SEA) native addons
// travel as SEA assets: on first use they are written to a private temp dir (mkdtemp, 0700),
// checked against the manifest's sha256 and loaded with process.dlopen. Outside a SEA (npm run
// agent) nothing here is active and addons load from node_modules as usual.
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from './cleanup.ts';

// Replaced by esbuild when packaging (build-scripts/packaging/bundle.ts); undefined in development.
declare const __BRIDGE_SERVER_URL__: string | undefined;
declare const __BRIDGE_AGENT_VERSION__: string | undefined;

/** What packaging wrote into the binary next to the bundle (asset `manifest.json`). */
interface SeaManifest {
  name: 'bridge-agent';
  version: string;
  platform: string;
  node: string;
  serverUrl: string;
  /** Logical addon name (node-screenshots, libnut, sharp) → asset key of its .node file. */
  natives: Record<string, string>;
  /** Every asset key → sha256 hex of its bytes. */
  files: Record<string, string>;
}

class SeaError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'SeaError';
  }
}

interface SeaModule { isSea(): boolean; getRawAsset(key: string): ArrayBuffer; getAsset(key: string, encoding: string): string }

function seaModule(): SeaModule | null {
  // process.getBuiltinModule works in both ESM (development) and the CJS bundle.
  const get = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  try {
    return (get?.('node:sea') as SeaModule | undefined) ?? null;
  } catch {
    return null;
  }
}

/** True inside the packaged single-file agent. */
export function isSea(): boolean {
  return seaModule()?.isSea() ?? false;
}

/** Whether this process is the packaged single-file agent (Node SEA). Tests can simulate it
 *  with BRIDGE_AGENT_PACKAGED=1 (a copied node binary then deletes itself at the end). */
export function isPackaged(): boolean {
  return process.env.BRIDGE_AGENT_PACKAGED === '1' || isSea();
}

/** The server origin baked in at packaging time; null when running from source. */
export function bakedServerUrl(): string | null {
  return typeof __BRIDGE_SERVER_URL__ === 'string' ? __BRIDGE_SERVER_URL__ : null;
}

export function agentVersion(): string | null {
  return typeof __BRIDGE_AGENT_VERSION__ === 'string' ? __BRIDGE_AGENT_VERSION__ : null;
}

let manifestCache: SeaManifest | null = null;
function manifest(): SeaManifest {
  const sea = seaModule();
  if (!sea?.isSea()) throw new SeaError('BRIDGE_NOT_SEA', 'not running as the packaged agent');
  manifestCache ??= JSON.parse(sea.getAsset('manifest.json', 'utf8')) as SeaManifest;
  return manifestCache;
}

function sha256(buf: Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Bytes of an embedded asset, checked against the manifest (e.g. `files/agent-window/app.js`). */
export function embeddedAsset(key: string): Buffer {
  const m = manifest();
  const want = m.files[key];
  if (!want) throw new SeaError('BRIDGE_ASSET_MISSING', `the agent has no embedded file ${key}`);
  const buf = Buffer.from(seaModule()!.getRawAsset(key));
  if (sha256(buf) !== want) throw new SeaError('BRIDGE_AGENT_DAMAGED', `embedded file ${key} is damaged; download the agent again`);
  return buf;
}

/** Keys of embedded assets under a prefix (e.g. `files/agent-window/`). */
export function embeddedAssetKeys(prefix: string): string[] {
  return Object.keys(manifest().files).filter((k) => k.startsWith(prefix)).sort();
}

let extracted: string | null = null;

/** The private temp dir holding extracted addons, or null if nothing was extracted (yet). */
export function nativeTempDir(): string | null {
  return extracted;
}

/**
 * Writes every native asset to a fresh private temp dir (once) and returns its path. The files
 * keep their package layout, so rpaths such as sharp's `$ORIGIN/../../sharp-libvips-*` resolve.
 */
function extractNativeAssets(): string {
  if (extracted) return extracted;
  const m = manifest();
  // Inside the agent's own private temp dir (mkdtemp: 0700), which end-of-session removes.
  const dir = join(tempDir(), 'natives');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  extracted = dir;
  process.once('exit', removeNativeAssets); // last resort; the agent's exit path calls it first
  for (const key of Object.keys(m.files).sort()) {
    if (!key.startsWith('natives/')) continue;
    const buf = embeddedAsset(key);
    const path = join(dir, key.slice('natives/'.length));
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, buf, { mode: 0o700 });
  }
  return dir;
}

const loaded = new Map<string, unknown>();

/** Loads a packaged addon by logical name (`node-screenshots`, `libnut`, `sharp`). */
export function loadNative(name: string): unknown {
  const hit = loaded.get(name);
  if (hit) return hit;
  const key = manifest().natives[name];
  if (!key) throw new SeaError('BRIDGE_NATIVE_MISSING', `this agent build has no ${name} addon for ${process.platform}-${process.arch}`);
  const path = join(extractNativeAssets(), key.slice('natives/'.length));
  const mod = { exports: {} as unknown };
  try {
    process.dlopen(mod, path);
  } catch (err) {
    throw new SeaError('BRIDGE_NATIVE_LOAD', `could not load ${name} from ${path}: ${(err as Error).message}. If the temp dir is mounted noexec, set TMPDIR to a directory that allows executables.`);
  }
  loaded.set(name, mod.exports);
  return mod.exports;
}

/** Deletes the extracted addons. Safe to call twice; on Windows loaded DLLs stay until exit. */
export function removeNativeAssets(): void {
  if (!extracted) return;
  try {
    rmSync(extracted, { recursive: true, force: true, maxRetries: 2 });
    extracted = null;
  } catch {
    // Windows keeps loaded DLLs locked; the exit helper that deletes the .exe removes the dir too.
  }
}
