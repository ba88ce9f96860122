// Linux/X11 watermark: an override-redirect window (no window manager decoration, stays where
// put) at the top centre, raised every second, with an empty SHAPE input region so clicks go
// through to the window beneath, and _NET_WM_WINDOW_OPACITY for compositors that honour it.
import x11 from 'x11';
import type { Watermark } from './types.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type X = any;
const BG = 0x7a1f1f; // dark red, readable on light and dark desktops
const FG = 0xffffff;
const HEIGHT = 30;
/** A larger core font when the server has it (misc-fixed 10×20), else the always-present 'fixed'. */
const FONTS = [{ name: '10x20', w: 10, base: 21 }, { name: 'fixed', w: 6, base: 19 }];

export class LinuxWatermark implements Watermark {
  private X: X = null;
  private wid = 0;
  private gc = 0;
  private text = '';
  private raise: ReturnType<typeof setInterval> | null = null;
  private font = FONTS[FONTS.length - 1];
  private screenW = 0;
  private ready: Promise<void> | null = null;

  private connect(): Promise<void> {
    return (this.ready ??= new Promise<void>((resolve, reject) => {
      const client = x11.createClient({ display: process.env.DISPLAY }, (err: Error | null, dpy: X) => {
        if (err) return reject(err);
        const X = dpy.client;
        const screen = dpy.screen[0];
        this.X = X;
        this.wid = X.AllocID();
        this.screenW = screen.pixel_width;
        X.CreateWindow(this.wid, screen.root, 0, 0, 1, HEIGHT, 0, 0, 1, 0, {
          backgroundPixel: BG, overrideRedirect: 1, eventMask: x11.eventMask.Exposure,
        });
        X.ListFonts(FONTS[0].name, 1, (e: unknown, names: string[]) => {
          if (!e && names?.length) this.font = FONTS[0];
          const font = X.AllocID();
          X.OpenFont(font, this.font.name);
          this.gc = X.AllocID();
          X.CreateGC(this.gc, this.wid, { foreground: FG, background: BG, font });
        });
        X.InternAtom(false, '_NET_WM_WINDOW_OPACITY', (e: unknown, atom: number) => {
          if (!e) X.ChangeProperty(0, this.wid, atom, X.atoms.CARDINAL, 32, [Math.floor(0xffffffff * 0.75)]);
        });
        X.require('shape', (e: unknown, Shape: X) => {
          // Input region = nothing: the label never takes a click.
          if (!e && Shape) Shape.Rectangles(Shape.Op.Set, Shape.Kind.Input, this.wid, 0, 0, []);
          resolve();
        });
        X.on('event', (ev: { name: string }) => { if (ev.name === 'Expose') this.draw(); });
        X.on('error', () => {});
      });
      client.on('error', reject);
    }));
  }

  // Core fonts are Latin-1: the em dash becomes a plain dash.
  private label(): string {
    return this.text.replace(/[\u2013\u2014]/g, '-').replace(/[^\x20-\xff]/g, '?').slice(0, 120);
  }

  private draw(): void {
    if (!this.X || !this.text || !this.gc) return;
    this.X.ClearArea(this.wid, 0, 0, 0, 0, 0);
    this.X.PolyText8(this.wid, this.gc, 14, this.font.base, [this.label()]);
  }

  /** Width to fit the text, centred at the top of the screen. */
  private place(): void {
    const w = Math.min(this.screenW, this.label().length * this.font.w + 28);
    this.X.ConfigureWindow(this.wid, { x: Math.floor((this.screenW - w) / 2), y: 0, width: w, height: HEIGHT });
  }

  async show(text: string): Promise<void> {
    this.text = text;
    await this.connect();
    this.place();
    this.X.MapWindow(this.wid);
    this.X.RaiseWindow(this.wid);
    this.draw();
    this.raise ??= setInterval(() => { this.X?.RaiseWindow(this.wid); }, 1000);
  }

  async hide(): Promise<void> {
    if (this.raise) clearInterval(this.raise);
    this.raise = null;
    if (!this.X) return;
    this.X.UnmapWindow(this.wid);
    await new Promise<void>((r) => this.X.GetInputFocus(() => r())); // round trip: the unmap is done
  }

  async close(): Promise<void> {
    await this.hide().catch(() => {});
    if (this.X) { this.X.DestroyWindow(this.wid); this.X.terminate(); }
    this.X = null;
    this.ready = null;
  }
}
