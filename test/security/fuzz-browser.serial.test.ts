// The browser decode path under hostile input, in Debian's Chromium: the protocol codec as
// bundled for the chat, the console and the agent window, and the console's screen viewer fed
// schema-valid frames with garbage pixels (what a malicious agent could send). decode() never
// throws; the viewer never wedges: it acks every frame, survives bad rects, deflate bombs and
// absurd sizes, and still draws the next good frame.
import { build } from 'esbuild';
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { fileURLToPath } from 'node:url';
import { createDeflateRaw, deflateRawSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encode, ErrorCode, MAX_BULK_BYTES, type Msg, type Rect } from '../../protocol/index.ts';
import { SAMPLES } from '../protocol/samples.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';

let tb: TestBrowser;
let page: Page;
let seq = 0;
const packr = new Packr({ useRecords: true, moreTypes: false });
const CODES = new Set<string>(Object.values(ErrorCode));
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

test.before(async () => {
  tb = await launchBrowser();
  const out = await build({ entryPoints: [fileURLToPath(new URL('./browser-fuzz-page.ts', import.meta.url))], bundle: true, write: false, format: 'iife', target: 'chrome100', logLevel: 'silent' });
  page = await tb.browser.newPage();
  page.on('crash', () => { throw new Error('the page crashed'); });
  await page.setContent('<!doctype html><body></body>');
  await page.addScriptTag({ content: out.outputFiles[0].text });
});
test.after(async () => {
  await tb?.close();
});

async function decodeInPage(list: Uint8Array[]): Promise<{ ok: number; codes: string[] }> {
  const r = await page.evaluate((l) => (window as any).fuzz.decodeAll(l), list.map(b64));
  assert.is(r.threw, null, `decode threw in the browser: ${r.threw}`);
  for (const c of r.codes) assert.ok(CODES.has(c), `unknown code ${c}`);
  return r;
}

async function feed(frames: Msg<'frame'>[], timeoutMs = 20_000): Promise<number> {
  let timer!: ReturnType<typeof setTimeout>;
  const r = await Promise.race([
    page.evaluate((l) => (window as any).fuzz.feed(l), frames.map((f) => b64(encode(f)))),
    new Promise<never>((_, j) => { timer = setTimeout(() => j(new Error('the viewer wedged')), timeoutMs); }),
  ]).finally(() => clearTimeout(timer));
  assert.is(r.threw, null, `the viewer threw: ${r.threw}`);
  return r.acks;
}

/** After whatever came before, a good frame still draws: the viewer is alive. */
async function assertDrawsGoodFrame(): Promise<void> {
  const colour = 0x10a0f0;
  const acks = await feed([{ t: 'frame', sessionId: 's1', seq: ++seq, display: 0, w: 64, h: 48, ts: Date.now(), rects: [{ k: 'fill', x: 0, y: 0, w: 64, h: 48, c: colour }] }]);
  assert.ok(acks > 0);
  assert.equal(await page.evaluate(() => (window as any).fuzz.size()), [64, 48]);
  assert.is(await page.evaluate(() => (window as any).fuzz.pixel(5, 5)), colour);
}

test('decode in the browser bundle: random, msgpack, truncated, bit-flipped and wrong-typed input never throws', async () => {
  const arbs = fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 2048 }),
    fc.anything().map((v) => { try { return packr.pack(v) as Uint8Array; } catch { return new Uint8Array([0xc1]); } }),
    fc.tuple(fc.constantFrom(...SAMPLES), fc.double({ min: 0, max: 1, noNaN: true })).map(([m, f]) => { const b = encode(m); return b.subarray(0, Math.floor(b.length * f)); }),
    fc.tuple(fc.constantFrom(...SAMPLES), fc.nat(), fc.integer({ min: 0, max: 7 })).map(([m, i, bit]) => { const b = encode(m).slice(); b[i % b.length] ^= 1 << bit; return b; }),
    fc.tuple(fc.constantFrom(...SAMPLES), fc.anything()).map(([m, v]) => { const keys = Object.keys(m).filter((k) => k !== 't'); const o: Record<string, unknown> = { ...m }; if (keys.length) o[keys[0]] = v; try { return packr.pack(o) as Uint8Array; } catch { return encode(m); } }),
  );
  const batches = fc.sample(fc.array(arbs, { minLength: 50, maxLength: 50 }), 40);
  let ok = 0;
  for (const batch of batches) ok += (await decodeInPage(batch)).ok;
  // Oversized input is refused by size, before msgpack sees it.
  const big = await decodeInPage([new Uint8Array(MAX_BULK_BYTES + 1)]);
  assert.equal(big.codes, [ErrorCode.TooLarge]);
  assert.ok(ok >= 0);
});

