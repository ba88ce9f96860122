// Capture only what DAMAGE says changed: a full 1080p grab with node-screenshots costs ≈ 18 ms
// CPU whatever changed, a GetImage of a glyph well under 1 ms. The damaged rectangles are fetched
// over DAMAGE's own X connection (so each GetImage is ordered after the Subtracts that re-armed
// it), converted BGRX → RGBA into the kept full frame, and the whole frame goes to the encoder,
// which still diffs it against its previous one: DAMAGE over-reporting costs time, not
// correctness. Large or many changes, the first frame, a refresh and any error take the full
// capture. BRIDGE_AGENT_REGION_CAPTURE=0 turns it off.
import type { Display } from '../../protocol/index.ts';
import type { DamageRect, DamageRegions } from './damage.ts';
import type { RawFrame, ScreenSource } from './screen-source.ts';

type Reloadable = ScreenSource & { reload(): boolean };

/** Above this share of the display, one full capture is about as cheap (and one request). */
const MAX_AREA_SHARE = 0.25;
/** More rectangles than this are fetched as their bounding box. */
const MAX_RECTS = 32;
const GETIMAGE_TIMEOUT_MS = 1000;
const Z_PIXMAP = 2;
const RESYNC_IDLE_MS = 5000;

// `out` is what capture() hands out. It is brought up to date by copying only what was fetched,
// unless something painted into it (an application-sharing mask: `painted()`), or it is new: then
// all of it (8 MB at 1080p, ≈ 1.5 ms, was paid on every glyph).
interface Kept { key: string; at: number; frame: RawFrame; out: Buffer; outStale: boolean }

export class RegionSource implements ScreenSource {
  private kept: (Kept | null)[] = [];
  /** The last kept frame of each display, also after invalidate(): its buffers are reused. */
  private spare: (Kept | null)[] = [];
  /** Per display, display-relative rectangles changed since its kept frame. */
  private pending: DamageRect[][] = [];
  /** Regions fetched vs full captures, for tests and measurements. */
  regionCaptures = 0;
  fullCaptures = 0;

  constructor(private readonly inner: Reloadable, private readonly damage: DamageRegions) {}

  displays(): Display[] {
    return this.inner.displays();
  }

  reload(): boolean {
    const changed = this.inner.reload();
    if (changed) this.invalidate();
    return changed;
  }

  /** The next capture of that display (or of all) is a full one. */
  invalidate(display?: number): void {
    if (display === undefined) this.kept = [];
    else this.kept[display] = null;
  }

  async capture(index: number): Promise<RawFrame> {
    const list = this.inner.displays();
    this.distribute(list);
    const d = list[index];
    const kept = this.kept[index];
    const rects = this.pending[index] ?? [];
    this.pending[index] = [];
    if (!d || !kept || kept.key !== key(d)) return this.full(index, d);
    // Insurance against a change DAMAGE never reported: an idle poll (nothing damaged) now and
    // then re-reads the whole display, where it costs no change any latency.
    if (rects.length === 0 && Date.now() - kept.at > RESYNC_IDLE_MS) return this.full(index, d);
    const fetch = plan(rects, d);
    if (!fetch) return this.full(index, d);
    try {
      await Promise.all(fetch.map((r) => this.fetchInto(kept.frame, d, r)));
    } catch {
      return this.full(index, d); // the kept frame may be half-patched: replaced whole
    }
    this.regionCaptures++;
    // The loop paints application-sharing masks into what it gets: hand out a copy.
    if (kept.outStale) { kept.out.set(kept.frame.data); kept.outStale = false; } else for (const r of fetch) copyRect(kept.frame, kept.out, r);
    return { width: kept.frame.width, height: kept.frame.height, data: kept.out };
  }

  /** The frame capture() handed out last was written to (masked): the next one is copied whole. */
  painted(index: number): void {
    const kept = this.kept[index];
    if (kept) kept.outStale = true;
  }

  /** Damage since the last capture → each display's pending list (null: unknown, all full). */
  private distribute(list: Display[]): void {
    const taken = this.damage.take();
    if (taken === null) { this.kept = []; return; }
    for (const r of taken) {
      list.forEach((d, i) => {
        const x0 = Math.max(r.x, d.x), y0 = Math.max(r.y, d.y);
        const x1 = Math.min(r.x + r.w, d.x + d.w), y1 = Math.min(r.y + r.h, d.y + d.h);
        if (x1 > x0 && y1 > y0) (this.pending[i] ??= []).push({ x: x0 - d.x, y: y0 - d.y, w: x1 - x0, h: y1 - y0 });
      });
    }
  }

