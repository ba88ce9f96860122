// Where the agent's time goes per update (capture, encode, send): the agent's own MonitorSource
// (node-screenshots) and FrameEncoder run in this process
// on a real Xvfb 1920×1080 desk (the same X clients as the end-to-end benches), timed per stage,
// wall and CPU (all threads). No server: sending is the msgpack encode of the `frame` message;
// the rest of the path (WebSocket, relay, console) is in bench/e2e-latency.ts.
// Usage: npm run bench -- agent-stages
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameEncoder } from '../agent/encode/index.ts';
import { encode as pack } from '../protocol/index.ts';
import * as S from '../test/helpers/synthetic-screen.ts';
import { startXvfb } from '../test/helpers/xvfb.ts';
import { desk, textLine } from './lib/desk.ts';
import { sleep, W, H } from './lib/screen-world.ts';
import { median, ms } from './lib/stats.ts';
import { XDisplay } from './lib/x.ts';
import { runIfMain } from './lib/main.ts';
import type { BenchResult, BenchRow } from './types.ts';

const N = 20;

interface Stage { wall: number[]; cpu: number[] }
const stage = (): Stage => ({ wall: [], cpu: [] });

async function timed<T>(s: Stage, fn: () => Promise<T> | T): Promise<T> {
  const c0 = process.cpuUsage(), t0 = performance.now();
  const r = await fn();
  s.wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  s.cpu.push((c.user + c.system) / 1000);
  return r;
}

export async function run(): Promise<BenchResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'bridge-stages-'));
  const procs: ChildProcess[] = [];
  const xvfb = await startXvfb(W, H);
  let conn: XDisplay | undefined; // closed in finally, even when set-up fails half-way
  try {
    const x = await XDisplay.open(xvfb.display);
    conn = x;
    process.env.DISPLAY = xvfb.display; // node-screenshots opens the display named here
    const { loadNatives } = await import('../agent/runtime/native-addons.ts');
    const { MonitorSource } = await import('../agent/capture/screen-source.ts');
    await loadNatives();
    const spawnX = (cmd: string, args: string[]) => { const p = spawn(cmd, args, { env: { ...process.env, DISPLAY: xvfb.display }, stdio: 'ignore' }); p.on('error', () => {}); procs.push(p); return p; };
    const d = await desk({ xvfb, x, tmp, spawnX });
    await sleep(800);
    const source = new MonitorSource();
    const photos = Array.from({ length: 4 }, (_, k) => { const img = S.blank(W, H); S.drawPhoto(img, 0, 0, W, H, 300 + k); return img; });
    const colours = [0xcc3333, 0x33aa55, 0x3366cc, 0xeeaa22];
    let line = 9000;
    const scenarios: { name: string; change: (i: number) => void; before?: () => void; after?: () => void }[] = [
      { name: 'idle (nothing changed)', change: () => {} },
      { name: 'window changes colour', change: (i) => x.recolour(d.colour.win, colours[i % 4]) },
      { name: 'key typed into a terminal', change: (i) => x.key('typing in a terminal '[i % 21]) },
      { name: 'window dragged one step', change: (i) => x.move(d.move.win, d.move.x + (i % 2 ? 0 : 24), d.move.y + (i % 2 ? 0 : 16)) },
      { name: 'full-screen terminal scrolls one line', change: () => d.scrollFeed(textLine(line++)) },
      { name: 'full-screen photo changes', change: (i) => x.putImage(d.video.win, 0, 0, photos[i % 4]), before: () => x.map(d.video.win), after: () => x.unmap(d.video.win) },
    ];
    const rows: BenchRow[] = [];
    const data: Record<string, unknown> = {};
    for (const s of scenarios) {
      s.before?.();
      await x.sync();
      await sleep(300);
      const enc = new FrameEncoder();
      await enc.encode(await source.capture(0)); // the model: what the viewer already has
      const cap = stage(), encS = stage(), send = stage();
      let bytes = 0, area = 0;
      const kinds: Record<string, number> = {};
      for (let i = 0; i < N; i++) {
        s.change(i);
        await x.sync();
        await sleep(40); // the X client (xterm) draws its change
        const raw = await timed(cap, () => source.capture(0));
        const r = await timed(encS, () => enc.encode(raw));
        const msg = await timed(send, () => pack({ t: 'frame', sessionId: 'S1234567', seq: i + 1, display: 0, w: raw.width, h: raw.height, ts: Date.now(), rects: r.rects }));
        bytes += r.rects.length ? msg.byteLength : 0;
        for (const x of r.rects) { kinds[x.k] = (kinds[x.k] ?? 0) + 1; if (x.k !== 'copy') area += x.w * x.h; }
      }
      s.after?.();
      const f = (st: Stage) => `${ms(median(st.cpu))} (${ms(median(st.wall))})`;
      rows.push({ scenario: s.name, metric: 'CPU (wall) per update, median: capture; encode; msgpack', measured: `${f(cap)}; ${f(encS)}; ${f(send)}` });
      const kindList = Object.entries(kinds).map(([k, v]) => `${k} ${(v / N).toFixed(1)}`).join(', ') || 'none';
      rows.push({ scenario: s.name, metric: 'per update, mean: frame message; rects; pixels encoded (not copied)', measured: `${Math.round(bytes / N)} B; ${kindList}; ${Math.round(area / N)} px` });
      data[s.name] = { capture: cap, encode: encS, pack: send, bytesPerUpdate: bytes / N, kinds, pixelsPerUpdate: area / N };
    }
    d.close();
    return {
      title: 'Agent stages per update on a real Xvfb screen (capture, encode, message)',
      rows,
      notes: [
        `Xvfb 1920×1080 and the desk of the end-to-end benches; ${N} changes per scenario, each captured 40 ms after the X request (so the X client has drawn it). Capture = MonitorSource.capture (node-screenshots captureImage + toRaw, a full 1080p RGBA frame); encode = FrameEncoder.encode with the agent's defaults; msgpack = protocol encode of the whole \`frame\` message.`,
        'CPU = user + system time of this process (all threads, so libvips and zlib pool threads count) during the stage.',
      ],
      data,
    };
  } finally {
    conn?.close();
    for (const p of procs) { try { p.kill('SIGKILL'); } catch { /* gone */ } }
    await xvfb.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await runIfMain(import.meta.url, run);
