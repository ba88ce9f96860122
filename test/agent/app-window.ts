// The agent's real browser window under Xvfb, seen from outside as the customer sees it: found
// by its X class, measured, photographed, closed with the keyboard (Ctrl+W, as a person does;
// there is no window manager to ask).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { until } from '../helpers/server.ts';
import { x } from '../helpers/xvfb.ts';

export const SHOTS = process.env.BRIDGE_SHOTS ?? '/tmp';

export interface WindowBox { id: string; x: number; y: number; w: number; h: number }

/** The visible Chromium window on this display (the agent's app window). */
export async function agentWindow(display: string, timeoutMs = 30_000): Promise<WindowBox> {
  let box: WindowBox | null = null;
  await until(() => {
    try {
      const ids = x(display, 'xdotool', ['search', '--onlyvisible', '--class', 'chromium']).trim().split('\n').filter(Boolean);
      for (const id of ids) {
        const g = x(display, 'xdotool', ['getwindowgeometry', '--shell', id]);
        const get = (k: string) => Number(new RegExp(`${k}=(-?\\d+)`).exec(g)?.[1]);
        // Chromium maps small helper windows too; the app window is the big one.
        if (get('WIDTH') > 200 && get('HEIGHT') > 200) { box = { id, x: get('X'), y: get('Y'), w: get('WIDTH'), h: get('HEIGHT') }; return true; }
      }
    } catch { /* not mapped yet */ }
    return false;
  }, timeoutMs, 'the agent window on screen');
  return box!;
}

/** Saves the whole X screen as a PNG and returns its path. */
export function saveScreenshot(display: string, name: string): string {
  const file = join(SHOTS, `bridge-agent-${name}.png`);
  execFileSync('import', ['-window', 'root', file], { env: { ...process.env, DISPLAY: display } });
  return file;
}

/** RGB pixels of a screen area, row by row (ImageMagick, independent of the agent). */
export function screenArea(display: string, b: { x: number; y: number; w: number; h: number }): { at(px: number, py: number): number } {
  const raw = execFileSync('import', ['-window', 'root', '-crop', `${b.w}x${b.h}+${b.x}+${b.y}`, '-depth', '8', 'rgb:-'], { env: { ...process.env, DISPLAY: display }, maxBuffer: 64 << 20 });
  return { at: (px, py) => { const i = (py * b.w + px) * 3; return (raw[i] << 16) | (raw[i + 1] << 8) | raw[i + 2]; } };
}

/** Ctrl+W in the window: Chromium closes its last tab, and with it the app window. */
export function closeWithKeyboard(display: string, id: string): void {
  x(display, 'xdotool', ['windowfocus', id]);
  x(display, 'xdotool', ['key', '--clearmodifiers', 'ctrl+w']);
}

/** Stops an agent the way a customer's Ctrl+C does (SIGTERM): it closes its browser window and
 *  removes its files. A SIGKILL would leave the browser (its own process group) writing into the
 *  temp dir being removed. */
export async function stopAgent(agent: { proc: { kill(sig: NodeJS.Signals): boolean; exitCode: number | null }; exited: Promise<unknown> } | null): Promise<void> {
  if (!agent || agent.proc.exitCode !== null) return;
  agent.proc.kill('SIGTERM');
  await Promise.race([agent.exited, new Promise((r) => setTimeout(r, 10_000))]);
}
