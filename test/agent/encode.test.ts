// FrameEncoder on synthetic screens that look like real ones, decoded by the reference decoder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decode as unpackMessage, encode as packMessage, type Rect } from '../../protocol/index.ts';
import { FrameEncoder } from '../../agent/encode/index.ts';
import { applyRects, diffPixels, psnr, StreamContexts } from '../helpers/frame-decoder.ts';
import * as S from '../helpers/synthetic-screen.ts';

const kinds = (rects: Rect[]) => rects.map((r) => r.k);
const count = (rects: Rect[], k: Rect['k']) => rects.filter((r) => r.k === k).length;

/** An encoder plus the viewer's image, kept in step. */
function pipeline(w: number, h: number, quality?: number) {
  const enc = new FrameEncoder({ quality });
  const view = S.blank(w, h, 0x000000);
  const streams = new StreamContexts();
  return {
    enc,
    view,
    streams,
    async send(img: S.RgbaImage) {
      const r = await enc.encode(img);
      await applyRects(view, r.rects, streams.frame({ display: 0, z: r.z }));
      return r;
    },
  };
}

/** Wire size of a frame message carrying these rects. */
const wire = (rects: Rect[], w: number, h: number) => packMessage({ t: 'frame', sessionId: 's1', seq: 1, display: 0, w, h, ts: 0, rects }).byteLength;

test('first frame sends everything, losslessly for text and UI; an idle screen sends nothing', async () => {
  const p = pipeline(640, 480);
  const img = S.blank(640, 480); S.drawDesktop(img); S.drawWindow(img, 40, 30, 400, 300);
  const first = await p.send(img);
  assert.ok(first.rects.length > 0);
  assert.is(diffPixels(p.view, img), 0);
  assert.not.ok(first.rects.some((r) => r.k === 'jpeg'), 'text and gradients are lossless');
  for (let i = 0; i < 3; i++) {
    const idle = await p.send(S.clone(img));
    assert.equal(idle.rects, []);
    assert.is(idle.bytes, 0);
  }
});

test('a typed glyph costs about a hundred bytes, exact pixels', async () => {
  const p = pipeline(1920, 1080);
  const img = S.blank(1920, 1080); S.drawTerminal(img, 100);
  await p.send(img);
  const next = S.clone(img);
  S.fillRect(next, 8 * 40, 16 * 66, 8 * 40, 16, 0x101010);
  await p.send(S.clone(next));
  S.drawText(next, 8 * 40, 16 * 66, 'k');
  const r = await p.send(next);
  assert.equal(kinds(r.rects), ['zpal']);
  const rect = r.rects[0];
  assert.ok(rect.w <= 8 && rect.h <= 16, `shrunk to the glyph, got ${rect.w}×${rect.h}`);
  assert.ok(r.bytes < 120, `payload ${r.bytes} B`);
  assert.ok(wire(r.rects, 1920, 1080) < 250, `wire ${wire(r.rects, 1920, 1080)} B`);
  assert.is(diffPixels(p.view, next), 0);
});

test('a moved window becomes copy + the small exposed area, lossless', async () => {
  const p = pipeline(1280, 720);
  const desk = S.blank(1280, 720); S.drawDesktop(desk);
  let img = S.clone(desk); S.drawWindow(img, 200, 150, 400, 300, 3);
  await p.send(img);
  for (const [x, y] of [[207, 153], [215, 149], [190, 170], [400, 300]]) {
    img = S.clone(desk); S.drawWindow(img, x, y, 400, 300, 3);
    const r = await p.send(img);
    assert.is(count(r.rects, 'copy'), 1, `move to ${x},${y}: ${kinds(r.rects)}`);
    assert.is(r.rects[0].k, 'copy', 'copies come first');
    const c = r.rects[0] as Extract<Rect, { k: 'copy' }>;
    assert.ok(c.w * c.h >= 380 * 280, `copy ${c.w}×${c.h}`);
    assert.ok(r.bytes < 6000, `move to ${x},${y}: ${r.bytes} B`);
    assert.is(diffPixels(p.view, img), 0);
  }
});

