// The video tier (docs/ARCHITECTURE.md "Video tier"): a moving picture in a window becomes VP8
// `video` rects that decode (with the agent's own libvpx build) to ≥ 33 dB, the text around it
// stays exact, and when the picture stops the region is sent again as ordinary rects.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decode as unpackMessage, encode as packMessage, ErrorCode, MAX_VIDEO_FRAME_BYTES, type Rect } from '../../protocol/index.ts';
import { FrameEncoder } from '../../agent/encode/index.ts';
import { loadLibAVFrom } from '../../agent/encode/libav-load.ts';
import { codecFiles } from '../../build-scripts/packaging/codec.ts';
import { applyRects, psnr, StreamContexts } from '../helpers/frame-decoder.ts';
import * as S from '../helpers/synthetic-screen.ts';

const W = 960, H = 640;
const PIC = { x: 120, y: 100, w: 640, h: 360 };

function desktop(): S.RgbaImage {
  const img = S.blank(W, H); S.drawDesktop(img); S.drawWindow(img, 100, 60, 680, 420, 5);
  S.drawText(img, 8, H - 40, 'a status line that must stay exact', 0xffffff, 0x101010);
  return img;
}

/** The encoder on a fake 25 frames/s clock, and the viewer's image kept in step. */
function pipeline(video: boolean) {
  let t = 0;
  const enc = new FrameEncoder({ video, clock: () => t });
  const view = S.blank(W, H);
  const streams = new StreamContexts();
  return {
    enc,
    view,
    async send(img: S.RgbaImage, dtMs = 40) {
      t += dtMs;
      const r = await enc.encode(img);
      await applyRects(view, r.rects, streams.frame({ display: 0, z: r.z }));
      return r.rects;
    },
  };
}

/** Pixels that differ outside `box`. */
function diffOutside(a: S.RgbaImage, b: S.RgbaImage, box: { x: number; y: number; w: number; h: number }): number {
  let n = 0;
  for (let y = 0; y < a.height; y++) for (let x = 0; x < a.width; x++) {
    if (x >= box.x && x < box.x + box.w && y >= box.y && y < box.y + box.h) continue;
    const i = (y * a.width + x) * 4;
    if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) n++;
  }
  return n;
}

/** The box and 8 px around it: the first full frame's JPEG of the picture reaches a little beyond it (tile merging). */
const around = (b: { x: number; y: number; w: number; h: number }) => ({ x: b.x - 8, y: b.y - 8, w: b.w + 16, h: b.h + 16 });

const scene = S.blank(PIC.w + 80, PIC.h + 40);
S.drawPhoto(scene, 0, 0, scene.width, scene.height, 7);
const base = desktop();
const frame = (i: number) => { const img = S.clone(base); S.drawPan(img, PIC.x, PIC.y, PIC.w, PIC.h, scene, i); return img; };

