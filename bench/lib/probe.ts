// The rep's side of the end-to-end benches, inside the console page: counts what arrives on the
// console's WebSocket (bytes, frame messages, their arrival times) and watches a small region
// of the viewer's canvas for the change the bench just made on the customer's screen.
// Installed with page.addInitScript before the console opens its socket.
import type { Page } from 'playwright-core';

export interface Region { x: number; y: number; w: number; h: number }
export interface Seen { canvas: number; presented: number }
export interface Counters { bytes: number; messages: number; frames: number }

interface ProbeApi {
  counters(): Counters;
  arrivals(since: number): number[];
  acks(since: number): number[];
  arm(r: Region, tolerance: number): void;
  seen(timeoutMs: number): Promise<Seen | null>;
  image(): string;
}

/** Runs in the page. No imports: it is serialised by playwright. */
export function probeInit(): void {
  const w = window as unknown as { WebSocket: typeof WebSocket; __probe: ProbeApi };
  const counters = { bytes: 0, messages: 0, frames: 0 };
  const arrivals: number[] = [];
  // A `frame` message carries t: 'frame' as the msgpack fixstr a5 'f' 'r' 'a' 'm' 'e' near its start
  // (frame.ack / frame.refresh are longer strings, so they don't match).
  // A compact frame (typing: only zpal and fill rects, protocol/codec.ts) has no `t`: it starts
  // with its record shape's byte, 0x46 (the seventh shared shape).
  const isFrame = (b: Uint8Array) => {
    if (b[0] === 0x46) return true;
    const n = Math.min(b.length - 5, 160);
    for (let i = 0; i < n; i++) if (b[i] === 0xa5 && b[i + 1] === 0x66 && b[i + 2] === 0x72 && b[i + 3] === 0x61 && b[i + 4] === 0x6d && b[i + 5] === 0x65) return true;
    return false;
  };
  const Native = w.WebSocket;
  class CountingSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      // Added before the console's own onmessage, so it runs first: the arrival time of the message.
      this.addEventListener('message', (e: MessageEvent) => {
        const t = Date.now();
        if (!(e.data instanceof ArrayBuffer)) return;
        counters.bytes += e.data.byteLength;
        counters.messages++;
        if (isFrame(new Uint8Array(e.data, 0, Math.min(e.data.byteLength, 200)))) {
          counters.frames++;
          arrivals.push(t);
          if (arrivals.length > 20_000) arrivals.splice(0, 10_000);
        }
      });
    }
  }
  // The console acks a frame right after painting it: the ack's send time ends its decode + paint.
  const acks: number[] = [];
  const isAck = (b: Uint8Array) => {
    const n = Math.min(b.length - 9, 80);
    for (let i = 0; i < n; i++) if (b[i] === 0xa9 && b[i + 1] === 0x66 && b[i + 6] === 0x2e && b[i + 7] === 0x61 && b[i + 8] === 0x63 && b[i + 9] === 0x6b) return true;
    return false;
  };
  const send = Native.prototype.send;
  CountingSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
    if (data instanceof Uint8Array && isAck(data)) { acks.push(Date.now()); if (acks.length > 20_000) acks.splice(0, 10_000); }
    return send.call(this, data);
  };
  w.WebSocket = CountingSocket as typeof WebSocket;

  const canvas = () => document.querySelector<HTMLCanvasElement>('canvas.screen');
  let region: { x: number; y: number; w: number; h: number } | null = null;
  let before: Uint8ClampedArray | null = null;
  let tol = 0;
  let seen: { canvas: number; presented: number } = { canvas: 0, presented: 0 };
  const changed = (): boolean => {
    const c = canvas();
    if (!c || !region || !before) return false;
    const d = c.getContext('2d')!.getImageData(region.x, region.y, region.w, region.h).data;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - before[i]) > tol || Math.abs(d[i + 1] - before[i + 1]) > tol || Math.abs(d[i + 2] - before[i + 2]) > tol) return true;
    }
    return false;
  };
  // Two watchers: a fast timer (≈ 4 ms, when the canvas holds the pixels) and animation frames
  // (when the browser would show them: the canvas change plus up to one display refresh).
  const fast = () => { if (!region || seen.canvas) return; if (changed()) seen.canvas = Date.now(); else setTimeout(fast, 0); };
  const raf = () => { if (!region || seen.presented) return; if (seen.canvas || changed()) seen.presented = Date.now(); else requestAnimationFrame(raf); };

  w.__probe = {
    counters: () => ({ ...counters }),
    arrivals: (since) => arrivals.filter((t) => t >= since),
    acks: (since) => acks.filter((t) => t >= since),
    arm(r, tolerance) {
      const c = canvas();
      if (!c) throw new Error('no viewer canvas');
      region = r; tol = tolerance; seen = { canvas: 0, presented: 0 };
      before = c.getContext('2d')!.getImageData(r.x, r.y, r.w, r.h).data;
      setTimeout(fast, 0);
      requestAnimationFrame(raf);
    },
    seen(timeoutMs) {
      const until = Date.now() + timeoutMs;
      return new Promise((resolve) => {
        const check = () => {
          if (seen.canvas && seen.presented) { region = null; resolve(seen); }
          else if (Date.now() > until) { region = null; resolve(null); }
          else setTimeout(check, 5);
        };
        check();
      });
    },
    image() {
      const c = canvas()!;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let s = '';
      for (let i = 0; i < d.length; i += 0x8000) s += String.fromCharCode(...d.subarray(i, i + 0x8000));
      return btoa(s);
    },
  };
}

type W = { __probe: ProbeApi };

export const counters = (page: Page) => page.evaluate(() => (window as unknown as W).__probe.counters());
export const arrivals = (page: Page, since: number) => page.evaluate((s) => (window as unknown as W).__probe.arrivals(s), since);
export const acks = (page: Page, since: number) => page.evaluate((s) => (window as unknown as W).__probe.acks(s), since);
export const arm = (page: Page, r: Region, tolerance = 0) => page.evaluate(([r, t]) => (window as unknown as W).__probe.arm(r, t), [r, tolerance] as const);
export const seen = (page: Page, timeoutMs: number) => page.evaluate((t) => (window as unknown as W).__probe.seen(t), timeoutMs);

/** The viewer's whole canvas as RGBA. */
export async function canvasImage(page: Page): Promise<{ width: number; height: number; data: Buffer }> {
  const [width, height] = await page.evaluate(() => { const c = document.querySelector<HTMLCanvasElement>('canvas.screen')!; return [c.width, c.height]; });
  const data = Buffer.from(await page.evaluate(() => (window as unknown as W).__probe.image()), 'base64');
  return { width, height, data };
}
