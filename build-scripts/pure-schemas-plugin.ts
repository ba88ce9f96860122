// Marks the valibot calls that build the protocol's schemas as pure, so a bundle keeps only the
// schemas it uses (docs/ARCHITECTURE.md "Web chat" → "Size"). valibot declares its functions
// free of side effects (`@__NO_SIDE_EFFECTS__`), but esbuild honours that only inside the file
// that declares them, so every `v.object(...)` in protocol/messages would stay in every bundle.
// Only files whose valibot calls build schemas are rewritten (a `v.parse(...)` run for its throw
// must never be marked).
import type { Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';

/** Files of schema definitions only, relative to the project root. */
const SCHEMA_FILES = /\/protocol\/(messages\/[a-z-]+|http|system-events)\.ts$/;
/** valibot's calls, and protocol/messages/common.ts's repRequestTo (a schema of one type). */
const CALL = /(?<![\w$.])(v\.[a-z][A-Za-z]*|repRequestTo)\(/g;

export const pureSchemasPlugin: Plugin = {
  name: 'pure-schemas',
  setup(b) {
    b.onLoad({ filter: SCHEMA_FILES }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      return { contents: text.replace(CALL, '/* @__PURE__ */ $1('), loader: 'ts' };
    });
  },
};
