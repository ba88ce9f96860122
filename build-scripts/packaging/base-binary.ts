// The Node binary each agent is built on: taken from the pinned node-* npm package, then made
// ready for injection once and cached: Linux stripped of symbols (≈ 17 MiB less), Windows with
// its Authenticode signature removed (see pe.ts). macOS binaries stay as they are: they must be
// re-signed ad hoc on a Mac after injection (`codesign --sign - bridge-agent`), see README. Every
// platform's ICU data keeps only Bridge's languages (icu-trim.ts; BRIDGE_AGENT_ICU_TRIM=0 keeps all).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '../../protocol/http.ts';
import { PackagingError } from './errors.ts';
import { fetchPackage } from './npm-fetch.ts';
import { removeAuthenticode } from './pe.ts';
import { ICU_TRIM_VERSION, trimIcu } from './icu-trim.ts';
import { NODE_BASE_VERSION, PLATFORMS } from './platforms.ts';

/** Path of the prepared (stripped / unsigned) base binary for a platform, cached. */
export function preparedBaseBinary(cacheDir: string, platform: Platform): string {
  const spec = PLATFORMS[platform];
  const trim = process.env.BRIDGE_AGENT_ICU_TRIM !== '0';
  const dir = join(cacheDir, 'base', `${platform}-${NODE_BASE_VERSION}${trim ? `-icu${ICU_TRIM_VERSION}` : ''}`);
  const out = join(dir, platform === 'win-x64' ? 'node.exe' : 'node');
  if (existsSync(out)) return out;
  const pkg = fetchPackage(cacheDir, spec.basePackage, NODE_BASE_VERSION, spec.baseIntegrity);
  const original = join(pkg, spec.baseBinary);
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.partial-${process.pid}`;
  if (spec.format === 'elf') {
    try {
      execFileSync('strip', ['--strip-all', '-o', tmp, original], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      throw new PackagingError('BRIDGE_STRIP', `strip failed on the Linux base binary (${(err as Error).message.split('\n')[0]}). Install binutils (apt-get install binutils) and package again.`);
    }
  } else if (spec.format === 'pe') {
    writeFileSync(tmp, removeAuthenticode(readFileSync(original)).output);
  } else {
    copyFileSync(original, tmp);
  }
  if (trim) {
    const bin = readFileSync(tmp);
    trimIcu(bin);
    writeFileSync(tmp, bin);
  }
  chmodSync(tmp, 0o755);
  renameSync(tmp, out);
  return out;
}

/** The linux-x64 base binary, used to make the SEA blob (same Node version as every base). */
export function blobMaker(cacheDir: string): string {
  return preparedBaseBinary(cacheDir, 'linux-x64');
}
