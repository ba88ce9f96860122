// Small parts of packaging and download, without building an agent: Accept-Encoding
// negotiation, Authenticode removal on the real node.exe, ICU data trimmed to Bridge's languages,
// origin checks, platform guessing.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fetchPackage } from '../../build-scripts/packaging/npm-fetch.ts';
import { defaultCacheDir, normalizeServerUrl } from '../../build-scripts/packaging/package.ts';
import { hasAuthenticode, removeAuthenticode } from '../../build-scripts/packaging/pe.ts';
import { preparedBaseBinary } from '../../build-scripts/packaging/base-binary.ts';
import { trimIcu } from '../../build-scripts/packaging/icu-trim.ts';
import { NODE_BASE_VERSION, PLATFORMS } from '../../build-scripts/packaging/platforms.ts';
import { acceptedEncodings } from '../../server/http/download.ts';
import { downloadPageHtml, guessPlatform, runInstructions } from '../../server/http/download-page.ts';
import { detectDevice } from '../../protocol/device.ts';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const IPAD_DESKTOP = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

test('Accept-Encoding: br preferred, q-values honoured, q=0 refused, * covers the rest', () => {
  assert.equal(acceptedEncodings('gzip, deflate, br, zstd'), ['br', 'gzip']);
  assert.equal(acceptedEncodings('gzip;q=1.0, br;q=0.5'), ['gzip', 'br']);
  assert.equal(acceptedEncodings('br;q=0, gzip'), ['gzip']);
  assert.equal(acceptedEncodings('identity'), []);
  assert.equal(acceptedEncodings(undefined), []);
  assert.equal(acceptedEncodings('*'), ['br', 'gzip']);
  assert.equal(acceptedEncodings('*;q=0.1, br;q=0'), ['gzip']);
});

test('the Windows base binary loses its Authenticode signature and nothing else', () => {
  const spec = PLATFORMS['win-x64'];
  const pkg = fetchPackage(defaultCacheDir, spec.basePackage, NODE_BASE_VERSION, spec.baseIntegrity);
  const original = readFileSync(join(pkg, spec.baseBinary));
  assert.ok(hasAuthenticode(original), 'node.exe from npm is signed');
  const { output, removedBytes } = removeAuthenticode(original);
  assert.not.ok(hasAuthenticode(output));
  assert.ok(removedBytes > 1000 && removedBytes < 64 * 1024, `certificate table of ${removedBytes} bytes`);
  assert.is(output.length, original.length - removedBytes);
  assert.is(removeAuthenticode(output).removedBytes, 0, 'idempotent');
  assert.throws(() => removeAuthenticode(Buffer.from('not a PE file at all, just some text padding it out to 64 bytes...')), /no MZ header/);
});

test('the prepared bases keep ICU locale data for Bridge\'s languages only, and Intl still works', () => {
  const node = preparedBaseBinary(defaultCacheDir, 'linux-x64');
  const script = `console.log(JSON.stringify({
    supported: Intl.DateTimeFormat.supportedLocalesOf(['en', 'de', 'fr', 'es', 'ar', 'es-MX', 'ja', 'ru']),
    de: new Intl.DateTimeFormat('de', { dateStyle: 'full', timeZone: 'UTC' }).format(0),
    ar: new Intl.ListFormat('ar').format(['a', 'b']),
    ja: new Intl.DateTimeFormat('ja', { dateStyle: 'full', timeZone: 'UTC' }).format(0),
    sort: ['b', 'ä', 'a'].sort((x, y) => x.localeCompare(y)),
  }))`;
  const r = spawnSync(node, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(out.supported, ['en', 'de', 'fr', 'es', 'ar', 'es-MX']);
  assert.equal(out.de, 'Donnerstag, 1. Januar 1970');
  assert.equal(out.ar, 'a وb');
  // A dropped language falls back (to the default, English) rather than failing.
  assert.equal(out.ja, 'Thursday, January 1, 1970');
  assert.equal(out.sort, ['a', 'ä', 'b']);
  // Windows' base (PE) is trimmed the same way: nothing is left to drop.
  for (const p of ['linux-x64', 'win-x64'] as const) assert.equal(trimIcu(readFileSync(preparedBaseBinary(defaultCacheDir, p))).dropped, 0);
});

test('the server URL must be an http(s) origin', () => {
  assert.is(normalizeServerUrl('https://support.example.com/some/path'), 'https://support.example.com');
  assert.is(normalizeServerUrl('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
  assert.throws(() => normalizeServerUrl('support.example.com'), /http\(s\) origin/);
  assert.throws(() => normalizeServerUrl('ftp://x'), /http or https/);
});

test('download page: platform from the User-Agent, instructions per platform', () => {
  assert.is(guessPlatform('Mozilla/5.0 (X11; Linux x86_64) Chrome/120'), 'linux-x64');
  assert.is(guessPlatform('Mozilla/5.0 (Windows NT 10.0; Win64; x64)'), 'win-x64');
  assert.is(guessPlatform('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)'), 'darwin-arm64');
  assert.is(guessPlatform('Mozilla/5.0 (Linux; Android 14)'), null);
  assert.is(guessPlatform(IPHONE), null, 'an iPhone names Mac OS X but runs no agent');
  const states = [{ platform: 'linux-x64' as const, state: 'ready' as const, readyInSec: 0 }];
  assert.match(downloadPageHtml('XRR5363', states, IPHONE), /an iPhone: screen sharing needs a Windows, Mac or Linux computer/);
  assert.match(downloadPageHtml('XRR5363', states, 'Mozilla/5.0 (Linux; Android 14; Pixel 8)'), /an Android device: screen sharing needs/);
  assert.not.match(downloadPageHtml('XRR5363', states, 'Mozilla/5.0 (X11; Linux x86_64)'), /needs a Windows/);
  assert.ok(runInstructions('linux-x64', 'XRR5363').some((s) => s.includes('chmod +x bridge-agent-XRR5363 && ./bridge-agent-XRR5363')));
  assert.ok(runInstructions('win-x64', 'XRR5363').some((s) => s.includes('bridge-agent-XRR5363.exe')));
  assert.ok(runInstructions('darwin-arm64', 'XRR5363').some((s) => s.includes('codesign --force --sign -')));
});

test('devices: phones and tablets are named and get no agent; iPadOS asking as a Mac is told apart by touch', () => {
  assert.equal(detectDevice(IPHONE), { os: 'iOS', agent: null });
  assert.equal(detectDevice(IPAD_DESKTOP, 5), { os: 'iPadOS', agent: null });
  assert.equal(detectDevice(IPAD_DESKTOP, 0), { os: 'macOS', agent: 'darwin-arm64' });
  assert.equal(detectDevice('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126 Mobile Safari/537.36'), { os: 'Android', agent: null });
  assert.equal(detectDevice('Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) Chrome/126'), { os: 'ChromeOS', agent: null });
  assert.equal(detectDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126'), { os: 'Windows', agent: 'win-x64' });
  assert.equal(detectDevice(undefined), { os: 'unknown', agent: null });
});

test.run();