test('a plain window with one line of text is moved as a copy too', async () => {
  const p = pipeline(1280, 720);
  const at = (x: number, y: number) => {
    const img = S.blank(1280, 720, 0x000000);
    S.fillRect(img, x, y, 484, 316, 0xff8010); S.drawText(img, x + 2, y + 2, 'user@host:~$ ', 0x000000, 0xff8010);
    return img;
  };
  await p.send(at(100, 100));
  const img = at(190, 170);
  const r = await p.send(img);
  assert.is(r.rects[0].k, 'copy', kinds(r.rects).join());
  assert.ok(r.bytes < 300, `${r.bytes} B`);
  assert.is(diffPixels(p.view, img), 0);
});

test('a scrolled terminal becomes copy + the new line, lossless', async () => {
  const p = pipeline(1920, 1080);
  const img = S.blank(1920, 1080); S.drawTerminal(img, 0);
  await p.send(img);
  for (let first = 1; first <= 3; first++) {
    const next = S.blank(1920, 1080); S.drawTerminal(next, first);
    const r = await p.send(next);
    assert.equal(kinds(r.rects).slice(0, 1), ['copy']);
    const c = r.rects[0] as Extract<Rect, { k: 'copy' }>;
    assert.equal([c.sx - c.x, c.sy - c.y], [0, S.CELL_H]);
    assert.ok(r.bytes < 2500, `${r.bytes} B for one new line`);
    assert.is(diffPixels(p.view, next), 0);
  }
  // a three-line jump is one copy too
  const jump = S.blank(1920, 1080); S.drawTerminal(jump, 6);
  const r = await p.send(jump);
  assert.is(r.rects[0].k, 'copy');
  assert.is(diffPixels(p.view, jump), 0);
});

test('a scrolled pane with a fixed header, a moving scrollbar thumb and a status bar is still a copy', async () => {
  const p = pipeline(1280, 720);
  const page = (offset: number) => {
    const img = S.blank(1280, 720); S.fillRect(img, 100, 100, 1000, 600, 0xfafafa);
    // the page: 600 px of content at y 100..700 in a window, scrolled by `offset` px
    for (let line = 0; line < 40; line++) {
      const y = 100 + line * S.CELL_H - (offset % S.CELL_H);
      S.drawText(img, 110, y, S.textLine(Math.floor(offset / S.CELL_H) + line, 120), 0x202020, 0xfafafa);
    }
    S.fillRect(img, 100, 60, 1000, 40, 0x2d5fa0); S.drawText(img, 110, 72, 'https://example.com/docs', 0xffffff, 0x2d5fa0); // header
    S.fillRect(img, 100, 680, 1000, 20, 0xdddddd); // status bar
    S.fillRect(img, 1084, 100, 16, 580, 0xeeeeee); S.fillRect(img, 1086, 100 + offset / 4, 12, 80, 0x888888); // scrollbar
    S.fillRect(img, 0, 0, 100, 720, 0x303030); S.fillRect(img, 1100, 0, 180, 720, 0x303030);
    return img;
  };
  await p.send(page(0));
  for (const off of [16, 48, 64]) {
    const img = page(off);
    const r = await p.send(img);
    assert.is(r.rects[0].k, 'copy', `offset ${off}: ${kinds(r.rects)}`);
    const c = r.rects[0] as Extract<Rect, { k: 'copy' }>;
    assert.ok(c.h >= 400 && c.w >= 900, `copy ${c.w}×${c.h}`);
    assert.ok(r.bytes < 12_000, `offset ${off}: ${r.bytes} B`);
    assert.is(diffPixels(p.view, img), 0);
  }
});

