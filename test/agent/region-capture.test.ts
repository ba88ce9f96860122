// Region capture (agent/capture/region-capture.ts) on a real Xvfb: after DAMAGE-reported changes the
// frame it builds from GetImage patches equals a full node-screenshots capture, pixel for pixel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import x11 from 'x11';
import { x11Damage, type Damage } from '../../agent/capture/damage.ts';
import { RegionSource, regionCapable } from '../../agent/capture/region-capture.ts';
import type { MonitorSource } from '../../agent/capture/screen-source.ts';
import { startXvfb, type Xvfb } from '../helpers/xvfb.ts';

let xvfb: Xvfb;
let damage: Damage;
let monitors: MonitorSource;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let X: any;
let root = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test.before(async () => {
  xvfb = await startXvfb(640, 480);
  process.env.DISPLAY = xvfb.display; // node-screenshots opens the display named there
  await (await import('../../agent/runtime/native-addons.ts')).loadNatives(); // after DISPLAY: libnut needs one
  monitors = new (await import('../../agent/capture/screen-source.ts')).MonitorSource();
  damage = (await x11Damage(xvfb.display))!;
  await new Promise<void>((resolve, reject) => {
    x11.createClient({ display: xvfb.display }, (err: Error | null, dpy: { client: unknown; screen: { root: number }[] }) => {
      if (err) return reject(err);
      X = dpy.client;
      root = dpy.screen[0].root;
      resolve();
    });
  });
});

test.after(async () => {
  damage?.close();
  X?.terminate();
  await xvfb?.stop();
});

function window(x: number, y: number, w: number, h: number, rgb: number): number {
  const id = X.AllocID();
  X.CreateWindow(id, root, x, y, w, h, 0, 0, 0, 0, { backgroundPixel: rgb, overrideRedirect: 1 });
  X.MapWindow(id);
  return id;
}

/** Waits until the requests above were processed and DAMAGE's events had time to arrive. */
async function settle(): Promise<void> {
  await new Promise<void>((resolve) => X.GetInputFocus(() => resolve()));
  await sleep(100);
}

function same(a: Buffer, b: Buffer, what: string): void {
  assert.is(a.length, b.length, `${what}: size`);
  const at = a.findIndex((v, i) => v !== b[i]);
  assert.is(at, -1, `${what}: first differing byte ${at} (pixel ${at >> 2})`);
}

test('region capture: patched frames equal full captures; large changes take the full path', async () => {
  assert.ok(regionCapable(damage.regions), 'Xvfb at depth 24 is BGRX');
  const src = new RegionSource(monitors, damage.regions);
  await src.capture(0); // first: full
  assert.is(src.fullCaptures, 1);

  const a = window(10, 20, 60, 40, 0xcc3333);
  const b = window(300, 200, 25, 30, 0x3366cc);
  await settle();
  let f = await src.capture(0);
  assert.is(src.regionCaptures, 1, 'small changes: regions only');
  same(f.data, (await monitors.capture(0)).data, 'two new windows');

  X.ChangeWindowAttributes(a, { backgroundPixel: 0x33aa55 });
  X.ClearArea(a, 0, 0, 0, 0, 0);
  X.MoveWindow(b, 320, 210);
  await settle();
  f = await src.capture(0);
  assert.is(src.regionCaptures, 2);
  same(f.data, (await monitors.capture(0)).data, 'recolour + move');

  // Masks are painted into the frame handed out (the capture loop says so: painted()): the kept
  // one must not change, and the next frame handed out is whole again, not only its new rects.
  f.data.fill(0);
  src.painted(0);
  X.ChangeWindowAttributes(b, { backgroundPixel: 0xeeaa22 });
  X.ClearArea(b, 0, 0, 0, 0, 0);
  await settle();
  f = await src.capture(0);
  same(f.data, (await monitors.capture(0)).data, 'after the handed-out frame was painted over');

  window(0, 0, 500, 400, 0x884499); // > 25 % of the screen
  await settle();
  const full = src.fullCaptures;
  f = await src.capture(0);
  assert.is(src.fullCaptures, full + 1, 'large change: full capture');
  same(f.data, (await monitors.capture(0)).data, 'large change');

  src.invalidate(0);
  await src.capture(0);
  assert.is(src.fullCaptures, full + 2, 'invalidate (refresh): full capture');
});

test.run();
