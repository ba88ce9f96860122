// Where the window bundle (dist/agent-window, built by build-scripts/build.ts) is found. From
// source it's in the repository's dist/; the packaged build serves the copy embedded in its
// binary. BRIDGE_AGENT_WINDOW_DIR, when set, names a directory that wins over both.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedAsset, embeddedAssetKeys } from '../../runtime/sea.ts';

declare const __dirname: string | undefined;
const override: string | null = process.env.BRIDGE_AGENT_WINDOW_DIR ?? null;

function repoRoot(): string {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  return join(here, '..', '..', '..'); // agent/window/host → the repository
}

function windowAssetsDir(): string {
  return override ?? join(repoRoot(), 'dist', 'agent-window');
}

/** From source: build the window bundle if it isn't there yet (packaged builds always carry it). */
export async function ensureWindowAssets(): Promise<void> {
  const dir = windowAssetsDir();
  if (existsSync(join(dir, 'app.js')) || override) return;
  const script = join(repoRoot(), 'build-scripts', 'build.ts');
  if (!existsSync(script)) return;
  const mod = (await import(/* @vite-ignore */ script)) as { buildApps(o: { quiet: boolean }): Promise<void> };
  await mod.buildApps({ quiet: true });
}

/** The window files to serve: from the SEA's embedded assets when packaged, else a directory. */
export interface WindowAssets { has(name: string): boolean; read(name: string): Buffer }

export function windowAssets(packaged: boolean): WindowAssets {
  if (packaged && !override) {
    const prefix = 'files/agent-window/';
    const names = new Set(embeddedAssetKeys(prefix).map((k) => k.slice(prefix.length)));
    return { has: (n) => names.has(n), read: (n) => embeddedAsset(prefix + n) };
  }
  const dir = windowAssetsDir();
  return {
    has: (n) => existsSync(dir) && readdirSync(dir).includes(n),
    read: (n) => readFileSync(join(dir, n)),
  };
}
