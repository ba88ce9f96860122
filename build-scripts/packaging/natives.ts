// Native addons the agent bundle needs, per target platform: which npm package holds each one
// for that platform, and which of its files travel as SEA assets. The packages for the build
// machine come from node_modules; the others are fetched with `npm pack` at the exact version
// and sha512 that package-lock.json records (npm lists every platform's optional package there).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Platform } from '../../protocol/http.ts';
import { PackagingError } from './errors.ts';
import { fetchPackage } from './npm-fetch.ts';

/** The logical names the bundle asks for (see bundle.ts's shims). */
export type NativeName = 'node-screenshots' | 'libnut' | 'sharp';

interface Source { packages: string[]; main: RegExp }

const SOURCES: Record<NativeName, Record<Platform, Source>> = {
  'node-screenshots': {
    'linux-x64': { packages: ['node-screenshots-linux-x64-gnu'], main: /\.node$/ },
    'win-x64': { packages: ['node-screenshots-win32-x64-msvc'], main: /\.node$/ },
    'darwin-x64': { packages: ['node-screenshots-darwin-x64'], main: /\.node$/ },
    'darwin-arm64': { packages: ['node-screenshots-darwin-arm64'], main: /\.node$/ },
  },
  libnut: {
    'linux-x64': { packages: ['@nut-tree-fork/libnut-linux'], main: /libnut\.node$/ },
    'win-x64': { packages: ['@nut-tree-fork/libnut-win32'], main: /libnut\.node$/ },
    'darwin-x64': { packages: ['@nut-tree-fork/libnut-darwin'], main: /libnut\.node$/ },
    'darwin-arm64': { packages: ['@nut-tree-fork/libnut-darwin'], main: /libnut\.node$/ },
  },
  // sharp's addon finds libvips through an rpath relative to itself
  // ($ORIGIN/../../sharp-libvips-<platform>/lib), so both packages keep their layout.
  sharp: {
    'linux-x64': { packages: ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64'], main: /sharp-[^/]*\.node$/ },
    'win-x64': { packages: ['@img/sharp-win32-x64'], main: /sharp-[^/]*\.node$/ },
    'darwin-x64': { packages: ['@img/sharp-darwin-x64', '@img/sharp-libvips-darwin-x64'], main: /sharp-[^/]*\.node$/ },
    'darwin-arm64': { packages: ['@img/sharp-darwin-arm64', '@img/sharp-libvips-darwin-arm64'], main: /sharp-[^/]*\.node$/ },
  },
};

/** Files a native package contributes: the addon and the shared libraries it links. */
const BINARY_FILE = /\.(node|so(\.\d+)*|dylib|dll)$/;

export interface NativeFile { key: string; path: string }
export interface NativeSet { files: NativeFile[]; mains: Partial<Record<NativeName, string>> }

interface LockEntry { version: string; integrity: string }

function lockEntry(root: string, name: string): LockEntry {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, Partial<LockEntry>> };
  const e = lock.packages[`node_modules/${name}`];
  if (!e?.version || !e.integrity) throw new PackagingError('BRIDGE_NATIVE_LOCK', `package-lock.json has no entry for ${name}; run npm install so the lockfile lists every platform's native package.`);
  return { version: e.version, integrity: e.integrity };
}

function packageDir(root: string, cacheDir: string, name: string): string {
  const { version, integrity } = lockEntry(root, name);
  const local = join(root, 'node_modules', name);
  if (existsSync(join(local, 'package.json'))) {
    const v = (JSON.parse(readFileSync(join(local, 'package.json'), 'utf8')) as { version: string }).version;
    if (v === version) return local;
  }
  return fetchPackage(cacheDir, name, version, integrity);
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/** Collects the native files for `names` on `platform`, with asset keys `<package>/<file>`. */
export function collectNatives(root: string, cacheDir: string, platform: Platform, names: NativeName[]): NativeSet {
  const files: NativeFile[] = [];
  const mains: Partial<Record<NativeName, string>> = {};
  for (const name of names) {
    const src = SOURCES[name][platform];
    for (const pkg of src.packages) {
      const dir = packageDir(root, cacheDir, pkg);
      for (const path of walk(dir)) {
        const rel = relative(dir, path).split('\\').join('/');
        if (!BINARY_FILE.test(rel) || rel.includes('obj.target/')) continue;
        const key = `${pkg}/${rel}`;
        files.push({ key, path });
        if (!mains[name] && src.main.test(rel) && rel.endsWith('.node')) mains[name] = key;
      }
    }
    if (!mains[name]) throw new PackagingError('BRIDGE_NATIVE_MISSING', `no ${name} addon found for ${platform} in ${src.packages.join(', ')}.`);
  }
  return { files, mains };
}