const coord = fc.integer({ min: -100, max: 3000 });
const edge = fc.integer({ min: 1, max: 512 });
const box = fc.record({ x: coord, y: coord, w: edge, h: edge });
const hostileRect: fc.Arbitrary<Rect> = fc.oneof(
  box.chain((b) => fc.integer({ min: 0, max: 0xffffff }).map((c) => ({ k: 'fill' as const, ...b, c }))),
  box.chain((b) => fc.record({
    colors: fc.uint8Array({ maxLength: 800 }),
    data: fc.oneof(fc.uint8Array({ maxLength: 512 }), fc.uint8Array({ maxLength: 4096 }).map((ix) => new Uint8Array(deflateRawSync(ix)))),
  }).map((p) => ({ k: 'palette' as const, ...b, ...p }))),
  box.chain((b) => fc.uint8Array({ maxLength: 2048 }).map((data) => ({ k: 'jpeg' as const, ...b, data }))),
  box.chain((b) => fc.record({ sx: coord, sy: coord }).map((s) => ({ k: 'copy' as const, ...b, ...s }))),
);

test('the viewer under hostile frames (garbage pixels, bad deflate, out-of-bounds rects and copies): acks all, keeps drawing', async () => {
  const frames = fc.sample(fc.record({ w: fc.integer({ min: 1, max: 2560 }), h: fc.integer({ min: 1, max: 1600 }), rects: fc.array(hostileRect, { maxLength: 8 }) }), 100)
    .map((f) => ({ t: 'frame' as const, sessionId: 's1', seq: ++seq, display: 0, ts: Date.now(), ...f }));
  const before = await feed([]);
  for (let i = 0; i < frames.length; i += 25) {
    const acks = await feed(frames.slice(i, i + 25));
    assert.is(acks, before + Math.min(i + 25, frames.length), 'every frame is acked, drawable or not (the agent must never stall)');
  }
  await assertDrawsGoodFrame();
});

test('a palette deflate bomb (512 MiB of indices in ~0.5 MB) is refused quickly instead of inflating it all', async () => {
  // Deflate 512 MiB of zeros in pieces (never holding it), giving ≈ 0.5 MB of compressed data.
  const bomb = await new Promise<Uint8Array<ArrayBuffer>>((resolve) => {
    const z = createDeflateRaw({ level: 9 });
    const parts: Buffer[] = [];
    z.on('data', (d: Buffer) => parts.push(d));
    z.on('end', () => resolve(Uint8Array.from(Buffer.concat(parts))));
    const zeros = Buffer.alloc(16 * 1024 * 1024);
    let left = 32;
    const pump = () => { while (left > 0) { left--; if (!z.write(zeros)) { z.once('drain', pump); return; } } z.end(); };
    pump();
  });
  assert.ok(bomb.byteLength < 2 * 1024 * 1024);
  const t0 = Date.now();
  await feed([{ t: 'frame', sessionId: 's1', seq: ++seq, display: 0, w: 64, h: 64, ts: Date.now(), rects: [{ k: 'palette', x: 0, y: 0, w: 16, h: 16, colors: new Uint8Array([255, 0, 0]), data: bomb }] }], 30_000);
  const ms = Date.now() - t0;
  if (process.env.FUZZ_VERBOSE) console.log(`bomb handled in ${ms} ms`);
  assert.ok(ms < 3000, `the bomb took ${ms} ms to handle`);
  await assertDrawsGoodFrame();
});

test('absurd sizes (a 16384×16384 screen, a huge image rect) don\'t kill the viewer', async () => {
  await feed([{ t: 'frame', sessionId: 's1', seq: ++seq, display: 0, w: 16384, h: 16384, ts: Date.now(), rects: [{ k: 'fill', x: 0, y: 0, w: 16384, h: 16384, c: 0xff0000 }] }], 60_000);
  await feed([{ t: 'frame', sessionId: 's1', seq: ++seq, display: 0, w: 800, h: 600, ts: Date.now(), rects: [{ k: 'palette', x: 0, y: 0, w: 16384, h: 16384, colors: new Uint8Array(3), data: new Uint8Array(deflateRawSync(Buffer.alloc(10))) }] }], 60_000);
  await assertDrawsGoodFrame();
});

test.run();
