// Progress for a packaging run: each platform goes through the same steps, so progress is
// "step k of n" overall. On a terminal the current line is rewritten in place; elsewhere (CI,
// the server's log) every step is one plain line.
export interface ProgressEvent { platform: string; step: string; done: number; total: number; ms?: number }
export type ProgressFn = (e: ProgressEvent) => void;

export function consoleProgress(stream: NodeJS.WriteStream = process.stderr, prefix = ''): ProgressFn {
  const tty = stream.isTTY === true;
  return (e) => {
    const pct = Math.round((e.done / e.total) * 100);
    const width = 20;
    const filled = Math.round((e.done / e.total) * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const took = e.ms !== undefined ? ` (${(e.ms / 1000).toFixed(1)} s)` : '';
    const line = `${prefix}${bar} ${String(pct).padStart(3)}% ${e.platform}: ${e.step}${took}`;
    if (tty) stream.write(`\r\x1b[2K${line}${e.done === e.total ? '\n' : ''}`);
    else if (e.ms !== undefined) stream.write(`${line}\n`); // logs: one line per finished step
  };
}

export const silentProgress: ProgressFn = () => {};
