// The customer's desktop for the end-to-end benches: what a support session typically shows,
// made of real X clients so the agent captures what a user would see.
//   scroll terminal: a full-screen xterm at the bottom of the stack, fed lines through a FIFO
//   typing terminal: an xterm running `cat` (the tty echoes typed keys at once), pointer on it
//   move terminal:   a ≈ 400×290 xterm with a directory listing, the window that gets dragged
//   colour window:   a plain 240×160 window the bench recolours
//   video window:    a full-screen window the bench paints photo-like frames into (unmapped)
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { findWindow, H, sleep, W, type ScreenWorld } from './screen-world.ts';
import type { Region } from './probe.ts';

export interface Desk {
  scrollFeed(text: string): void;
  typing: { win: number; box: Region };
  /** An xterm with an 11 pt anti-aliased monospace font (Xft, DejaVu Sans Mono), running `cat`. */
  typingXft: { win: number; box: Region };
  move: { win: number; x: number; y: number; w: number; h: number };
  colour: { win: number; box: Region };
  video: { win: number };
  /** A band of the scroll terminal no other window covers. */
  scrollBand: Region;
  close(): void;
}

const WORDS = 'the rep asks the customer to open the printer settings and check the queue then restart the spooler service before trying a test page again'.split(' ');

/** A line of varied words, so a scrolled band always differs from the one before. */
export function textLine(i: number, chars = 300): string {
  let s = `${String(i).padStart(5, '0')} `;
  for (let k = i * 7; s.length < chars - 12; k += 3) s += WORDS[(k * 13 + (k >> 2)) % WORDS.length] + ' ';
  return s + '\n';
}

/** What the desk needs of the world: the display, a temp dir, a way to start X clients. */
export type DeskHost = Pick<ScreenWorld, 'xvfb' | 'x' | 'tmp' | 'spawnX'>;

export async function desk(world: DeskHost): Promise<Desk> {
  const { display } = world.xvfb;
  const fifo = join(world.tmp, 'scroll.fifo');
  execFileSync('mkfifo', [fifo]);
  world.spawnX('xterm', ['-T', 'bench-scroll', '-fn', 'fixed', '-geometry', '318x82+0+0', '-bg', '#101418', '-fg', '#d8d8d8', '-e', 'cat', fifo]);
  const fd = openSync(fifo, 'r+'); // read-write: never blocks, whenever the xterm's cat opens it
  await findWindow(display, 'bench-scroll');
  for (let i = 0; i < 90; i++) writeSync(fd, textLine(i));

  world.spawnX('xterm', ['-T', 'bench-type', '-fn', 'fixed', '-geometry', '80x24+40+40', '-bg', '#fdf6e3', '-fg', '#073642', '-e', 'cat']);
  const typeWin = await findWindow(display, 'bench-type');
  world.spawnX('xterm', ['-T', 'bench-move', '-fn', 'fixed', '-geometry', '66x22+700+160', '-bg', '#202a44', '-fg', '#e0e0e0', '-e', 'sh', '-c', 'ls -l /usr/bin | head -21; exec cat']);
  const moveWin = await findWindow(display, 'bench-move');
  world.spawnX('xterm', ['-T', 'bench-type-xft', '-fa', 'Monospace', '-fs', '11', '-geometry', '60x6+40+420', '-bg', '#fdf6e3', '-fg', '#073642', '-e', 'cat']);
  const xftWin = await findWindow(display, 'bench-type-xft');
  const colourWin = world.x.window(1620, 80, 240, 160, 0x3366cc);
  const videoWin = world.x.window(0, 0, W, H, 0x000000);
  world.x.unmap(videoWin);
  world.x.pointer(200, 200); // keyboard focus follows the pointer without a window manager: the typing xterm
  await world.x.sync();
  await sleep(500);
  const geo = (win: number) => {
    const out = execFileSync('xdotool', ['getwindowgeometry', '--shell', String(win)], { env: { ...process.env, DISPLAY: display }, encoding: 'utf8' });
    const n = (k: string) => Number(new RegExp(`${k}=(-?\\d+)`).exec(out)![1]);
    return { x: n('X'), y: n('Y'), w: n('WIDTH'), h: n('HEIGHT') };
  };
  const t = geo(typeWin), m = geo(moveWin), xt = geo(xftWin);
  return {
    scrollFeed: (text) => { writeSync(fd, text); },
    typing: { win: typeWin, box: t },
    typingXft: { win: xftWin, box: xt },
    move: { win: moveWin, ...m },
    colour: { win: colourWin, box: { x: 1620, y: 80, w: 240, h: 160 } },
    video: { win: videoWin },
    scrollBand: { x: 0, y: 700, w: 1900, h: 60 },
    close: () => { try { closeSync(fd); } catch { /* closed */ } },
  };
}