test('a terminal scrolled under two other windows and a fixed status bar is copies for nearly all of it', async () => {
  const p = pipeline(1920, 1080);
  const screen = (first: number) => {
    const img = S.blank(1920, 1080); S.drawTerminal(img, first);
    S.fillRect(img, 0, 1056, 1920, 24, 0x2d5fa0); S.drawText(img, 8, 1060, 'NORMAL  main  utf-8', 0xffffff, 0x2d5fa0); // status bar
    S.drawWindow(img, 1150, 120, 640, 480, 21); // windows over the terminal, not scrolling
    S.drawWindow(img, 260, 620, 520, 300, 22);
    return img;
  };
  await p.send(screen(0));
  let last = 0;
  for (const first of [1, 2, 5]) {
    const img = screen(first);
    const r = await p.send(img);
    const copies = r.rects.filter((x) => x.k === 'copy') as Extract<Rect, { k: 'copy' }>[];
    assert.ok(copies.length >= 3, `scroll to ${first}: ${kinds(r.rects)}`);
    assert.equal(kinds(r.rects).slice(0, copies.length), copies.map(() => 'copy'), 'copies come first');
    for (const c of copies) assert.equal([c.sx - c.x, c.sy - c.y], [0, (first - last) * S.CELL_H]);
    // not copied: the new lines and the text newly shown next to the windows' edges, a few % of the screen
    const other = r.rects.filter((x) => x.k !== 'copy').reduce((n, x) => n + x.w * x.h, 0);
    assert.ok(other < 1920 * 1080 * 0.08, `scroll to ${first}: ${other} px re-encoded`);
    assert.ok(r.bytes < 8000, `scroll to ${first}: ${r.bytes} B`);
    assert.is(diffPixels(p.view, img), 0);
    last = first;
  }
});

test('a window moved over a photo wallpaper is a copy; the exposed wallpaper is the rest', async () => {
  const p = pipeline(1280, 720);
  const wall = S.blank(1280, 720); S.drawPhoto(wall, 0, 0, 1280, 720, 77);
  const at = (x: number, y: number) => { const img = S.clone(wall); S.drawWindow(img, x, y, 400, 300, 6); return img; };
  await p.send(at(300, 200));
  const img = at(320, 190);
  const r = await p.send(img);
  assert.is(r.rects[0].k, 'copy');
  const c = r.rects[0] as Extract<Rect, { k: 'copy' }>;
  assert.ok(c.w * c.h >= 390 * 290, `copy ${c.w}×${c.h}`);
  assert.ok(psnr(p.view, img) >= 33);
  // 16×16 blocks holding only window pixels look drawn: lossless even in tiles shared with the photo
  assert.is(psnr(p.view, img, { x: 336, y: 206, w: 368, h: 268 }), Infinity, 'the window is exact');
  assert.ok(psnr(p.view, img, { x: 320, y: 190, w: 400, h: 300 }) > 40, 'its edges nearly so');
});

test('ClearType-like, syntax-coloured code (over 256 colours per tile) stays lossless; its scroll is a copy', async () => {
  const p = pipeline(1280, 720);
  const img = S.blank(1280, 720); S.drawEditor(img, 0, 0, 1280, 720, 40);
  const first = await p.send(img);
  assert.not.ok(first.rects.some((r) => r.k === 'jpeg'), 'no JPEG for text');
  assert.is(diffPixels(p.view, img), 0);
  const next = S.blank(1280, 720); S.drawEditor(next, 0, 0, 1280, 720, 41);
  const r = await p.send(next);
  assert.is(r.rects[0].k, 'copy');
  assert.is(diffPixels(p.view, next), 0);
});