test('a moving picture becomes a VP8 stream ≥ 33 dB; the text around it stays exact; at rest the region goes as rects again', async () => {
  const p = pipeline(true);
  await p.send(frame(0));
  const videos: Extract<Rect, { k: 'video' }>[] = [];
  let img = frame(0);
  for (let i = 1; i <= 24; i++) {
    img = frame(i);
    const rects = await p.send(img);
    for (const r of rects) if (r.k === 'video') videos.push(r);
    if (videos.length) {
      const v = videos[0];
      assert.ok(psnr(p.view, img, v) >= 33, `frame ${i}: ${psnr(p.view, img, v).toFixed(1)} dB in the video region`);
      assert.is(diffOutside(p.view, img, around(v)), 0, `frame ${i}: everything around the video region is exact`);
    }
  }
  assert.ok(videos.length >= 12, `video after ≤ 12 frames at 25/s (got ${videos.length} video rects)`);
  assert.equal(videos.map((v) => v.n), videos.map((_, i) => i), 'one stream: a key frame, then every frame in order');
  const v = videos[0];
  assert.ok(v.x <= PIC.x && v.y <= PIC.y && v.x + v.w >= PIC.x + PIC.w && v.y + v.h >= PIC.y + PIC.h && v.w * v.h <= 1.1 * PIC.w * PIC.h, `region ${v.x},${v.y} ${v.w}×${v.h} is the picture`);
  const deltas = videos.slice(1).map((r) => r.data.byteLength);
  const mean = deltas.reduce((a, b) => a + b, 0) / deltas.length;
  assert.ok(mean * 25 <= 400_000, `delta frames ${Math.round(mean)} B, ${Math.round(mean * 25 / 1000)} KB/s at 25/s`);

  // The picture stops: after the idle time the region goes out as ordinary rects (a photo: JPEG).
  assert.not.ok((await p.send(S.clone(img), 300)).some((r) => r.k === 'video'));
  const rest = await p.send(S.clone(img), 300);
  assert.ok(rest.some((r) => r.k === 'jpeg') && !rest.some((r) => r.k === 'video'), `at rest: ${rest.map((r) => r.k).join(' ')}`);
  assert.ok(psnr(p.view, img, v) >= 33);
  assert.is(diffOutside(p.view, img, around(v)), 0);

  // On the wire: the rect kind survives the protocol's codec and its size bound.
  const msg = { t: 'frame' as const, sessionId: 's1', seq: 1, display: 0, w: W, h: H, ts: 0, rects: [videos[1]] };
  const back = unpackMessage(packMessage(msg));
  assert.ok(back.ok && back.msg.t === 'frame' && back.msg.rects[0].k === 'video');
  const huge = unpackMessage(packMessage({ ...msg, rects: [{ ...videos[1], data: new Uint8Array(MAX_VIDEO_FRAME_BYTES + 1) }] }), { maxBytes: 8 << 20 });
  assert.ok(!huge.ok && huge.error.code === ErrorCode.Invalid, 'an oversized video frame is refused');
});

test('off (a viewer that cannot decode video): the same picture goes out as rects', async () => {
  const p = pipeline(false);
  await p.send(frame(0));
  for (let i = 1; i <= 12; i++) assert.not.ok((await p.send(frame(i))).some((r) => r.k === 'video'));
});

test('a refresh starts the stream over with a key frame', async () => {
  const p = pipeline(true);
  for (let i = 0; i <= 12; i++) await p.send(frame(i));
  p.enc.reset();
  const full = await p.send(frame(13));
  assert.not.ok(full.some((r) => r.k === 'video'), 'the refresh frame is the whole screen as rects');
  const later: Rect[] = [];
  for (let i = 14; i <= 26; i++) later.push(...await p.send(frame(i)));
  const v = later.filter((r) => r.k === 'video');
  assert.ok(v.length > 0 && v[0].k === 'video' && v[0].n === 0, 'the new stream begins with a key frame');
});

test('packaged: the codec runs from the bytes of the assets the packager embeds', async () => {
  // The packager's asset keys → files; the loader asks by key, as the packaged agent's
  // embeddedAsset would (that one also checks each file's sha256).
  const assets = new Map(codecFiles(fileURLToPath(new URL('../..', import.meta.url))).map((f) => [f.key, f.path]));
  const read = (path: string) => {
    const file = assets.get(`libav/${path}`);
    if (!file) throw new Error(`the loader asked for libav/${path}, which the packager does not embed`);
    return readFileSync(file);
  };
  const lib = await loadLibAVFrom(read);
  const [, c, frm, pkt] = await lib.ff_init_encoder('libvpx', { ctx: { bit_rate: 500_000, pix_fmt: 0, width: 64, height: 48 }, time_base: [1, 25] });
  const yuv = new Uint8Array(64 * 48 * 3 / 2).fill(128);
  const packets = await lib.ff_encode_multi(c, frm, pkt, [{ data: yuv, format: 0, width: 64, height: 48, pts: 0, key_frame: 1, pict_type: 1 }]);
  await lib.ff_free_encoder(c, frm, pkt);
  const data = packets[0].data as Uint8Array;
  // A VP8 key frame: bit 0 of the frame tag clear, then the start code 9d 01 2a and the size.
  assert.is(data[0] & 1, 0);
  assert.equal([...data.subarray(3, 6)], [0x9d, 0x01, 0x2a]);
  assert.is(data[6] | (data[7] & 0x3f) << 8, 64);
});

test.run();
