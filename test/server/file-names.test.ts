// File names from the network lose path parts, control characters and Windows device names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { sanitizeFileName } from '../../server/ws/files.ts';

test('path traversal and devices are neutralised', () => {
  const cases: [string, string][] = [
    ['../../etc/passwd', 'passwd'], ['C:\\Windows\\system32\\x.dll', 'x.dll'], ['CON', '_CON'], ['nul.txt', '_nul.txt'],
    ['com1.log', '_com1.log'], ['report.pdf', 'report.pdf'], ['..', 'file'], ['.bashrc', 'bashrc'], ['a\u0000b.txt', 'ab.txt'],
    ['trail. . ', 'trail'], ['', 'file'], ['con sole.txt', 'con sole.txt'],
  ];
  for (const [input, want] of cases) assert.is(sanitizeFileName(input), want, input);
});

test('any name becomes one safe path segment', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), (name) => {
    const out = sanitizeFileName(name);
    assert.ok(out.length > 0 && out.length <= 200);
    assert.not.match(out, /[.\s]$/);
    assert.not.match(out, /[\\/\u0000-\u001f<>:"|?*]/);
    assert.ok(out !== '.' && out !== '..' && !out.startsWith('.'));
  }), { numRuns: 3000 });
});

test.run();
