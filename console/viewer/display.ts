// The canvas: what the remote display looks like, how big it is drawn, and where a point of
// the page lands on the remote screen. Knows nothing of the protocol (noVNC's display.js).
import type { Paint } from './decoders/index.ts';

export type ScaleMode = 'fit' | 'actual';

export class Display {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private mode: ScaleMode = 'fit';
  private box = { w: 0, h: 0 };

  constructor() {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'screen';
    this.canvas.width = 1;
    this.canvas.height = 1;
    this.canvas.tabIndex = 0;
    // willReadFrequently keeps the pixels in CPU memory: cheap putImageData and readback.
    this.ctx = this.canvas.getContext('2d', { alpha: false, willReadFrequently: true })!;
  }

  get width(): number { return this.canvas.width; }
  get height(): number { return this.canvas.height; }

  /** A new remote size keeps what overlaps (the agent follows with a full frame anyway). */
  resize(w: number, h: number): void {
    if (w === this.canvas.width && h === this.canvas.height) return;
    const old = this.ctx.getImageData(0, 0, this.canvas.width, this.canvas.height);
    this.canvas.width = w;
    this.canvas.height = h;
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, w, h);
    this.ctx.putImageData(old, 0, 0);
    this.layout();
  }

  /** Black all over, size kept (replay starts a picture afresh from a seek point). */
  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  paint(paints: Paint[]): void {
    for (const p of paints) p(this.ctx);
  }

  setScale(mode: ScaleMode): void {
    this.mode = mode;
    this.layout();
  }

  /** The space the canvas may take (its container's content box). */
  setViewport(w: number, h: number): void {
    this.box = { w, h };
    this.layout();
  }

  private layout(): void {
    const { width, height } = this.canvas;
    // Fit shrinks to the viewport but never blows a small screen up (blurry text helps no one).
    const s = this.mode === 'fit' && this.box.w > 0 && this.box.h > 0 ? Math.min(1, this.box.w / width, this.box.h / height) : 1;
    this.canvas.style.width = `${Math.floor(width * s)}px`;
    this.canvas.style.height = `${Math.floor(height * s)}px`;
  }

  /** Page coordinates → remote display pixels, clamped to the display. */
  toRemote(clientX: number, clientY: number): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    const sx = r.width > 0 ? this.canvas.width / r.width : 1;
    const sy = r.height > 0 ? this.canvas.height / r.height : 1;
    const x = Math.floor((clientX - r.left) * sx);
    const y = Math.floor((clientY - r.top) * sy);
    return { x: Math.max(0, Math.min(this.canvas.width - 1, x)), y: Math.max(0, Math.min(this.canvas.height - 1, y)) };
  }
}
