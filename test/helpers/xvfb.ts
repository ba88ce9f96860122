// A private X display for tests that need real capture and input (docs/ARCHITECTURE.md "Testing with real parts").
// -noreset: Xvfb otherwise resets when the readiness probe disconnects, and clients connecting
// during that reset fail (seen in about 1 of 8 bench set-ups).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Xvfb { display: string; width: number; height: number; proc: ChildProcess; stop(): Promise<void> }

function free(n: number): boolean {
  return !existsSync(`/tmp/.X11-unix/X${n}`) && !existsSync(`/tmp/.X${n}-lock`);
}

/** Starts Xvfb on a free display number (random, so parallel suites don't collide). */
export async function startXvfb(width = 1920, height = 1080): Promise<Xvfb> {
  for (let tries = 0; tries < 20; tries++) {
    const n = 100 + Math.floor(Math.random() * 800);
    if (!free(n)) continue;
    const proc = spawn('Xvfb', [`:${n}`, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-ac', '-noreset'], { stdio: 'ignore' });
    const display = `:${n}`;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) break;
      try {
        execFileSync('xdpyinfo', ['-display', display], { stdio: 'ignore' });
        return {
          display, width, height, proc,
          stop: () => new Promise((resolve) => {
            if (proc.exitCode !== null) return resolve();
            proc.once('exit', () => resolve());
            proc.kill('SIGTERM');
          }),
        };
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    proc.kill('SIGKILL');
  }
  throw new Error('could not start Xvfb: is the xvfb package installed?');
}

/** Runs a command against the display and returns its stdout. */
export function x(display: string, cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { env: { ...process.env, DISPLAY: display }, encoding: 'utf8' });
}

/** Pointer position as xdotool sees it (the independent check of injected input). */
export function mouseLocation(display: string): { x: number; y: number } {
  const out = x(display, 'xdotool', ['getmouselocation', '--shell']);
  const get = (k: string) => Number(new RegExp(`${k}=(-?\\d+)`).exec(out)?.[1]);
  return { x: get('X'), y: get('Y') };
}
