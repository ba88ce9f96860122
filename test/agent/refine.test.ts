// Crisp at rest: lossy (JPEG) areas are sent again losslessly once still, until the viewer's
// picture is identical to the screen; refinement only goes when nothing else is in flight.
// Real FrameEncoder and capture loop, decoded by the reference decoder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameEncoder } from '../../agent/encode/index.ts';
import { CaptureLoop, type OutFrame } from '../../agent/capture/capture-loop.ts';
import type { RawFrame } from '../../agent/capture/screen-source.ts';
import { applyRects, diffPixels, StreamContexts } from '../helpers/frame-decoder.ts';
import * as S from '../helpers/synthetic-screen.ts';

const W = 640, H = 360;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An encoder on a hand-driven clock, plus the viewer's image kept in step. */
function pipeline() {
  let t = 1_000;
  const enc = new FrameEncoder({ refineAfterMs: 300, clock: () => t });
  const view = S.blank(W, H, 0xff00ff);
  const streams = new StreamContexts();
  return {
    enc, view,
    advance(ms: number) { t += ms; },
    async send(img: S.RgbaImage, refineBudget = 0) {
      enc.refineBudget = refineBudget;
      const r = await enc.encode(img);
      await applyRects(view, r.rects, streams.frame({ display: 0, z: r.z }));
      return r;
    },
  };
}

function photoScreen(seed: number): S.RgbaImage {
  const img = S.blank(W, H); S.drawDesktop(img); S.drawWindow(img, 20, 20, 300, 200, 3);
  S.drawPhoto(img, 200, 100, 400, 240, seed);
  return img;
}

test('a still photo is refined, in pieces, until the viewer is pixel-identical', async () => {
  const p = pipeline();
  const img = photoScreen(7);
  const first = await p.send(img);
  assert.ok(first.rects.some((r) => r.k === 'jpeg'), 'the photo goes out as JPEG first');
  assert.ok(diffPixels(p.view, img) > 0);
  assert.is(p.enc.refineDueMs(), 300);
  // Not yet still for 300 ms: nothing.
  p.advance(200);
  assert.is((await p.send(S.clone(img), 1e9)).rects.length, 0);
  p.advance(100);
  assert.is(p.enc.refineDueMs(), 0);
  // No budget (something in flight): nothing either.
  assert.is((await p.send(S.clone(img), 0)).rects.length, 0);
  let pieces = 0;
  while (p.enc.refineDueMs() !== null) {
    const r = await p.send(S.clone(img), 40_000); // ≈ 13,000 px (3 tiles) per piece
    assert.ok(r.rects.length > 0 && r.rects.every((x) => x.k !== 'jpeg'), 'lossless pieces');
    pieces++;
    assert.ok(pieces < 100);
  }
  assert.ok(pieces > 3, `${pieces} pieces`);
  assert.is(diffPixels(p.view, img), 0, 'identical at rest');
  assert.is((await p.send(S.clone(img), 1e9)).rects.length, 0, 'then silent');
});

test('a change to a lossy area postpones its refinement; a moved photo window is refined where it lands', async () => {
  const p = pipeline();
  const desk = S.blank(W, H); S.drawDesktop(desk);
  const at = (x: number, y: number, seed = 5) => { const img = S.clone(desk); S.drawWindow(img, x, y, 260, 180, 2); S.drawPhoto(img, x + 10, y + 30, 240, 140, seed); return img; };
  await p.send(at(40, 40));
  p.advance(250);
  await p.send(at(40, 40, 6)); // the photo changes: still lossy, and not still
  p.advance(250);
  assert.is((await p.send(at(40, 40, 6), 1e9)).rects.length, 0, 'changed 250 ms ago: not due');
  // Moved (copies carry the lossy pixels along), then still.
  for (let i = 1; i <= 5; i++) { p.advance(30); await p.send(at(40 + i * 40, 40 + i * 20, 6)); }
  const last = at(240, 140, 6);
  assert.ok(diffPixels(p.view, last) > 0);
  p.advance(300);
  for (let i = 0; i < 20 && p.enc.refineDueMs() !== null; i++) await p.send(S.clone(last), 1e9);
  assert.is(diffPixels(p.view, last), 0);
});

