// The frame pipeline of one display: previous frame → changed tiles → copies (scroll / move) →
// per-tile class (fill / palette / photo) → merged rects → encoded rects. Keeps its previous
// frame as the model of what the viewer shows; protocol state (seq, acks) lives in the runtime.
import type { Rect } from '../../protocol/index.ts';
import { MAX_RECTS } from '../../protocol/limits.ts';
import { applyCopy, type Copy, copyMatches, findCopies } from './copy.ts';
import { fillEncoder } from './fill.ts';
import { JpegEncoder } from './jpeg.ts';
import { mergeBoxes } from './merge.ts';
import { classify } from './classify.ts';
import { paletteEncoder } from './palette.ts';
import { TILE, TileDiff } from './tiles.ts';
import { ZpalEncoder } from './zpal.ts';
import { VideoTier } from './video-tier.ts';
import { choosePhoto } from './rd-curve.ts';
import { pngEncoder } from './png.ts';
import { LossyTiles } from './refine.ts';
import { STREAM_MAX_RECTS } from '../../protocol/index.ts';
import { type Box, type RectEncoder, type RgbaFrame, type Source, toSource, union } from './types.ts';

export interface FrameEncoderOptions {
  /** A fixed JPEG quality 1..100 for photo-like regions; without it quality (and scale) come from the measured curve (rd-curve.ts). */
  quality?: number;
  /** Look for scrolled and moved regions and send them as `copy` (default true). */
  copy?: boolean;
  /** Code small lossless rects in a stream context as `zpal` (default true; see "Stream context"). */
  stream?: boolean;
  /** Code regions that change at video rate as VP8 `video` rects (default false; see "Video tier"). */
  video?: boolean;
  /** Milliseconds, for the video tier's rate detection and refinement's stillness (default performance.now; tests and benches pass a fake one). */
  clock?: () => number;
  /** Send lossy areas again losslessly once still this long, in ms (default: never; see "Crisp at rest"). */
  refineAfterMs?: number;
}

export interface EncodeResult {
  /** Rects in the order the viewer applies them: copies first, then pixels. Empty when idle. */
  rects: Rect[];
  /** Pixel payload bytes (palette colours + compressed data); the msgpack envelope is extra. */
  bytes: number;
  /** The stream context before this frame (`frame.z`); absent without one. */
  z?: number;
}

/** Lossless groups are capped so a full-screen change deflates in parallel pieces. */
const MAX_LOSSLESS_GROUP = 1920 * 128;
/** Shift searches per frame (each gives up to MAX_RECTS_PER_SHIFT copies). */
const MAX_COPIES = 2;
const JPEG_BAND_TILES = 5;
/** Lossless encoders, cheapest first: the first that suits the pixels (not null) wins. */
const LOSSLESS: readonly RectEncoder[] = [fillEncoder, paletteEncoder];

const sameBox = (a: Box, b: Box) => a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;

export class FrameEncoder {
  private prev: Source | null = null;
  private diff: TileDiff | null = null;
  private readonly jpeg = new JpegEncoder();
  private readonly copyDetection: boolean;
  /** The changed area of the last frame where no copy was found. */
  private noMoveAt: Box | null = null;
  private busy = false;
  private readonly zpal: ZpalEncoder | null;
  private videoTier: VideoTier | null = null;
  private readonly clock: () => number;
  private fixedQuality: number | null = null;
  /**
   * Bytes one frame may spend on its photo-like areas (the runtime's link estimate), or null for
   * the curve's default (≥ 34 dB). A smaller budget picks a lower point of the curve: lower
   * quality, then half or quarter resolution.
   */
  photoBudget: number | null = null;
  /**
   * Bytes the next encode may spend refining still lossy tiles, when nothing changed (the runtime
   * sets it when no frame is in flight, so refinement never delays a live update); 0: not now.
   */
  refineBudget = 0;
  private readonly refineAfterMs: number | null;
  private lossy: LossyTiles | null = null;

