// Steps every platform takes the same way: the bridge server's reachability, the displays, and
// where the tools are the same (Linux and macOS) printers through CUPS and processes through ps.
import { parseLpstat, parsePs, processText, topProcesses } from './parse.ts';
import type { DiagEnv, Step, StepOutput, StepTools } from './types.ts';

/** An HTTP HEAD to the server's origin: reached or not, how fast, what answered. */
export function reachabilityStep(env: DiagEnv): Step {
  return {
    id: 'reachability', title: 'Reachability of the support server',
    async run(t) {
      const origin = new URL(env.server).origin;
      const start = Date.now();
      try {
        const r = await fetch(origin + '/', { method: 'HEAD', signal: t.signal, redirect: 'manual' });
        const ms = Date.now() - start;
        return { data: { origin, reachable: true, status: r.status, ms }, text: `${origin}: reached in ${ms} ms (HTTP ${r.status})` };
      } catch (e) {
        if (t.signal.aborted) throw e;
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        const why = cause?.code ?? cause?.message ?? (e as Error).message;
        return { data: { origin, reachable: false, error: why }, text: `${origin}: not reached (${why})` };
      }
    },
  };
}

/** The display layout the agent already reads for screen sharing. */
export function displaysStep(env: DiagEnv): Step {
  return {
    id: 'displays', title: 'Displays',
    async run() {
      const displays = env.displays();
      const text = displays.map((d, i) => `${i + 1}. ${d.name || 'Display'}: ${d.w}×${d.h} at ${d.x},${d.y}, scale ${d.scale}${d.primary ? ' (primary)' : ''}`).join('\n');
      return { data: displays, text: text || 'No display found.', status: displays.length ? 'ok' : 'unavailable' };
    },
  };
}

/** CUPS printers and queued jobs (`lpstat`). */
export async function cupsPrinters(t: StepTools): Promise<StepOutput> {
  const r = await t.exec('lpstat', ['-p', '-d']);
  const queue = await t.exec('lpstat', ['-o']).then((x) => x.stdout.trim()).catch(() => '');
  const data = { ...parseLpstat(r.stdout), jobs: queue ? queue.split('\n') : [] };
  return { data, text: (r.stdout.trim() || 'No printers.') + (queue ? `\n\nQueue:\n${queue}` : '') };
}

/** Top processes from `ps`: `-eo` on Linux, `-axo` on macOS (same columns). */
export function psProcessesStep(select: '-eo' | '-axo'): Step {
  return {
    id: 'processes', title: 'Top processes by CPU and memory',
    async run(t) {
      const top = topProcesses(parsePs((await t.exec('ps', [select, 'pid,user,%cpu,%mem,rss,comm'])).stdout));
      return { data: top, text: processText(top) };
    },
  };
}
