// Applies remote input with nut-js: absolute positions (setPosition, never animated moves),
// button and key down/up, wheel steps. Whether input may be applied at all is decided by the
// session (consent) before enqueue(); this file only maps and injects, one event at a time,
// and can drop everything queued at once (discard) when sharing ends or the customer moves.
import type { Display, InputMessage } from '../../protocol/index.ts';
import { keyName } from './keymap.ts';
import { nut } from '../runtime/native-addons.ts';

export interface InputOptions {
  displays: () => Display[];
  /** Application sharing: may the pointer act at this global position? */
  allowedAt?: (x: number, y: number) => boolean;
  /** Application sharing: may keys be typed now (a shared window has the focus)? */
  keysAllowed?: (lastPointer: { x: number; y: number } | null) => Promise<boolean>;
  /** The customer's pointer wins: asked before every move (see pointer-guard.ts). */
  guard?: { check(): Promise<boolean>; expect(p: { x: number; y: number }): void };
}

export class InputInjector {
  private chain: Promise<void> = Promise.resolve();
  private gen = 0;
  private readonly keysDown = new Set<number>();
  private readonly buttonsDown = new Set<number>();
  /** Where the rep's pointer last went (global), for the application-sharing key filter. */
  private last: { x: number; y: number } | null = null;

  constructor(private readonly opts: InputOptions) {}

  enqueue(msg: InputMessage): void {
    const gen = this.gen;
    this.chain = this.chain.then(() => (gen === this.gen ? this.apply(msg) : undefined)).catch((e) => {
      console.error('input failed:', (e as Error).message);
    });
  }

  /** Drops queued input and releases every key and button the rep still holds. */
  discard(): Promise<void> {
    this.gen++;
    const release = async () => {
      const n = nut();
      for (const k of this.keysDown) await n.keyboard.releaseKey(k);
      for (const b of this.buttonsDown) await n.mouse.releaseButton(b);
      this.keysDown.clear();
      this.buttonsDown.clear();
    };
    this.chain = this.chain.then(release, release).catch(() => {});
    return this.chain;
  }

  /** Global screen position of a point in a display's frame, clamped to that display. */
  map(display: number | undefined, x: number, y: number): { x: number; y: number } | null {
    const d = this.opts.displays()[display ?? 0];
    if (!d) return null;
    return { x: d.x + Math.min(Math.max(0, x), d.w - 1), y: d.y + Math.min(Math.max(0, y), d.h - 1) };
  }

  private async moveTo(msg: { display?: number; x: number; y: number }): Promise<boolean> {
    const p = this.map(msg.display, msg.x, msg.y);
    if (!p) return false;
    if (this.opts.allowedAt && !this.opts.allowedAt(p.x, p.y)) return false;
    const n = nut();
    if (this.opts.guard && (await this.opts.guard.check())) return false;
    this.opts.guard?.expect(p);
    this.last = p;
    await n.mouse.setPosition(new n.Point(p.x, p.y));
    return true;
  }

  private async apply(msg: InputMessage): Promise<void> {
    const n = nut();
    switch (msg.t) {
      case 'pointer':
        await this.moveTo(msg);
        return;
      case 'button': {
        const b = msg.button === 'left' ? n.Button.LEFT : msg.button === 'right' ? n.Button.RIGHT : n.Button.MIDDLE;
        if (msg.down) {
          if (!(await this.moveTo(msg))) return;
          await n.mouse.pressButton(b);
          this.buttonsDown.add(b);
        } else if (this.buttonsDown.has(b)) {
          await this.moveTo(msg);
          await n.mouse.releaseButton(b);
          this.buttonsDown.delete(b);
        }
        return;
      }
      case 'wheel':
        if (!(await this.moveTo(msg))) return;
        if (msg.dy > 0) await n.mouse.scrollDown(msg.dy);
        else if (msg.dy < 0) await n.mouse.scrollUp(-msg.dy);
        if (msg.dx > 0) await n.mouse.scrollRight(msg.dx);
        else if (msg.dx < 0) await n.mouse.scrollLeft(-msg.dx);
        return;
      case 'key': {
        const k = this.key(msg.code);
        if (k === null) return;
        if (msg.down && !(await this.keyAllowed())) return;
        if (msg.down) {
          await n.keyboard.pressKey(k);
          this.keysDown.add(k);
        } else if (this.keysDown.has(k)) {
          await n.keyboard.releaseKey(k);
          this.keysDown.delete(k);
        }
        return;
      }
      case 'key.combo': {
        const keys = msg.codes.map((c) => this.key(c));
        if (keys.some((k) => k === null) || !(await this.keyAllowed())) return;
        for (const k of keys) await n.keyboard.pressKey(k!);
        for (const k of [...keys].reverse()) await n.keyboard.releaseKey(k!);
        return;
      }
    }
  }

  private key(code: string): number | null {
    const name = keyName(code);
    if (name === null) return null;
    const v = (nut().Key as unknown as Record<string, number>)[name];
    return typeof v === 'number' ? v : null;
  }

  // Under application sharing, keys go only to a shared window (see session.keysAllowed).
  private async keyAllowed(): Promise<boolean> {
    return this.opts.keysAllowed ? await this.opts.keysAllowed(this.last) : true;
  }
}
