// Puts one project module in place of another in one app's bundle. esbuild's `alias` swaps
// packages only; this swaps files imported by relative path (the customer chat's codec,
// docs/ARCHITECTURE.md "Web chat" → "Size").
import type { Plugin } from 'esbuild';
import { basename, join, resolve } from 'node:path';

/** `swaps`: module → its replacement, both relative to `root`. */
export function swapPlugin(root: string, swaps: Record<string, string>): Plugin {
  const to = new Map(Object.entries(swaps).map(([from, by]) => [join(root, from), join(root, by)]));
  const names = [...to.keys()].map((p) => basename(p).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return {
    name: 'swap-modules',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^\\..*/(${names.join('|')})$`) }, (args) => {
        const by = to.get(resolve(args.resolveDir, args.path));
        return by ? { path: by } : undefined;
      });
    },
  };
}
