// The screen viewer in a real Chromium: the known frame sequence (fills, a palette tile, a JPEG
// rect, a copy) decoded by the console's own decoders; pixels read back with getImageData.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { encode } from '../../protocol/index.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { colourDistance, H, knownFrames, W } from './frames.ts';

let tb: TestBrowser;

test.before(async () => {
  tb = await launchBrowser();
});
test.after(async () => {
  await tb?.close();
});

test('decodes fill, palette, jpeg and copy rects in order and acks each frame after drawing', async () => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./viewer-page.ts', import.meta.url))],
    bundle: true, write: false, format: 'iife', target: 'chrome100', jsx: 'automatic', jsxImportSource: 'preact',
  });
  const page = await tb.browser.newPage();
  await page.setContent('<!doctype html><body></body>');
  await page.addScriptTag({ content: out.outputFiles[0].text });
  const { frames, expect } = await knownFrames('s1');
  for (const f of frames) {
    const err = await page.evaluate((b64) => (window as any).viewer.feed(b64), Buffer.from(encode(f)).toString('base64'));
    assert.is(err, null);
  }
  await page.evaluate(() => (window as any).viewer.idle());
  assert.equal(await page.evaluate(() => (window as any).viewer.size()), [W, H]);
  for (const e of expect) {
    const got = await page.evaluate(([x, y]) => (window as any).viewer.pixel(x, y), e.at);
    const d = colourDistance(got, e.rgb);
    assert.ok(d <= e.tolerance, `${e.what}: got #${got.toString(16).padStart(6, '0')}, want #${e.rgb.toString(16).padStart(6, '0')} (distance ${d})`);
  }
  const acks = await page.evaluate(() => (window as any).viewer.sent());
  assert.equal(acks.filter((m: { t: string }) => m.t === 'frame.ack').map((m: { seq: number }) => m.seq), [1, 2, 3, 4]);
  await page.close();
});

test.run();