test('a photo-like change is JPEG at PSNR ≥ 33 dB; quality trades bytes', async () => {
  const p = pipeline(960, 540);
  const a = S.blank(960, 540); S.drawPhoto(a, 0, 0, 960, 540, 1);
  await p.send(a);
  const b = S.blank(960, 540); S.drawPhoto(b, 0, 0, 960, 540, 2);
  const hi = await p.send(b);
  assert.ok(hi.rects.every((r) => r.k === 'jpeg'));
  assert.ok(psnr(p.view, b) >= 33, `psnr ${psnr(p.view, b)}`);
  p.enc.quality = 30;
  assert.is(p.enc.quality, 30);
  const c = S.blank(960, 540); S.drawPhoto(c, 0, 0, 960, 540, 3);
  const lo = await p.send(c);
  assert.ok(lo.bytes < hi.bytes * 0.8, `q30 ${lo.bytes} B vs q60 ${hi.bytes} B`);
  p.enc.quality = 500;
  assert.is(p.enc.quality, 100);
});

test('mixed screen: photo window over a desktop, text stays lossless around it', async () => {
  const p = pipeline(1280, 720);
  const img = S.blank(1280, 720); S.drawDesktop(img); S.drawWindow(img, 20, 20, 500, 400, 5); S.drawPhoto(img, 600, 100, 512, 384, 9);
  await p.send(img);
  const text = { x: 20, y: 20, w: 500, h: 400 };
  assert.is(psnr(p.view, img, text), Infinity);
  assert.ok(psnr(p.view, img, { x: 600, y: 100, w: 512, h: 384 }) >= 33);
  // the photo changes (a video), text is not touched
  const next = S.clone(img); S.drawPhoto(next, 600, 100, 512, 384, 10);
  const r = await p.send(next);
  assert.ok(r.rects.every((x) => x.x >= 600 - 64 && x.y >= 100 - 64), 'only the photo area');
  assert.is(psnr(p.view, next, text), Infinity);
});

test('reset() and a new resolution send the whole screen again', async () => {
  const p = pipeline(320, 200);
  const img = S.blank(320, 200); S.drawTerminal(img, 7);
  await p.send(img);
  p.enc.reset();
  const again = await p.enc.encode(img);
  assert.is(again.z, 0, 'the stream context starts again too');
  const fresh = S.blank(320, 200, 0xff00ff);
  const late = new StreamContexts(); // a viewer that joined at the reset
  await applyRects(fresh, again.rects, late.frame({ display: 0, z: again.z }));
  assert.is(diffPixels(fresh, img), 0);
  const big = S.blank(400, 300); S.drawTerminal(big, 7);
  const view = S.blank(400, 300, 0xff00ff);
  const r = await p.enc.encode(big);
  await applyRects(view, r.rects, late.frame({ display: 0, z: r.z }));
  assert.is(diffPixels(view, big), 0);
});

test('random edits round-trip exactly (fills, text, blits; odd sizes; unaligned buffers)', async () => {
  const W = 333, H = 251;
  const p = pipeline(W, H);
  const r = S.rng(42);
  let img = S.blank(W, H); S.drawDesktop(img);
  for (let i = 0; i < 60; i++) {
    const next = S.clone(img);
    const op = Math.floor(r() * 4);
    const x = Math.floor(r() * W) - 20, y = Math.floor(r() * H) - 20, w = 1 + Math.floor(r() * 150), h = 1 + Math.floor(r() * 120);
    if (op === 0) S.fillRect(next, x, y, w, h, Math.floor(r() * 0xffffff));
    else if (op === 1) S.drawText(next, x, y, S.textLine(i, 12), Math.floor(r() * 0xffffff), 0x202020);
    else if (op === 2) S.blit(next, img, x, y, w, h, x + Math.floor(r() * 40) - 20, y + Math.floor(r() * 40) - 20);
    // op 3: nothing changes
    // every other frame arrives in an unaligned Buffer, as a slice of a larger one might
    const data = i % 2 ? Buffer.concat([Buffer.alloc(1), next.data]).subarray(1) : next.data;
    const out = await p.send({ width: W, height: H, data });
    if (op === 3) assert.is(out.rects.length, 0);
    assert.is(diffPixels(p.view, next), 0, `step ${i} op ${op}`);
    img = next;
  }
});

