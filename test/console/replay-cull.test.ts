// Seeking draws only the rects that still show at the target (console/replay/cull.ts): for any
// run of frames of fills and copies (copies read what earlier rects left), painting the culled
// frames gives exactly the picture of painting them all, and a repainted area is not decoded twice.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { Msg, Rect } from '../../protocol/index.ts';
import { cullFrames } from '../../console/replay/cull.ts';
import { applyRects, type RgbaImage } from '../helpers/frame-decoder.ts';

const W = 70, H = 50; // not multiples of the 16-pixel cells, so edge cells are exercised

const box = fc.record({ x: fc.integer({ min: 0, max: W - 1 }), y: fc.integer({ min: 0, max: H - 1 }) })
  .chain(({ x, y }) => fc.record({ x: fc.constant(x), y: fc.constant(y), w: fc.integer({ min: 1, max: W - x }), h: fc.integer({ min: 1, max: H - y }) }));
const rect: fc.Arbitrary<Rect> = fc.oneof(
  box.chain((b) => fc.integer({ min: 0, max: 0xffffff }).map((c): Rect => ({ k: 'fill', ...b, c }))),
  box.chain((b) => fc.record({ sx: fc.integer({ min: 0, max: W - b.w }), sy: fc.integer({ min: 0, max: H - b.h }) }).map((s): Rect => ({ k: 'copy', ...b, ...s }))),
);
const frames = fc.array(fc.array(rect, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 })
  .map((list) => list.map((rects, seq): { frame: Msg<'frame'> } => ({ frame: { t: 'frame', sessionId: 's', seq, display: 0, w: W, h: H, ts: 0, rects } })));

async function picture(items: { frame: Msg<'frame'> }[]): Promise<Buffer> {
  // A start picture that isn't flat, so a wrong copy shows.
  const img: RgbaImage = { width: W, height: H, data: Buffer.alloc(W * H * 4) };
  for (let i = 0; i < img.data.length; i++) img.data[i] = (i * 37) & 0xff;
  for (const { frame } of items) await applyRects(img, frame.rects);
  return img.data;
}

test('painting the culled frames gives the same picture as painting them all', async () => {
  await fc.assert(fc.asyncProperty(frames, async (items) => {
    assert.ok((await picture(cullFrames(items))).equals(await picture(items)));
  }), { numRuns: 300 });
});

test('a tile painted again later is dropped, a copy keeps its source', () => {
  const f = (seq: number, rects: Rect[]) => ({ frame: { t: 'frame' as const, sessionId: 's', seq, display: 0, w: 64, h: 64, ts: 0, rects } });
  const out = cullFrames([
    f(1, [{ k: 'fill', x: 0, y: 0, w: 32, h: 32, c: 1 }, { k: 'fill', x: 32, y: 0, w: 32, h: 32, c: 2 }]),
    f(2, [{ k: 'fill', x: 0, y: 0, w: 32, h: 32, c: 3 }]),
    f(3, [{ k: 'copy', x: 0, y: 32, w: 32, h: 32, sx: 32, sy: 0 }]),
  ]);
  assert.equal(out.map((i) => i.frame.rects.map((r) => ('c' in r ? r.c : r.k))), [[2], [3], ['copy']]);
});

test.run();