test('a small photo budget (slow link) sends a smaller JPEG the viewer scales up, refined to exact at rest', async () => {
  const p = pipeline();
  const img = photoScreen(9);
  const full = await p.send(img);
  const fullBytes = full.rects.filter((r) => r.k === 'jpeg').reduce((n, r) => n + ('data' in r ? r.data.byteLength : 0), 0);
  p.enc.photoBudget = 1_500; // ≈ 0.016 B per px of the 400×240 photo: half resolution, q30
  const img2 = photoScreen(10);
  const small = await p.send(img2);
  const jpegs = small.rects.filter((r) => r.k === 'jpeg');
  const bytes = jpegs.reduce((n, r) => n + ('data' in r ? r.data.byteLength : 0), 0);
  assert.ok(jpegs.length > 0 && bytes < fullBytes / 3, `${bytes} B vs ${fullBytes} B at full quality`);
  assert.ok(diffPixels(p.view, img2) > 0);
  p.advance(300);
  for (let i = 0; i < 20 && p.enc.refineDueMs() !== null; i++) await p.send(S.clone(img2), 1e9);
  assert.is(diffPixels(p.view, img2), 0);
});

test('capture loop: refinement waits for an empty pipe and yields to live changes', async () => {
  // Screen: a photo that stops changing after a few frames; frames are acked by hand.
  let screen = photoScreen(1);
  const source = {
    displays: () => [{ id: 1, name: 's', x: 0, y: 0, w: W, h: H, scale: 1, primary: true }],
    capture: async (): Promise<RawFrame> => ({ width: W, height: H, data: Buffer.from(screen.data) }),
  };
  const sent: OutFrame[] = [];
  const loop = new CaptureLoop({ source, makeEncoder: () => new FrameEncoder({ refineAfterMs: 300 }), send: (f) => sent.push(f), idleMs: 10, ackTimeoutMs: 60_000 });
  const view = S.blank(W, H);
  const streams = new StreamContexts();
  let applied = 0;
  const viewer = async () => { // applies and acks in order, like the console
    while (applied < sent.length) { const f = sent[applied++]; await applyRects(view, f.rects, streams.frame(f)); loop.ack(f.seq); }
  };
  loop.start();
  try {
    const until = Date.now() + 5000;
    while (sent.length === 0) { await sleep(5); assert.ok(Date.now() < until); }
    // Hold the first frame unacked past the refinement time: nothing else may go (nothing changed,
    // and refinement waits for the empty pipe).
    await sleep(450);
    assert.is(sent.length, 1, 'no refinement while a frame is in flight');
    await viewer();
    // A live change while refinement runs goes out as soon as its frame is due, with no PNG in it.
    let liveSeq = 0;
    for (let i = 0; i < 100 && diffPixels(view, screen) > 0; i++) {
      await sleep(20);
      if (i === 1) { screen = photoScreen(1); S.fillRect(screen, 0, 0, 40, 20, 0x00ff00); liveSeq = sent.length + 1; }
      await viewer();
    }
    assert.is(diffPixels(view, screen), 0, 'identical at rest');
    assert.ok(sent.some((f) => f.rects.some((r) => r.k === 'png')), 'refined with png');
    const live = sent.find((f) => f.seq >= liveSeq && f.rects.some((r) => r.k === 'fill' && r.x === 0 && r.y === 0));
    assert.ok(live, 'the live change was sent');
    assert.not.ok(live!.rects.some((r) => r.k === 'png'), 'no refinement in a live frame');
  } finally { loop.stop(); }
});

test.run();
