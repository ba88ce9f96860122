// The video tier's codec travels in every agent as SEA assets (docs/ARCHITECTURE.md "Video
// tier"): libav.js's WebAssembly build is the same files on every platform, taken from
// node_modules at the version package-lock.json installed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LIBAV_ASSET_DIR, LIBAV_FILES, LIBAV_PACKAGE } from '../../agent/encode/libav-files.ts';
import { PackagingError } from './errors.ts';

/** Asset key → path of each codec file. */
export function codecFiles(root: string): { key: string; path: string }[] {
  return Object.values(LIBAV_FILES).map((file) => {
    const path = join(root, 'node_modules', LIBAV_PACKAGE, file);
    if (!existsSync(path)) throw new PackagingError('BRIDGE_CODEC_MISSING', `${LIBAV_PACKAGE}/${file} is missing; run npm ci (a new version of the package names its files differently: update agent/encode/libav-files.ts).`);
    return { key: LIBAV_ASSET_DIR + file, path };
  });
}
