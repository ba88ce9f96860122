// `npm start` serves an agent for the machine it runs on without a separate packaging step:
// on start the server calls ensureHostAgent(), which packages the host platform's agent for the
// server's own origin into <dataDir>/agents when it is missing or out of date (another origin,
// another version, changed agent code), then precompresses it in the background.
import { join } from 'node:path';
import type { Platform } from '../../protocol/http.ts';
import { bundleAgent } from './bundle.ts';
import { precompressAll } from './compress.ts';
import { PackagingError } from './errors.ts';
import { binaryName, normalizeServerUrl, packageAgent, projectRoot, readBuildInfo } from './package.ts';
import { hostPlatform } from './platforms.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ProgressFn } from './progress.ts';

export function agentsDir(dataDir: string): string {
  return join(dataDir, 'agents');
}

const inFlight = new Map<string, Promise<string>>();

/** True when the built agent in `outDir` is for this origin and the current agent code. */
export async function isUpToDate(outDir: string, platform: Platform, origin: string, root = projectRoot): Promise<boolean> {
  const info = readBuildInfo(outDir, platform);
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  if (!info || info.serverUrl !== origin || info.version !== version || !info.bundleSha256) return false;
  const bundle = await bundleAgent({ root, entry: 'agent/main.ts', serverUrl: origin, version, platform });
  return createHash('sha256').update(bundle.code).digest('hex') === info.bundleSha256;
}

/**
 * Returns the path of the host platform's agent for `origin`, packaging it first if needed.
 * Concurrent calls share one build. Precompression (gzip, then brotli) continues after return.
 */
export function ensureHostAgent(opts: { origin: string; dataDir: string; progress?: ProgressFn; root?: string }): Promise<string> {
  const platform = hostPlatform();
  if (!platform) {
    return Promise.reject(new PackagingError('BRIDGE_HOST_PLATFORM', `this server runs on ${process.platform}-${process.arch}, which is not an agent platform; package agents with npm run package-agent -- --platform ...`));
  }
  const origin = normalizeServerUrl(opts.origin);
  const outDir = agentsDir(opts.dataDir);
  const id = `${outDir}|${platform}|${origin}`;
  const running = inFlight.get(id);
  if (running) return running;
  const file = join(outDir, binaryName(platform));
  const job = (async () => {
    if (!(await isUpToDate(outDir, platform, origin, opts.root))) {
      await packageAgent({ serverUrl: origin, platforms: [platform], outDir, root: opts.root, progress: opts.progress });
    }
    void precompressAll(file).catch((err: unknown) => console.error(`bridge: compressing ${file} failed: ${(err as Error).message}`));
    return file;
  })().finally(() => inFlight.delete(id));
  inFlight.set(id, job);
  return job;
}