  constructor(opts: FrameEncoderOptions = {}) {
    if (opts.quality !== undefined) this.quality = opts.quality;
    this.copyDetection = opts.copy ?? true;
    this.zpal = opts.stream === false ? null : new ZpalEncoder();
    this.clock = opts.clock ?? (() => performance.now());
    this.video = opts.video ?? false;
    this.refineAfterMs = opts.refineAfterMs ?? null;
  }

  /** Whether video-rate regions go out as `video` rects (every viewer must decode them). */
  get video(): boolean { return this.videoTier !== null; }
  set video(on: boolean) {
    if (on && !this.videoTier) this.videoTier = new VideoTier();
    else if (!on && this.videoTier) { this.videoTier.end(this.prev); this.videoTier = null; }
  }

  /** Milliseconds until a lossy tile is due for refinement (0: now), or null when none is lossy. */
  refineDueMs(): number | null {
    return this.lossy && this.refineAfterMs !== null ? this.lossy.dueInMs(this.clock(), this.refineAfterMs) : null;
  }

  get quality(): number { return this.jpeg.quality; }
  set quality(q: number) { this.fixedQuality = this.jpeg.quality = Math.max(1, Math.min(100, Math.round(q))); }

  /** Quality and scale for this frame's photo-like area: fixed, or read off the curve. */
  private choose(pixels: number): void {
    if (this.fixedQuality !== null) { this.jpeg.quality = this.fixedQuality; this.jpeg.scale = 1; return; }
    const p = choosePhoto(pixels, this.photoBudget);
    this.jpeg.quality = p.quality;
    this.jpeg.scale = p.scale;
  }

  /** Forget the previous frame: the next encode sends the whole screen. */
  reset(): void { this.prev = null; this.zpal?.reset(); this.videoTier?.end(); }

  /**
   * Encodes what changed since the previous call. The frame's buffer is read until the promise
   * settles (JPEG runs off-thread), so don't reuse it before; it is never written. One call at a
   * time: each frame is encoded against the one before.
   */
  async encode(frame: RgbaFrame): Promise<EncodeResult> {
    if (this.busy) throw new Error('FrameEncoder.encode called again before the previous call finished');
    this.busy = true;
    try {
      return await this.encodeNext(frame);
    } catch (e) {
      this.prev = null; // the model may be half-updated: the next frame is a full one
      this.zpal?.reset();
      this.videoTier?.end();
      throw e;
    } finally {
      this.busy = false;
    }
  }

