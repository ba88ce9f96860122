// Streaming economy: an idle screen costs no frame bytes; a moved window costs only the tiles
// it touched (docs/ARCHITECTURE.md "The agent" and "Performance targets").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { until } from '../helpers/server.ts';
import { x } from '../helpers/xvfb.ts';
import { encode } from '../../protocol/index.ts';
import { RepScreen, sleep, startXterm, windowApi, withAgent, world, type World } from '../agent/harness.ts';

let w: World;
let screen: RepScreen;
let xterm = '';

test.before(async () => {
  try {
    w = await world();
    xterm = await startXterm(w, ['-bg', '#FF8010', '-geometry', '40x10+200+150']);
    await withAgent(w);
    screen = new RepScreen(w.rep, w.sessionId);
    await windowApi(w.agent!.windowUrl).consent('view');
    await until(() => screen.frames.length > 0, 10_000, 'a first frame');
    // The start is over when nothing has come for 1.5 s: on a loaded machine the xterm's or the
    // watermark's last paint can land after the first second, and it isn't idle traffic.
    for (let seen = -1, waited = 0; seen !== screen.frames.length && waited < 15_000; waited += 1500) {
      seen = screen.frames.length;
      await sleep(1500);
    }
    await screen.settled();
  } catch (e) { console.error('before failed:', e); throw e; }
});

test.after(async () => {
  screen?.stop();
  await w?.teardown();
});

test('idle screen: no frame bytes over 5 s', async () => {
  const frames = screen.frames.length, bytes = screen.bytes;
  await sleep(5000);
  assert.is(screen.frames.length, frames, 'no frames');
  assert.is(screen.bytes, bytes, 'no bytes');
});

test('frame.refresh from the viewer brings the whole screen again', async () => {
  const from = screen.frames.length;
  w.rep.conn.send({ t: 'frame.refresh', sessionId: w.sessionId });
  await until(() => screen.frames.length > from, 10_000, 'a refreshed frame');
  const f = screen.frames[from];
  const area = f.rects.reduce((a, r) => a + (r.k === 'copy' ? 0 : r.w * r.h), 0);
  assert.ok(area >= f.w * f.h, `the refresh covers the screen (${area} of ${f.w * f.h} px)`);
  await sleep(500);
  await screen.settled();
});

test('typing through the server: glyphs in the stream context, a late viewer in step after its refresh', async () => {
  await startXterm(w, ['-fa', 'Monospace', '-fs', '11', '-bg', '#fdf6e3', '-fg', '#073642', '-geometry', '40x4+900+600', '-e', 'cat']);
  x(w.xvfb.display, 'xdotool', ['mousemove', '1000', '630']);
  await sleep(800);
  await screen.settled();
  const typeText = async (t: string) => { for (const ch of t) { x(w.xvfb.display, 'xdotool', ['type', ch]); await sleep(60); } };
  await typeText('spool ');
  const late = new RepScreen(w.rep, w.sessionId, false); // a second viewer joins mid-stream
  try {
    const from = screen.frames.length;
    await typeText('spool spool');
    await sleep(800);
    await screen.settled(); await late.settled();
    const typed = screen.frames.slice(from);
    assert.ok(typed.some((f) => f.rects.some((r) => r.k === 'zpal')), 'glyphs went in the stream context');
    assert.is(screen.outOfStep, 0, 'the first viewer never fell out of step');
    assert.ok(late.outOfStep >= 1, 'the late viewer noticed it joined mid-stream');
    assert.ok(late.frames.some((f) => f.z === 0), 'its refresh reset the context for everyone');
    assert.ok(late.image!.data.equals(screen.image!.data), 'both viewers show the same picture');
    // Bytes per glyph are measured in the bench (and bounded for repeated glyphs in the encoder's
    // tests): here, with few keys and most of them first sightings, they are only shown.
    const glyphs = typed.filter((f) => f.rects.length === 1 && f.rects[0].k === 'zpal').map((f) => encode(f).byteLength);
    console.log(`typed glyphs: ${glyphs.join(', ')} bytes`);
  } finally {
    late.stop();
  }
});

test('a window move sends only the changed tiles', async () => {
  const geo = x(w.xvfb.display, 'xdotool', ['getwindowgeometry', '--shell', xterm]);
  const num = (k: string) => Number(new RegExp(`${k}=(\\d+)`).exec(geo)![1]);
  const before = { x: num('X'), y: num('Y'), w: num('WIDTH'), h: num('HEIGHT') };
  const from = screen.frames.length;
  x(w.xvfb.display, 'xdotool', ['windowmove', xterm, String(before.x + 90), String(before.y + 70)]);
  await until(() => screen.frames.length > from, 10_000, 'frames after the move');
  await sleep(800);
  await screen.settled();
  const rects = screen.frames.slice(from).flatMap((f) => f.rects);
  // Everything sent lies in the old ∪ new window area, widened to the 64-px tile grid.
  const T = 64;
  const box = { x0: Math.floor(before.x / T) * T, y0: Math.floor(before.y / T) * T, x1: Math.ceil((before.x + 90 + before.w) / T) * T, y1: Math.ceil((before.y + 70 + before.h) / T) * T };
  for (const r of rects) {
    assert.ok(r.x >= box.x0 && r.y >= box.y0 && r.x + r.w <= box.x1 && r.y + r.h <= box.y1, `${r.k} rect ${r.x},${r.y} ${r.w}×${r.h} outside the moved window's area`);
  }
  const area = rects.reduce((a, r) => a + r.w * r.h, 0);
  assert.ok(area < (box.x1 - box.x0) * (box.y1 - box.y0) * 2, `changed area ${area} px`);
  assert.ok(area < 1280 * 720 / 4, 'far less than the screen');
  // And the viewer's picture is right: orange at the new place, background where it was.
  assert.is(screen.pixel(before.x + 90 + before.w - 10, before.y + 70 + before.h - 10), 0xff8010);
  assert.is.not(screen.pixel(before.x + 5, before.y + 5), 0xff8010);
  console.log(`window move: ${screen.frames.length - from} frames, ${rects.length} rects (${[...new Set(rects.map((r) => r.k))].join(',')}), ${area} px, ${screen.bytes} bytes total`);
});

test.run();
