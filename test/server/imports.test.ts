// Imports point one way (docs/ARCHITECTURE.md, "Rooms and who imports whom"): no cycles in any
// room, build-scripts/ never imports server/, and from outside server/ only
// server/main.ts (started as a process) and the documented test seams are reached. Read from the
// source files, so a new import that breaks the rule fails here, not in review.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', 'data', 'artifacts']);

/** docs/ARCHITECTURE.md "Test seams": the server modules tests may import directly. */
const SEAMS = new Set(['server/config.ts', 'server/ws/files.ts', 'server/store/sqlite.ts', 'server/store/postgres.ts', 'server/http/download.ts', 'server/http/download-page.ts']);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name) || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** Relative imports (type-only ones too: they tie the modules together just the same). */
const graph = new Map<string, string[]>();
for (const file of sourceFiles(root)) {
  const src = readFileSync(file, 'utf8');
  const deps = [...src.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => relative(root, resolve(dirname(file), m[1])));
  graph.set(relative(root, file), deps);
}

test('no import cycles anywhere', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (!graph.has(d)) continue;
      if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d].join(' → '));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  assert.equal(cycles, []);
});

test('from outside server/ only the documented seams are imported; build-scripts/ imports none', () => {
  const wrong: string[] = [];
  for (const [f, deps] of graph) {
    if (f.startsWith('server/')) continue;
    for (const d of deps) {
      if (!d.startsWith('server/')) continue;
      if (f.startsWith('build-scripts/') || !f.startsWith('test/') || !SEAMS.has(d)) wrong.push(`${f} → ${d}`);
    }
  }
  assert.equal(wrong, []);
});

test.run();
