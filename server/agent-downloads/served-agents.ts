// Where the server keeps the agents it serves, and whether one there is current: built for this
// origin, this version and the current agent code. agent-preparer.ts packages what isn't.
import { join } from 'node:path';
import type { Platform } from '../../protocol/http.ts';
import { bundleAgent } from '../../build-scripts/packaging/bundle.ts';
import { projectRoot, readBuildInfo } from '../../build-scripts/packaging/package.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function agentsDir(dataDir: string): string {
  return join(dataDir, 'agents');
}

/** True when the built agent in `outDir` is for this origin and the current agent code. */
export async function isUpToDate(outDir: string, platform: Platform, origin: string, root = projectRoot): Promise<boolean> {
  const info = readBuildInfo(outDir, platform);
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  if (!info || info.serverUrl !== origin || info.version !== version || !info.bundleSha256) return false;
  const bundle = await bundleAgent({ root, entry: 'agent/main.ts', serverUrl: origin, version, platform });
  return createHash('sha256').update(bundle.code).digest('hex') === info.bundleSha256;
}
