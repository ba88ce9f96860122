// The replay player's state machine (docs/ARCHITECTURE.md "Recording"), apart from any component
// (noVNC style: protocol and state here, pixels in the viewer's Display): the playhead, play and
// pause, speed, and seeking. Frames go onto the Display through the live viewer's own decode and
// paint step. A seek starts from the last seek point at or before the target (a frame that paints
// the whole picture) and plays forward as fast as frames decode, without waiting for their time;
// a seek forward with no seek point in between just goes on from the picture already shown.
import { computed, signal } from '@preact/signals';
import type { Msg } from '../../protocol/index.ts';
import type { Display } from '../viewer/display.ts';
import { decodeFrame, paintFrame, type DecodedFrame } from '../viewer/frame-paint.ts';
import { ViewerStreams } from '../viewer/streams.ts';
import { cullFrames } from './cull.ts';
import type { Timeline } from './timeline.ts';

export const SPEEDS = [1, 2, 4, 8] as const;
export type PlayerState = 'paused' | 'playing' | 'ended';

/** Frames decoded ahead of the one being painted while catching up (decoding runs concurrently). */
const LOOKAHEAD = 8;
/** Frames read and culled together (their messages are held meanwhile). */
const BATCH_FRAMES = 2000;

/** Time and the next turn of the play loop; a test or a benchmark may bring its own. */
export interface Clock { now(): number; later(f: () => void): void }

export const pageClock: Clock = {
  now: () => performance.now(),
  // Animation frames stop in a hidden tab; a timer goes on there (slowly) so playback still ends.
  later: (f) => (typeof document !== 'undefined' && !document.hidden ? requestAnimationFrame(() => f()) : setTimeout(f, 16)),
};

export class Player {
  readonly state = signal<PlayerState>('paused');
  /** The playhead: ms since the recording's start. */
  readonly position = signal(0);
  readonly speed = signal<number>(1);
  /** A seek is drawing its picture. */
  readonly seeking = signal(false);
  /** A video export is playing it through: the controls wait. */
  readonly locked = signal(false);
  /** How many transcript events are at or before the playhead. */
  readonly shownEvents = computed(() => this.timeline.eventsUntil(this.position.value));
  /** ms from the latest seek's start to its picture on the canvas. */
  lastSeekMs = 0;

  /** Records before this index are on the canvas. */
  private next = 0;
  /** A catch-up stopped midway: the canvas must start afresh from a seek point. */
  private stale = false;
  private readonly streams = new ViewerStreams();
  /** Bumped by each seek: work for an older target stops at its next frame. */
  private gen = 0;
  private work: Promise<void> = Promise.resolve();
  private pending = 0;
  private anchor = { pos: 0, wall: 0 };
  private looping = false;

  constructor(readonly timeline: Timeline, readonly display: Display, private readonly clock: Clock = pageClock) {}

  get duration(): number { return this.timeline.duration; }

  play(): void {
    if (this.state.value === 'playing') return;
    if (this.position.value >= this.duration) void this.seek(0);
    this.anchor = { pos: this.position.value, wall: this.clock.now() };
    this.state.value = 'playing';
    this.loop();
  }

  pause(): void {
    if (this.state.value !== 'playing') return;
    this.position.value = this.playhead();
    this.state.value = 'paused';
  }

  toggle(): void {
    if (this.state.value === 'playing') this.pause();
    else this.play();
  }

  setSpeed(speed: number): void {
    if (this.state.value === 'playing') this.anchor = { pos: this.playhead(), wall: this.clock.now() };
    this.speed.value = speed;
  }

  /** Moves the playhead to `to` (ms) and draws the picture of that moment; resolves once it is drawn. */
  seek(to: number): Promise<void> {
    const target = Math.max(0, Math.min(this.duration, to));
    const gen = ++this.gen;
    const started = this.clock.now();
    this.position.value = target;
    this.anchor = { pos: target, wall: started };
    if (this.state.value === 'ended' && target < this.duration) this.state.value = 'paused';
    this.seeking.value = true;
    return this.enqueue(async () => {
      if (gen !== this.gen) return;
      const end = this.timeline.indexAfter(target);
      const from = this.timeline.seekPointAt(target);
      // Backwards, or past a seek point: the picture starts afresh there (or at the beginning).
      if (this.stale || end < this.next || (from && from.index > this.next)) {
        this.display.clear();
        this.streams.clear(); // in step again at the seek point (a stream reset, see Timeline)
        this.next = from ? from.index : 0;
        this.stale = false;
      }
      await this.advance(end, gen);
      if (gen !== this.gen) return;
      this.seeking.value = false;
      this.lastSeekMs = this.clock.now() - started;
      // Playback goes on from the target, not from where the clock ran while it was drawn.
      this.anchor = { pos: target, wall: this.clock.now() };
    });
  }

  /** Resolves when everything asked for so far is on the canvas. */
  idle(): Promise<void> {
    return this.work;
  }

  dispose(): void {
    this.gen++;
    this.state.value = 'paused';
  }

  private playhead(): number {
    return Math.min(this.duration, this.anchor.pos + (this.clock.now() - this.anchor.wall) * this.speed.value);
  }

  private loop(): void {
    if (this.looping) return;
    this.looping = true;
    const step = () => {
      if (this.state.value !== 'playing') { this.looping = false; return; }
      const pos = this.playhead();
      this.position.value = pos;
      // One catch-up at a time; frames that fall due meanwhile go with the next one.
      if (this.pending === 0) {
        if (pos >= this.duration && this.next >= this.timeline.records.length) {
          this.state.value = 'ended';
          this.looping = false;
          return;
        }
        const gen = this.gen;
        void this.enqueue(() => this.advance(this.timeline.indexAfter(pos), gen));
      }
      this.clock.later(step);
    };
    this.clock.later(step);
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    this.pending++;
    this.work = this.work.then(op).catch((e) => console.warn('replay failed', e)).finally(() => { this.pending--; });
    return this.work;
  }

  /**
   * Paints the records before index `end` that are not on the canvas yet, in order: in batches of
   * frames, each culled to the rects that still show at its end (console/replay/cull.ts).
   */
  private async advance(end: number, gen: number): Promise<void> {
    while (this.next < end) {
      const batch: { index: number; frame: Msg<'frame'> }[] = [];
      let i = this.next;
      for (; i < end && batch.length < BATCH_FRAMES; i++) {
        const frame = this.timeline.frame(i);
        if (frame) batch.push({ index: i, frame });
      }
      if (!(await this.paintAll(cullFrames(batch), gen))) {
        // Stopped midway through a culled batch: the canvas is no record's picture.
        this.stale = true;
        return;
      }
      this.next = i;
    }
  }

  /** Decodes ahead while painting in order; false when a newer seek took over. */
  private async paintAll(frames: { frame: Msg<'frame'> }[], gen: number): Promise<boolean> {
    const ahead: { frame: Msg<'frame'>; decoded: Promise<DecodedFrame> }[] = [];
    let scan = 0;
    for (let n = 0; n < frames.length; n++) {
      while (scan < frames.length && ahead.length < LOOKAHEAD) ahead.push({ frame: frames[scan].frame, decoded: decodeFrame(frames[scan++].frame, this.streams) });
      const item = ahead.shift()!;
      const decoded = await item.decoded;
      if (gen !== this.gen) return false;
      paintFrame(this.display, item.frame, decoded);
    }
    return true;
  }
}
