// The diagnostics runner's limits: a step that hangs (a real program that sleeps, or a promise
// that never settles) is cut off with status timeout and its program killed, the others are still
// collected; the whole run stops at its total limit; the report fits one message.
import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DIAG_REPORT_BYTES, DiagnosticsReport, encode } from '../../protocol/index.ts';
import * as v from 'valibot';
import { fitReport, runDiagnostics } from '../../agent/diagnostics/runner.ts';
import type { Step } from '../../agent/diagnostics/types.ts';

const quick = (id: string): Step => ({ id, title: id, run: async (t) => ({ data: { out: (await t.exec('echo', [id])).stdout.trim() }, text: id }) });

test('a hanging program is cut off and killed; the other steps are collected', async () => {
  const marker = `diag-sleep-${process.pid}`;
  const steps: Step[] = [
    quick('a'),
    { id: 'hang', title: 'Hangs', run: async (t) => ({ data: (await t.exec('bash', ['-c', `exec -a ${marker} sleep 30`])).stdout, text: '' }) },
    { id: 'never', title: 'Never settles', run: () => new Promise(() => {}) },
    { id: 'missing', title: 'Missing tool', run: async (t) => ({ data: await t.exec('no-such-tool-here', []), text: '' }) },
    { id: 'throws', title: 'Throws', run: async () => { throw new Error('parser said no'); } },
    quick('b'),
  ];
  const t0 = Date.now();
  const r = await runDiagnostics(steps, { stepMs: 400, totalMs: 5000, concurrency: 3 });
  const took = Date.now() - t0;
  assert.ok(took < 1500, `took ${took} ms`);
  const s = Object.fromEntries(r.sections.map((x) => [x.id, x]));
  assert.equal(r.sections.map((x) => x.id), ['a', 'hang', 'never', 'missing', 'throws', 'b'], 'in step order');
  assert.equal([s.a.status, s.a.data], ['ok', { out: 'a' }]);
  assert.equal([s.b.status, s.b.data], ['ok', { out: 'b' }]);
  assert.is(s.hang.status, 'timeout');
  assert.ok(s.hang.ms >= 390 && s.hang.ms < 1000, `cut at ${s.hang.ms} ms`);
  assert.is(s.never.status, 'timeout');
  assert.is(s.missing.status, 'unavailable');
  assert.is(s.throws.status, 'error');
  assert.match(s.throws.text, /parser said no/);
  await new Promise((res) => setTimeout(res, 100));
  let left = '';
  try { left = execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }); } catch { /* none: exit 1 */ }
  assert.is(left.trim(), '', 'the sleeping program was killed');
  assert.ok(v.safeParse(DiagnosticsReport, r).success, 'the report passes the protocol schema');
});

test('the whole run stops at its total limit: steps not started are reported as cut off', async () => {
  const slow: Step = { id: 'slow', title: 'Slow', run: () => new Promise((res) => setTimeout(() => res({ data: null, text: 'done' }), 250)) };
  const steps = Array.from({ length: 6 }, (_, i) => ({ ...slow, id: `s${i}` }));
  const t0 = Date.now();
  const r = await runDiagnostics(steps, { stepMs: 1000, totalMs: 400, concurrency: 1 });
  assert.ok(Date.now() - t0 < 900, 'stopped near the total limit');
  // s0 runs; s1 gets only what is left of the total and is cut; the rest never start.
  assert.equal(r.sections.map((s) => s.status), ['ok', 'timeout', 'timeout', 'timeout', 'timeout', 'timeout']);
  assert.match(r.sections.at(-1)!.text, /time for the whole collection was up/);
});

test('section texts are capped and a huge report is fitted into one message', async () => {
  const big: Step = { id: 'big', title: 'Big', run: async () => ({ data: { list: Array.from({ length: 20000 }, (_, i) => `package-${i}`) }, text: 'x'.repeat(500_000) }) };
  const r = await runDiagnostics([big, { ...big, id: 'big2' }, { ...big, id: 'big3' }], { stepMs: 2000 });
  assert.ok(r.sections.every((s) => s.text.length <= 64 * 1024), 'each text capped');
  assert.match(r.sections[0].text, /more characters not sent/);
  const size = encode({ t: 'diag.report', sessionId: 's', requestId: 'r', report: r }).byteLength;
  assert.ok(size <= DIAG_REPORT_BYTES, `${size} bytes`);
  const huge = fitReport({ collectedAt: 1, platform: 'linux', sections: [{ id: 'a', title: 'A', status: 'ok', ms: 1, data: { blob: 'y'.repeat(2_000_000) }, text: 'small' }] });
  assert.equal(huge.sections[0].data, { omitted: 'too large to send' });
});

test.run();