  private async encodeNext(frame: RgbaFrame): Promise<EncodeResult> {
    const cur = toSource(frame);
    let prev = this.prev;
    if (!prev || prev.width !== cur.width || prev.height !== cur.height) {
      prev = null;
      this.diff = new TileDiff(cur.width, cur.height);
      this.videoTier?.end();
      if (this.refineAfterMs !== null) this.lossy = new LossyTiles(cur.width, cur.height);
    }
    const diff = this.diff!;
    const lossy = this.lossy;
    const now = this.clock();
    const copies: Copy[] = [];
    // The video region first: it leaves the model equal to the capture there (see video-tier.ts).
    const video = prev && this.videoTier ? await this.videoTier.step(prev, cur, now) : null;
    const rects: Rect[] = video ? [video] : [];
    if (!prev) diff.markAll();
    else if (diff.compare(prev.data, cur.data, prev.px, cur.px) === 0) return video ? this.finish(rects) : this.refine(cur, now);
    else if (this.copyDetection) {
      for (let i = 0; i < MAX_COPIES; i++) {
        const ext = diff.extent()!;
        // A region that changes in place frame after frame (a video) had no move last time either:
        // skip the move search there (≈ 6 ms for 1280×720); scrolls are still looked for.
        const same = this.noMoveAt !== null && sameBox(ext, this.noMoveAt);
        // After a scroll, the second search looks for another scroll only: the move search scans
        // every position of what is left (≈ 15 ms per frame of a scrolled terminal under windows),
        // and a window dragged while text scrolls is rare (its pixels are then sent, lossless).
        const scrolled = copies.length > 0 && copies.every((c) => c.sx === c.x);
        const found = findCopies(prev, cur, ext, !same && !scrolled);
        if (i === 0) this.noMoveAt = found.length ? null : ext;
        if (!found.length) break;
        // The viewer applies copies in order onto what earlier ones left: check each against the
        // model in that same state, so a copy reading another's destination is dropped, not wrong.
        const before = copies.length;
        for (const c of found) if (copyMatches(prev, cur, c)) { applyCopy(prev, c); copies.push(c); lossy?.copy(c, now); }
        if (copies.length === before) break;
        if (diff.compare(prev.data, cur.data, prev.px, cur.px) === 0) break;
      }
    }
    if (prev) this.videoTier?.observe(copies.length ? null : diff.extent(), cur.width, cur.height, now);

    for (const c of copies) rects.push({ k: 'copy', ...c });
    const fixed = rects.length;
    const pending = diff.count > 0 ? this.encodeTiles(cur, diff) : [];
    for (const r of await Promise.all(pending)) rects.push(...r);
    if (rects.length > MAX_RECTS) {
      // A pathological screen (photo and drawn blocks interleaved at 4K): JPEG the changed tiles
      // in a few bands rather than send a frame the viewer must refuse.
      rects.length = fixed;
      const tiles: Box[] = [];
      for (let t = 0; t < diff.cols * diff.rows; t++) { const b = diff.box(t); if (b) tiles.push(b); }
      this.choose(tiles.reduce((n, b) => n + b.w * b.h, 0));
      for (const g of mergeBoxes(tiles, 1, 0, diff.width * TILE * JPEG_BAND_TILES)) rects.push(await this.jpeg.encode(cur, g.box));
    }

    if (lossy) {
      for (let t = 0; t < diff.cols * diff.rows; t++) { const b = diff.box(t); if (b) lossy.touch(b, now); }
      for (const r of rects) if (r.k === 'jpeg') lossy.mark(r, now);
    }
    // The viewer now shows cur (lossy regions aside, tracked in `lossy`): make it the previous frame.
    if (prev) this.patch(prev, cur, diff);
    else this.prev = toSource({ width: cur.width, height: cur.height, data: Buffer.from(cur.data) });
    return this.finish(rects);
  }

  /**
   * Nothing changed: due lossy tiles (still for refineAfterMs), losslessly, as many as the budget
   * allows at a photo's ≈ 3 B per pixel (at least one tile, so it always progresses).
   */
  private async refine(cur: Source, now: number): Promise<EncodeResult> {
    const lossy = this.lossy;
    if (!lossy || this.refineBudget <= 0 || this.refineAfterMs === null) return { rects: [], bytes: 0, ...this.position() };
    const due = lossy.due(now, this.refineAfterMs, this.refineBudget / 3);
    if (!due.length) return { rects: [], bytes: 0, ...this.position() };
    const groups = mergeBoxes(due.map((d) => d.box), 0, 0, MAX_LOSSLESS_GROUP);
    const parts = await Promise.all(groups.map((g) => this.exact(cur, g.box)));
    for (const d of due) lossy.clear(d.tile);
    return this.finish(parts.flat());
  }

  /** A box losslessly: fill or palette when they suit, else PNG (any number of colours). */
  private async exact(cur: Source, box: Box): Promise<Rect[]> {
    for (const encoder of LOSSLESS) {
      const r = await encoder.encode(cur, box);
      if (r) return [r];
    }
    return [(await pngEncoder.encode(cur, box))!];
  }

  private finish(rects: Rect[]): EncodeResult {
    // Last and synchronously: the context advances in the order the viewer will apply the rects,
    // and `z` names the state right before them (a reset() during the encode included).
    const z = this.position();
    if (this.zpal) for (let i = 0; i < rects.length; i++) { const r = rects[i]; if (r.k === 'palette') rects[i] = this.zpal.encode(r); }
    let bytes = 0;
    for (const r of rects) if (r.k === 'palette') bytes += r.colors.byteLength + r.data.byteLength; else if ('data' in r) bytes += r.data.byteLength;
    return { rects, bytes, ...z };
  }