  private async full(index: number, d: Display | undefined): Promise<RawFrame> {
    this.kept[index] = null;
    this.pending[index] = [];
    // A round trip on DAMAGE's connection: its Subtracts are done, so any change the capture
    // misses notifies again.
    await roundTrip(this.damage.X).catch(() => {});
    const f = await this.inner.capture(index);
    this.fullCaptures++;
    // Region patches need the frame pixel for pixel at the display's X geometry (no scaling).
    if (d && f.width === d.w && f.height === d.h && f.data.length === f.width * f.height * 4) {
      // Reuse the two 8 MB buffers of the previous kept frame: fresh ones cost page faults.
      const old = this.spare[index];
      const same = old && old.frame.data.length === f.data.length;
      const data = same ? old.frame.data : Buffer.allocUnsafe(f.data.length);
      data.set(f.data);
      this.kept[index] = this.spare[index] = { key: key(d), at: Date.now(), frame: { width: f.width, height: f.height, data }, out: same ? old.out : Buffer.allocUnsafe(f.data.length), outStale: true };
    }
    return f;
  }

  private async fetchInto(frame: RawFrame, d: Display, r: DamageRect): Promise<void> {
    const { X, dpy } = this.damage;
    const img = await withTimeout(new Promise<{ depth: number; data: Buffer }>((resolve, reject) => {
      X.GetImage(Z_PIXMAP, dpy.screen[0].root, d.x + r.x, d.y + r.y, r.w, r.h, 0xffffffff, (err: unknown, res: { depth: number; data: Buffer }) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)));
    }), GETIMAGE_TIMEOUT_MS);
    const src = img.data;
    if (img.depth !== 24 && img.depth !== 32) throw new Error(`GetImage depth ${img.depth}`);
    if (src.length < r.w * r.h * 4) throw new Error('GetImage: short reply');
    const dst = frame.data;
    const stride = frame.width * 4;
    let s = 0;
    for (let y = 0; y < r.h; y++) {
      let o = (r.y + y) * stride + r.x * 4;
      for (let x = 0; x < r.w; x++, s += 4, o += 4) {
        dst[o] = src[s + 2];
        dst[o + 1] = src[s + 1];
        dst[o + 2] = src[s];
        dst[o + 3] = 255;
      }
    }
  }
}

/** Only where the X server's images are 32-bit little-endian BGRX (Xorg, Xvfb at depth 24). */
export function regionCapable(damage: DamageRegions): boolean {
  const { dpy } = damage;
  const scr = dpy?.screen?.[0];
  const depth = scr?.root_depth;
  const visual = scr?.depths?.[depth]?.[scr.root_visual];
  return (depth === 24 || depth === 32) && dpy.format?.[depth]?.bits_per_pixel === 32 && dpy.image_byte_order === 0 &&
    visual?.red_mask === 0xff0000 && visual?.green_mask === 0xff00 && visual?.blue_mask === 0xff;
}

/** The region source when DAMAGE is there and the switch isn't off; else the full-capture one. */
export function withRegionCapture(inner: Reloadable, damage: DamageRegions | null | undefined): Reloadable {
  if (!damage || process.env.BRIDGE_AGENT_REGION_CAPTURE === '0' || !regionCapable(damage)) return inner;
  return new RegionSource(inner, damage);
}

/** One rectangle of `from` into `to` (same size), row by row. */
function copyRect(from: RawFrame, to: Buffer, r: DamageRect): void {
  const stride = from.width * 4;
  if (r.x === 0 && r.w === from.width) { from.data.copy(to, r.y * stride, r.y * stride, (r.y + r.h) * stride); return; }
  for (let y = r.y; y < r.y + r.h; y++) from.data.copy(to, y * stride + r.x * 4, y * stride + r.x * 4, y * stride + (r.x + r.w) * 4);
}

const key = (d: Display) => `${d.x},${d.y},${d.w},${d.h}`;

/** The rectangles to fetch, or null when a full capture is the better deal. */
function plan(rects: DamageRect[], d: Display): DamageRect[] | null {
  if (rects.length === 0) return [];
  let area = 0;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const r of rects) {
    area += r.w * r.h;
    x0 = Math.min(x0, r.x); y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.w); y1 = Math.max(y1, r.y + r.h);
  }
  const bbox = { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  const limit = d.w * d.h * MAX_AREA_SHARE;
  if (rects.length > MAX_RECTS || area >= bbox.w * bbox.h) return bbox.w * bbox.h > limit ? null : [bbox];
  return area > limit ? null : rects;
}

function roundTrip(X: { GetInputFocus(cb: (err: unknown) => void): void }): Promise<void> {
  return withTimeout(new Promise<void>((resolve, reject) => X.GetInputFocus((err) => (err ? reject(err) : resolve()))), GETIMAGE_TIMEOUT_MS);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: ReturnType<typeof setTimeout>;
  return Promise.race([p, new Promise<never>((_, reject) => { t = setTimeout(() => reject(new Error('X11 request timed out')), ms); })]).finally(() => clearTimeout(t));
}
