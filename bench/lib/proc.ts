// CPU time of another process from /proc (Linux): what the agent costs the customer's machine.
import { readFileSync } from 'node:fs';

const TICK = 100; // USER_HZ

/** utime + stime of the process and its waited-for children, in seconds; NaN when gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK;
  } catch {
    return NaN;
  }
}

/** Measures the CPU share (% of one core) of some processes over a phase. */
export class CpuMeter {
  private readonly start: number[];
  private readonly at = performance.now();

  constructor(private readonly pids: number[]) {
    this.start = pids.map(cpuSeconds);
  }

  /** % of one core per pid since construction. */
  stop(): number[] {
    const secs = (performance.now() - this.at) / 1000;
    return this.pids.map((p, i) => ((cpuSeconds(p) - this.start[i]) / secs) * 100);
  }
}
