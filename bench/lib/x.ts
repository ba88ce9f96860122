// Draws on the customer's X display straight from the bench process (the `x11` package the agent
// already uses): a change starts when its request is written, not after spawning xdotool
// (≈ 5-10 ms of noise per change). sync() is a round trip: after it the server applied everything.
import { execFileSync } from 'node:child_process';
import x11 from 'x11';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface RgbaImage { width: number; height: number; data: Buffer }

export class XDisplay {
  private gcs = new Map<number, number>();
  private keycodes = new Map<string, number>();

  private constructor(private readonly X: Any, readonly root: number, private readonly depth: number, private readonly xtest: Any, readonly display: string) {}

  /** Connects; retried because a fresh Xvfb resets when its first client (the readiness probe)
   * leaves, and hangs up on whoever connects during that reset. */
  static async open(display: string): Promise<XDisplay> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await XDisplay.connect(display);
      } catch (e) {
        if (attempt >= 5 || !/closed before setup|ECONNRESET|ECONNREFUSED|EPIPE/.test((e as Error).message)) throw e;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }

  private static connect(display: string): Promise<XDisplay> {
    return new Promise((resolve, reject) => {
      const client = x11.createClient({ display }, (err: Error | null, dpy: Any) => {
        if (err) return reject(err);
        const X = dpy.client;
        X.on('error', (e: Error) => console.error('X error:', e.message));
        X.require('xtest', (e: Error | null, xtest: Any) => {
          if (e) return reject(e);
          const s = dpy.screen[0];
          resolve(new XDisplay(X, s.root, s.root_depth, xtest, display));
        });
      });
      client.on('error', reject);
    });
  }

  /** A plain coloured top-level window (override-redirect: no window manager needed), mapped. */
  window(x: number, y: number, w: number, h: number, rgb: number): number {
    const id = this.X.AllocID();
    this.X.CreateWindow(id, this.root, x, y, w, h, 0, 0, 0, 0, { backgroundPixel: rgb, overrideRedirect: 1 });
    this.X.MapWindow(id);
    return id;
  }

  recolour(win: number, rgb: number): void {
    this.X.ChangeWindowAttributes(win, { backgroundPixel: rgb });
    this.X.ClearArea(win, 0, 0, 0, 0, 0);
  }

  move(win: number, x: number, y: number): void { this.X.MoveWindow(win, x, y); }
  map(win: number): void { this.X.MapWindow(win); this.X.RaiseWindow(win); }
  unmap(win: number): void { this.X.UnmapWindow(win); }
  raise(win: number): void { this.X.RaiseWindow(win); }

  /** Draws RGBA pixels into a window (24-bit TrueColor: B, G, R, X in memory), in bands. */
  putImage(win: number, x: number, y: number, img: RgbaImage): void {
    let gc = this.gcs.get(win);
    if (gc === undefined) { gc = this.X.AllocID(); this.X.CreateGC(gc, win, {}); this.gcs.set(win, gc!); }
    const { width, data } = img;
    const band = Math.max(1, Math.floor(200_000 / (width * 4)));
    for (let y0 = 0; y0 < img.height; y0 += band) {
      const h = Math.min(band, img.height - y0);
      const out = Buffer.allocUnsafe(width * h * 4);
      const src = data.subarray(y0 * width * 4, (y0 + h) * width * 4);
      for (let i = 0; i < out.length; i += 4) { out[i] = src[i + 2]; out[i + 1] = src[i + 1]; out[i + 2] = src[i]; out[i + 3] = 0; }
      this.X.PutImage(2, win, gc, width, h, x, y + y0, 0, this.depth, out);
    }
  }

  /** Presses and releases a key as a keyboard would (XTEST), on the window under the pointer. */
  key(char: string): void {
    if (this.keycodes.size === 0) this.loadKeymap();
    const code = this.keycodes.get(char);
    if (code === undefined) throw new Error(`no keycode for ${JSON.stringify(char)}`);
    this.xtest.FakeInput(this.xtest.KeyPress, code, 0, this.root, 0, 0);
    this.xtest.FakeInput(this.xtest.KeyRelease, code, 0, this.root, 0, 0);
  }

  pointer(x: number, y: number): void {
    this.xtest.FakeInput(this.xtest.MotionNotify, 0, 0, this.root, x, y);
  }

  /** A round trip: every request before it has been applied by the server. */
  sync(): Promise<void> {
    return new Promise((resolve) => this.X.GetInputFocus(() => resolve()));
  }

  /** The whole screen as RGBA (what the customer sees; no cursor, like the agent's capture). */
  grab(width: number, height: number): Promise<RgbaImage> {
    return new Promise((resolve, reject) => {
      this.X.GetImage(2, this.root, 0, 0, width, height, 0xffffffff, (err: Error | null, r: { data: Buffer }) => {
        if (err) return reject(err);
        const data = Buffer.allocUnsafe(width * height * 4);
        for (let i = 0; i < data.length; i += 4) { data[i] = r.data[i + 2]; data[i + 1] = r.data[i + 1]; data[i + 2] = r.data[i]; data[i + 3] = 255; }
        resolve({ width, height, data });
      });
    });
  }

  close(): void {
    try { this.X.terminate(); } catch { /* gone */ }
  }

  // Unshifted keysym names of the server's keymap, from xmodmap (e.g. "keycode  38 = a A").
  private loadKeymap(): void {
    const out = execFileSync('xmodmap', ['-display', this.display, '-pke'], { encoding: 'utf8' });
    const names: Record<string, string> = { space: ' ', period: '.', comma: ',', minus: '-', slash: '/', semicolon: ';', Return: '\n' };
    for (const line of out.split('\n')) {
      const m = /^keycode\s+(\d+) = (\S+)/.exec(line);
      if (!m) continue;
      const ch = m[2].length === 1 ? m[2] : names[m[2]];
      if (ch !== undefined && !this.keycodes.has(ch)) this.keycodes.set(ch, Number(m[1]));
    }
  }
}