  /** `{ z }` of the stream context now (wrapping by a reset), or nothing without one. */
  private position(): { z?: number } {
    if (!this.zpal) return {};
    if (this.zpal.stream.count >= STREAM_MAX_RECTS - MAX_RECTS) this.zpal.reset();
    return { z: this.zpal.stream.count };
  }

  // Per strip of tiles, one copy per row over the union of its changes (pixels between changes are
  // already equal); a full-width strip is one contiguous copy.
  private patch(prev: Source, cur: Source, diff: TileDiff): void {
    const stride = cur.width * 4, b = diff.bounds;
    for (let ty = 0; ty < diff.rows; ty++) {
      let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
      for (let i = ty * diff.cols * 4, end = (ty + 1) * diff.cols * 4; i < end; i += 4) {
        if (b[i + 2] === 0) continue;
        x0 = Math.min(x0, b[i]); y0 = Math.min(y0, b[i + 1]); x1 = Math.max(x1, b[i + 2]); y1 = Math.max(y1, b[i + 3]);
      }
      if (x1 < 0) continue;
      if (x0 === 0 && x1 === cur.width) cur.data.copy(prev.data, y0 * stride, y0 * stride, y1 * stride);
      else for (let y = y0; y < y1; y++) cur.data.copy(prev.data, y * stride + x0 * 4, y * stride + x0 * 4, y * stride + x1 * 4);
    }
  }

  private encodeTiles(cur: Source, diff: TileDiff): Promise<Rect[]>[] {
    const { photo, lossless } = classify(cur, diff);
    const out: Promise<Rect[]>[] = [];
    // Photo-like boxes: merged while that adds little unchanged area (re-encoding unchanged pixels
    // lossily would blur them), up to bands of 5 tile rows, which encode in parallel on the libuv
    // pool (a 1080p frame: ≈ 2.5× less wall time for +0.3 % bytes, measured).
    const groups = mergeBoxes(photo, 0.25, 1024, diff.width * TILE * JPEG_BAND_TILES);
    this.choose(groups.reduce((n, g) => n + g.box.w * g.box.h, 0));
    for (const g of groups) out.push(this.jpeg.encode(cur, g.box).then((x) => [x]));
    // Text and flat UI: grouped, then fill or palette (split until ≤ 256 colours). These come after
    // the JPEGs, so drawn blocks inside a JPEG's box end up exact.
    for (const g of mergeBoxes(lossless, 0.25, 1024, MAX_LOSSLESS_GROUP)) out.push(this.lossless(cur, g.box, g.parts));
    return out;
  }

  /**
   * The first LOSSLESS encoder that suits the union of `parts`; when none does (over 256 colours),
   * the parts are split in two halves (row-major order keeps neighbours together) and a single
   * part in two half boxes, until each piece fits. Larger pieces deflate better than many small ones.
   */
  private async lossless(cur: Source, box: Box, parts: Box[]): Promise<Rect[]> {
    for (const encoder of LOSSLESS) {
      const r = await encoder.encode(cur, box);
      if (r) return [r];
    }
    let halves: Box[][];
    if (parts.length > 1) halves = [parts.slice(0, parts.length >> 1), parts.slice(parts.length >> 1)];
    else if (box.w >= box.h) { const w = box.w >> 1; halves = [[{ ...box, w }], [{ ...box, x: box.x + w, w: box.w - w }]]; }
    else { const h = box.h >> 1; halves = [[{ ...box, h }], [{ ...box, y: box.y + h, h: box.h - h }]]; }
    const out = await Promise.all(halves.map((ps) => this.lossless(cur, ps.reduce(union), ps)));
    return out.flat();
  }
}

