// Pure parts of the console: the e-mail draft built from the key template.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_TEMPLATE, fillTemplate, mailto } from '../../console/components/KeyDialog.tsx';

test('fillTemplate replaces known placeholders and keeps unknown ones', () => {
  assert.is(fillTemplate('Key {key} for {who}', { key: 'XRR5363' }), 'Key XRR5363 for {who}');
});

test('mailto carries subject and body with the key, link and rep, URL-encoded', () => {
  const key = { key: 'XRR5363', url: 'https://support.example.com/s/abc', accessKey: 'abc', sessionId: 's1', expiresAt: Date.UTC(2030, 0, 1) };
  const href = mailto(key, 'Lisa Kienle', DEFAULT_TEMPLATE);
  assert.ok(href.startsWith('mailto:?subject='));
  const params = new URLSearchParams(href.slice('mailto:?'.length));
  assert.is(params.get('subject'), 'Remote support session with Lisa Kienle');
  const body = params.get('body')!;
  assert.ok(body.includes('https://support.example.com/s/abc'));
  assert.ok(body.includes('https://support.example.com and enter the key XRR5363'));
  assert.ok(!/\{\w+\}/.test(body), 'no placeholder left');
});

test.run();