test('one encode at a time', async () => {
  const enc = new FrameEncoder();
  const img = S.blank(256, 128); S.drawPhoto(img, 0, 0, 256, 128, 5);
  const first = enc.encode(img);
  let err: Error | null = null;
  try { await enc.encode(img); } catch (e) { err = e as Error; }
  assert.match(String(err?.message), /before the previous call finished/);
  assert.ok((await first).rects.length > 0);
  assert.equal((await enc.encode(S.clone(img))).rects, []);
});


test('stream context: a repeated glyph is a few bytes; a lost frame or a late viewer is detected, a reset heals', async () => {
  const p = pipeline(1920, 1080);
  const img = S.blank(1920, 1080); S.drawTerminal(img, 100);
  S.fillRect(img, 0, 16 * 66, 1920, 16, 0x101010);
  await p.send(img);
  const text = 'the spooler restarts the spooler';
  const sent: { rects: Rect[]; z?: number; screen: S.RgbaImage }[] = [];
  const cur = S.clone(img);
  for (let i = 0; i < text.length; i++) {
    S.drawText(cur, 8 * (10 + i), 16 * 66, text[i]);
    S.fillRect(cur, 8 * (11 + i), 16 * 66, 8, 16, 0xd0d0d0); // the cursor moves on
    const screen = S.clone(cur);
    const r = await p.send(screen);
    assert.is(diffPixels(p.view, screen), 0, `lossless after ${i + 1} keys`);
    sent.push({ rects: r.rects, z: r.z, screen });
  }
  // On the wire, envelope and all (a real session id is 16 characters): the second 'spooler' is
  // glyphs seen before.
  const wireOf = (f: { rects: Rect[]; z?: number }, seq: number) => {
    const bytes = packMessage({ t: 'frame', sessionId: 'AbCdEfGhIjKlMnOp', seq, display: 0, w: 1920, h: 1080, ts: Date.now(), rects: f.rects, z: f.z });
    const back = unpackMessage(bytes);
    assert.ok(back.ok && back.msg.t === 'frame' && back.msg.z === f.z, 'z survives the codec');
    return bytes.byteLength;
  };
  const repeated = sent.slice(-7).map((f, i) => wireOf(f, 1000 + i));
  assert.ok(repeated.every((n) => n <= 80), `repeated glyphs: ${repeated.join(', ')} B`);
  // A viewer that lost one frame: the next one's z says so, instead of painting garbage.
  const lossy = new StreamContexts();
  const view = S.clone(img);
  for (const [i, f] of sent.entries()) {
    if (i === 5) continue;
    if (i < 5) { await applyRects(view, f.rects, lossy.frame({ display: 0, z: f.z })); continue; }
    assert.throws(() => lossy.frame({ display: 0, z: f.z }), /missed/);
    break;
  }
  // A late viewer (no context) is out of step until the refresh resets the context for everyone.
  const late = new StreamContexts();
  assert.throws(() => late.frame({ display: 0, z: sent[sent.length - 1].z }), /missed/);
  p.enc.reset();
  const full = await p.enc.encode(cur);
  assert.is(full.z, 0);
  const views = [{ ctx: late, v: S.blank(1920, 1080) }, { ctx: lossy, v: view }];
  for (const { ctx, v } of views) {
    await applyRects(v, full.rects, ctx.frame({ display: 0, z: full.z }));
    assert.is(diffPixels(v, cur), 0);
  }
  // And both follow the stream again, glyph by glyph.
  for (const [i, ch] of [...'st'].entries()) {
    S.drawText(cur, 8 * (10 + text.length + i), 16 * 66, ch);
    const next = await p.enc.encode(S.clone(cur));
    assert.ok(next.rects.some((r) => r.k === 'zpal'), `zpal in ${kinds(next.rects)}`);
    for (const { ctx, v } of views) {
      await applyRects(v, next.rects, ctx.frame({ display: 0, z: next.z }));
      assert.is(diffPixels(v, cur), 0);
    }
  }
});
test.run();
