// Fetches one npm package tarball with `npm pack` (the registry is the only network we have)
// into .cache/npm, checks its sha512 against the pin, and unpacks it once. Lazy on purpose:
// four Node base binaries are ~180 MB of tarballs, so `npm ci` never pays for them; packaging
// fetches only the platforms it builds, once per machine.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PackagingError } from './errors.ts';

export function tarballName(name: string, version: string): string {
  return `${name.replace(/^@/, '').replace(/\//g, '-')}-${version}.tgz`;
}

function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** Returns the unpacked package directory (the tarball's `package/`). */
export function fetchPackage(cacheDir: string, name: string, version: string, integrity: string): string {
  const dir = join(cacheDir, 'npm');
  const unpacked = join(dir, `${tarballName(name, version).replace(/\.tgz$/, '')}`);
  if (existsSync(join(unpacked, 'package', 'package.json'))) return join(unpacked, 'package');
  mkdirSync(dir, { recursive: true });
  const tgz = join(dir, tarballName(name, version));
  if (!existsSync(tgz) || integrityOf(tgz) !== integrity) {
    try {
      execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', dir, '--silent', '--no-fund', '--no-audit'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        shell: process.platform === 'win32',
      });
    } catch (err) {
      throw new PackagingError('BRIDGE_PACKAGE_FETCH', `could not fetch ${name}@${version} from the npm registry (${(err as Error).message.split('\n')[0]}). Check the network or the npm registry setting, then run packaging again.`);
    }
  }
  const got = integrityOf(tgz);
  if (got !== integrity) {
    rmSync(tgz, { force: true });
    throw new PackagingError('BRIDGE_PACKAGE_INTEGRITY', `${name}@${version} does not match its pinned sha512 (got ${got.slice(0, 24)}…). The registry served different bytes; refusing to build with them.`);
  }
  // Unpack to a temp name first so an interrupted run never leaves a half-unpacked cache.
  const tmp = `${unpacked}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', tmp], { stdio: 'ignore' });
  rmSync(unpacked, { recursive: true, force: true });
  renameSync(tmp, unpacked);
  return join(unpacked, 'package');
}
