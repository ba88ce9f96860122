// The benchmarks are not run by npm test (they measure, they don't assert), but each module must
// still load and export what bench/run.ts calls, so a refactor elsewhere can't break them unseen.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = fileURLToPath(new URL('../../bench/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.startsWith('_') && f !== 'run.ts' && f !== 'types.ts');

for (const f of files) {
  test(`bench/${f} loads and exports run()`, async () => {
    const mod = await import(pathToFileURL(dir + f).href);
    assert.type(mod.run, 'function');
    if ('slow' in mod) assert.type(mod.slow, 'string');
  });
}

test.run();
