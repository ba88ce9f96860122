// "Something on the screen changed": on X11 the DAMAGE extension on the root window tells us,
// so an idle screen costs no captures and a change is captured at once instead of at the next
// poll. Elsewhere (or without the extension) the capture loop polls on a timer.
import x11 from 'x11';

export interface ChangeSignal {
  /** Resolves when the screen changed since the last call, or after timeoutMs. */
  wait(timeoutMs: number): Promise<void>;
  close(): void;
}

export interface DamageRect { x: number; y: number; w: number; h: number }

/** DAMAGE's rectangles and its connection, for fetching only what changed (region-capture.ts). */
export interface DamageRegions {
  /** Damaged rectangles (root coordinates) since the last call; null when there were too many to keep. */
  take(): DamageRect[] | null;
  /** The connection the Subtracts went out on: a GetImage sent on it is ordered after them. */
  X: X;
  dpy: X;
}

export type Damage = ChangeSignal & { regions: DamageRegions };

// Beyond this many rectangles between two captures a full capture is cheaper anyway.
const MAX_RECTS = 256;
// A small first change (a typed echo) waits this long for the rest of it before the capture
// wakes: xterm draws the glyph and, in a later request, the cursor, and a capture between the two
// sent the key as two frames (a second envelope, ≈ 60 B). Larger changes wake at once.
const SETTLE_MS = 10;
const SETTLE_MAX_AREA = 64 * 64;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type X = any;

export function x11Damage(display = process.env.DISPLAY): Promise<Damage | null> {
  if (process.platform !== 'linux' || !display) return Promise.resolve(null);
  return new Promise((resolve) => {
    const client = x11.createClient({ display }, (err: Error | null, dpy: X) => {
      if (err) return resolve(null);
      const X = dpy.client;
      X.require('damage', (e: Error | null, Damage: X) => {
        if (e || !Damage) { X.terminate(); return resolve(null); }
        const id = X.AllocID();
        // Delta rectangles, emptied by a Subtract per event: every change after that Subtract
        // notifies again, so the rectangles kept since a capture cover all it missed.
        Damage.Create(id, dpy.screen[0].root, Damage.ReportLevel.DeltaRectangles);
        let dirty = true; // the first capture always happens
        let waiter: (() => void) | null = null;
        let rects: DamageRect[] | null = [];
        let settle: ReturnType<typeof setTimeout> | null = null;
        let area = 0; // damaged since the waiter started waiting
        const wakeWaiter = () => {
          if (settle) { clearTimeout(settle); settle = null; }
          const w = waiter;
          waiter = null;
          w?.();
        };
        X.on('event', (ev: { name?: string; area?: DamageRect }) => {
          if (ev.name !== 'DamageNotify') return;
          Damage.Subtract(id, 0, 0); // re-arm: the next change notifies again
          if (rects && ev.area && rects.length < MAX_RECTS) rects.push(ev.area);
          else rects = null;
          dirty = true;
          if (!waiter) return;
          area += ev.area ? ev.area.w * ev.area.h : Infinity;
          if (area > SETTLE_MAX_AREA) wakeWaiter();
          else settle ??= setTimeout(wakeWaiter, SETTLE_MS);
        });
        X.on('error', () => {});
        resolve({
          wait(timeoutMs) {
            if (dirty) { dirty = false; return Promise.resolve(); }
            return new Promise<void>((done) => {
              const wake = () => { clearTimeout(t); dirty = false; done(); };
              // A wait the capture loop gave up on (its sleep won the race) must not, when its
              // timer fires, unregister the newer waiter: that change would wait a whole timeout.
              const t = setTimeout(() => { if (waiter === wake) waiter = null; done(); }, timeoutMs);
              t.unref?.();
              area = 0;
              waiter = wake;
            });
          },
          close() {
            try { Damage.Destroy(id); X.terminate(); } catch { /* gone */ }
          },
          regions: {
            take() { const r = rects; rects = []; return r; },
            X,
            dpy,
          },
        });
      });
    });
    client.on('error', () => resolve(null));
  });
}
