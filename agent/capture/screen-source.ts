// The customer's displays and their pixels, from node-screenshots (RGBA per monitor).
import type { Display } from '../../protocol/index.ts';
import { screenshots } from '../runtime/native-addons.ts';

export interface RawFrame {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row-major, no padding. */
  data: Buffer;
}

export interface ScreenSource {
  displays(): Display[];
  capture(index: number): Promise<RawFrame>;
  /** Forget any pixels kept between captures (region-capture.ts): the next capture is a full one. */
  invalidate?(display?: number): void;
  /** The last frame of that display was written to (a mask): don't hand its buffer out as it is. */
  painted?(display: number): void;
}

type Monitor = InstanceType<ReturnType<typeof screenshots>['Monitor']>;

export class MonitorSource implements ScreenSource {
  private monitors: Monitor[] = [];
  private list: Display[] = [];

  constructor() {
    this.reload();
  }

  /** Re-reads the monitor layout (a display was plugged in, resolution changed); true if it changed. */
  reload(): boolean {
    const before = JSON.stringify(this.list);
    const { Monitor } = screenshots();
    this.monitors = Monitor.all();
    // Primary first, so display 0 is what a rep expects to see first.
    this.monitors.sort((a, b) => Number(b.isPrimary()) - Number(a.isPrimary()) || a.x() - b.x() || a.y() - b.y());
    this.list = this.monitors.map((m, i) => ({
      id: m.id(),
      name: m.name().slice(0, 200) || `Display ${i + 1}`,
      x: m.x(),
      y: m.y(),
      w: m.width(),
      h: m.height(),
      scale: Math.min(8, Math.max(0.1, m.scaleFactor() || 1)),
      primary: m.isPrimary() || (i === 0 && !this.monitors.some((o) => o.isPrimary())),
    }));
    return JSON.stringify(this.list) !== before;
  }

  displays(): Display[] {
    return this.list;
  }

  async capture(index: number): Promise<RawFrame> {
    const m = this.monitors[index];
    if (!m) throw new Error(`no display ${index}`);
    const img = await m.captureImage();
    return { width: img.width, height: img.height, data: await img.toRaw() };
  }
}
