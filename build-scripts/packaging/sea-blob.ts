// SEA blob and injection. The blob is made by running the linux-x64 base binary itself with
// --experimental-sea-config, so its format always matches the Node version of every base binary
// (they are pinned to one version). No code cache or snapshot: those are tied to the platform
// that made them, and the same blob format serves all four targets.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PackagingError } from './errors.ts';
import { SEA_FUSE, SEA_RESOURCE, type PlatformSpec } from './platforms.ts';

/**
 * `main` is relative to workDir: the blob records the path as given, and a temp dir's random
 * name (or the build machine's paths) in it would make every build different.
 */
export function makeBlob(opts: { nodeBinary: string; workDir: string; main: string; assets: Record<string, string> }): Buffer {
  const output = join(opts.workDir, 'sea-prep.blob');
  const config = {
    main: opts.main,
    output,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
    // Sorted keys: the blob must not depend on the order we happened to collect files in.
    assets: Object.fromEntries(Object.entries(opts.assets).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
  const configPath = join(opts.workDir, 'sea-config.json');
  writeFileSync(configPath, JSON.stringify(config, null, 1));
  try {
    execFileSync(opts.nodeBinary, ['--experimental-sea-config', configPath], { cwd: opts.workDir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '');
    throw new PackagingError('BRIDGE_SEA_BLOB', `making the SEA blob failed: ${stderr.trim() || (err as Error).message}. The blob is made with the linux-x64 base binary, so packaging must run on linux-x64.`);
  }
  return readFileSync(output);
}

/** Injects the blob into a copy of the base binary at `file` (modified in place). */
export async function injectBlob(file: string, blob: Buffer, spec: PlatformSpec): Promise<void> {
  // postject (LIEF in wasm) logs progress and harmless ELF-note warnings through console;
  // keep the packaging progress readable.
  const { log, warn } = console;
  console.log = () => {};
  console.warn = () => {};
  try {
    // Loaded on use: postject carries LIEF as a large wasm module the server needn't parse at start.
    const { inject } = await import('postject');
    await inject(file, SEA_RESOURCE, blob, {
      sentinelFuse: SEA_FUSE,
      machoSegmentName: spec.format === 'macho' ? 'NODE_SEA' : undefined,
      overwrite: false,
    });
  } catch (err) {
    throw new PackagingError('BRIDGE_SEA_INJECT', `postject could not inject the agent into the ${spec.platform} base binary: ${(err as Error).message}`);
  } finally {
    console.log = log;
    console.warn = warn;
  }
}
