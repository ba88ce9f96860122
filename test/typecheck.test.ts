// The whole tree typechecks under the strict tsconfig: esbuild and tsx strip types without
// checking them, so this is where a wrong type shows up.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

test('tsc --noEmit reports no errors', () => {
  // typescript's package exports don't include its bin, so name the file.
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', fileURLToPath(new URL('..', import.meta.url))], { encoding: 'utf8', timeout: 180_000 });
  const out = `${r.stdout}${r.stderr}`.trim();
  assert.is(r.status, 0, out.split('\n').slice(0, 20).join('\n'));
});

test.run();
