// CPU time of another process from /proc (Linux): what the agent costs the customer's machine,
// and how long its threads sat runnable waiting for a CPU (on a busy machine a low CPU share
// can mean "starved", not "idle"; schedstat tells which).
import { readdirSync, readFileSync } from 'node:fs';

const TICK = 100; // USER_HZ

/** utime + stime of the process (all threads), in seconds; NaN when gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK;
  } catch {
    return NaN;
  }
}

/** Seconds the process's threads spent runnable on a run queue, not running (schedstat). */
export function runQueueSeconds(pid: number): number {
  try {
    let ns = 0;
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      try { ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[1]); } catch { /* thread ended */ }
    }
    return ns / 1e9;
  } catch {
    return NaN;
  }
}

export interface CpuShare { cpuPct: number; waitPct: number }

/** Measures CPU share and run-queue wait (% of wall time, one core = 100) of processes over a phase. */
export class CpuMeter {
  private readonly start: { cpu: number; wait: number }[];
  private readonly at = performance.now();

  constructor(private readonly pids: number[]) {
    this.start = pids.map((p) => ({ cpu: cpuSeconds(p), wait: runQueueSeconds(p) }));
  }

  stop(): CpuShare[] {
    const secs = (performance.now() - this.at) / 1000;
    return this.pids.map((p, i) => ({ cpuPct: ((cpuSeconds(p) - this.start[i].cpu) / secs) * 100, waitPct: ((runQueueSeconds(p) - this.start[i].wait) / secs) * 100 }));
  }
}
