// The screen viewer in a real Chromium: the known frame sequence (fills, a palette tile, a JPEG
// rect, a copy) decoded by the console's own decoders; pixels read back with getImageData.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { encode, type Msg } from '../../protocol/index.ts';
import { FrameEncoder } from '../../agent/encode/index.ts';
import * as S from '../helpers/synthetic-screen.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { colourDistance, H, knownFrames, W } from './frames.ts';

let tb: TestBrowser;

test.before(async () => {
  tb = await launchBrowser();
});
test.after(async () => {
  await tb?.close();
});

async function viewerPage() {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./viewer-page.ts', import.meta.url))],
    bundle: true, write: false, format: 'iife', target: 'chrome100', jsx: 'automatic', jsxImportSource: 'preact',
  });
  const page = await tb.browser.newPage();
  await page.setContent('<!doctype html><body></body>');
  await page.addScriptTag({ content: out.outputFiles[0].text });
  return page;
}

test('typing in the stream context: a late viewer and a lost frame ask for a refresh once, the reset heals, lossless', async () => {
  const page = await viewerPage();
  const enc = new FrameEncoder();
  const cur = S.blank(W, H); S.drawTerminal(cur, 3);
  S.fillRect(cur, 0, 160, W, 16, 0x101010);
  let seq = 0;
  const frameOf = async () => {
    const r = await enc.encode(S.clone(cur));
    return { t: 'frame', sessionId: 's1', seq: ++seq, display: 0, w: W, h: H, ts: Date.now(), rects: r.rects, z: r.z } as Msg<'frame'>;
  };
  const feed = async (f: Msg<'frame'>) => assert.is(await page.evaluate((b64) => (window as any).viewer.feed(b64), Buffer.from(encode(f)).toString('base64')), null);
  const type = async (text: string, at: number) => {
    const out: Msg<'frame'>[] = [];
    for (let i = 0; i < text.length; i++) {
      S.drawText(cur, 8 * (at + i), 160, text[i]);
      S.fillRect(cur, 8 * (at + i + 1), 160, 8, 16, 0xd0d0d0);
      out.push(await frameOf());
    }
    return out;
  };
  const refreshes = async () => (await page.evaluate(() => (window as any).viewer.sent())).filter((m: { t: string }) => m.t === 'frame.refresh').length;
  const picture = async () => Buffer.from(await page.evaluate(() => (window as any).viewer.rgb()), 'base64');
  const expected = () => { const b = Buffer.alloc(W * H * 3); for (let i = 0; i < W * H; i++) cur.data.copy(b, i * 3, i * 4, i * 4 + 3); return b; };

  await frameOf(); // the agent's first full frame, before this viewer joined
  const early = await type('cat spool', 0);
  assert.ok(early.every((f) => f.rects.every((r) => r.k === 'zpal')), 'typed glyphs go in the stream context');
  // Joining late: the first frames are out of step, one refresh is asked for.
  for (const f of early.slice(4)) await feed(f);
  await page.evaluate(() => (window as any).viewer.idle());
  assert.is(await refreshes(), 1, 'one refresh for a run of undecodable frames');
  enc.reset(); // the agent answers the refresh
  const full = await frameOf();
  assert.is(full.z, 0);
  await feed(full);
  for (const f of await type(' cat spool', 9)) await feed(f);
  await page.evaluate(() => (window as any).viewer.idle());
  assert.ok((await picture()).equals(expected()), 'in step after the reset: the canvas is the screen');
  // A frame lost on the way (dropped for a backed-up socket): noticed at the next one.
  await new Promise((r) => setTimeout(r, 1100)); // past the refresh's grace period
  const more = await type('er', 19);
  await feed(more[1]);
  await page.evaluate(() => (window as any).viewer.idle());
  assert.is(await refreshes(), 2, 'a lost frame asks for a refresh');
  enc.reset();
  await feed(await frameOf());
  for (const f of await type(' ok', 21)) await feed(f);
  await page.evaluate(() => (window as any).viewer.idle());
  assert.ok((await picture()).equals(expected()), 'healed by the reset');
  await page.close();
});

test('decodes fill, palette, jpeg, png and copy rects in order and acks each frame after drawing', async () => {
  const page = await viewerPage();
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
