// Bandwidth, frame rate, agent CPU and picture quality per scenario (docs/ARCHITECTURE.md "Performance targets"), end
// to end on loopback: real X clients change the customer's Xvfb screen at a steady rate (idle,
// typing, dragging a window, scrolling a terminal, full-screen photos, a video-like window) while
// the real agent streams to the rep console in headless Chromium through the real server. After
// each scenario the screen rests and the rep's canvas is compared with the customer's screen.
// Usage: npm run bench -- bandwidth   (BENCH_SECONDS=n per scenario, BENCH_SCENARIOS=photo for some)
import * as S from '../test/helpers/synthetic-screen.ts';
import { diffPixels, psnr } from '../test/helpers/frame-decoder.ts';
import { desk, textLine, type Desk } from './lib/desk.ts';
import { CpuMeter } from './lib/proc.ts';
import { canvasImage, counters } from './lib/probe.ts';
import { H, screenWorld, sleep, W, type ScreenWorld } from './lib/screen-world.ts';
import { rate } from './lib/stats.ts';
import { runIfMain } from './lib/main.ts';
import type { BenchResult, BenchRow } from './types.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const TYPING_XFT = 'typing, 10 characters/s into an xterm, 11 pt DejaVu Sans Mono (anti-aliased)';

export interface Scenario {
  name: string;
  /** Changes per second made on the screen (0: idle). */
  hz: number;
  setup?(): Promise<void> | void;
  step?(i: number): void;
  teardown?(): Promise<void> | void;
  lossy?: boolean;
  target?: { bytesPerSec: number; label: string };
}

interface Measured { bytesPerSec: number; fps: number; changesPerSec: number; agentCpuPct: number; agentWaitPct: number; serverCpuPct: number; psnr: number; diffPixels: number }

export function scenarios(w: ScreenWorld, d: Desk, photos: S.RgbaImage[], film: S.RgbaImage): Scenario[] {
  const text = 'please open the printer settings and check the queue, then restart the spooler. ';
  let line = 5000;
  const cx = d.move.x, cy = d.move.y;
  const VW = 640, VH = 360, VX = 1200, VY = 620;
  return [
    { name: 'idle desktop', hz: 0, target: { bytesPerSec: 0, label: '0 B/s' } },
    { name: 'typing, 10 characters/s into a terminal', hz: 10, step: (i) => w.x.key(text[i % text.length]), target: { bytesPerSec: 1000, label: '≤ 1 KB/s, lossless' } },
    {
      // The same text into an xterm with an 11 pt anti-aliased font: ≈ 20-45 colours per glyph.
      name: TYPING_XFT, hz: 10,
      setup: () => w.x.pointer(d.typingXft.box.x + 100, d.typingXft.box.y + 40),
      step: (i) => w.x.key(text[i % text.length]),
      teardown: () => w.x.pointer(200, 200),
      target: { bytesPerSec: 800, label: '≤ 80 B per keystroke, lossless' },
    },
    {
      name: 'moving a 400×290 window, 30 moves/s', hz: 30,
      step: (i) => w.x.move(d.move.win, Math.round(cx + 120 * Math.sin(i / 9)), Math.round(cy + 80 * (1 - Math.cos(i / 9)))),
      teardown: () => w.x.move(d.move.win, cx, cy),
      target: { bytesPerSec: 600_000, label: '≤ 600 KB/s' },
    },
    { name: 'scrolling a full-screen terminal, 20 lines/s', hz: 20, step: () => d.scrollFeed(textLine(line++)), target: { bytesPerSec: 600_000, label: '≤ 600 KB/s, text lossless' } },
    {
      name: 'full-screen photo-like changes, 5/s', hz: 5, lossy: true,
      setup: () => w.x.map(d.video.win),
      step: (i) => w.x.putImage(d.video.win, 0, 0, photos[i % photos.length]),
      teardown: () => w.x.unmap(d.video.win),
      target: { bytesPerSec: 1_400_000, label: '≤ 1.4 MB/s at PSNR ≥ 33 dB' },
    },
    {
      // A 640×360 video: a camera panning over a photo, 25 frames/s.
      name: 'video-like window 640×360, 25 frames/s', hz: 25, lossy: true,
      setup: () => w.x.map(d.video.win),
      step: (i) => {
        const img = S.blank(VW, VH);
        S.blit(img, film, (i * 6) % (film.width - VW), Math.round(40 + 30 * Math.sin(i / 15)), VW, VH, 0, 0);
        w.x.putImage(d.video.win, VX, VY, img);
      },
      teardown: () => w.x.unmap(d.video.win),
    },
  ];
}

/** Changes the screen at the scenario's rate for `seconds`; how many changes it made, in how long. */
export async function drive(w: ScreenWorld, s: Scenario, seconds: number): Promise<{ steps: number; secs: number }> {
  const t0 = performance.now();
  let i = 0;
  // Steps on a fixed schedule (not after each other), so a slow step doesn't lower the rate.
  while (performance.now() - t0 < seconds * 1000) {
    if (s.step && s.hz > 0) {
      s.step(i++);
      await w.x.sync();
      const next = t0 + (i * 1000) / s.hz;
      await sleep(Math.max(0, next - performance.now()));
    } else await sleep(100);
  }
  return { steps: i, secs: (performance.now() - t0) / 1000 };
}

async function measure(w: ScreenWorld, s: Scenario): Promise<Measured> {
  await s.setup?.();
  await w.x.sync();
  await sleep(1000);
  const c0 = await counters(w.page);
  const cpu = new CpuMeter([w.agent.proc.pid!, w.server.proc.pid!]);
  const { steps: i, secs } = await drive(w, s, SECONDS);
  const [agent, server] = cpu.stop();
  const c1 = await counters(w.page);
  // The screen rests; whatever the rep sees now should be what the customer sees.
  await sleep(1500);
  const [canvas, screen] = [await canvasImage(w.page), await w.x.grab(W, H)];
  const m: Measured = {
    bytesPerSec: (c1.bytes - c0.bytes) / secs, fps: (c1.frames - c0.frames) / secs, changesPerSec: i / secs,
    agentCpuPct: agent.cpuPct, agentWaitPct: agent.waitPct, serverCpuPct: server.cpuPct, psnr: psnr(canvas, screen), diffPixels: diffPixels(canvas, screen),
  };
  await s.teardown?.();
  await w.x.sync();
  await sleep(800);
  return m;
}

export async function run(): Promise<BenchResult> {
  // Test pictures first (CPU-heavy), before anything is measured.
  const photos = Array.from({ length: 6 }, (_, k) => { const img = S.blank(W, H); S.drawPhoto(img, 0, 0, W, H, 200 + k); return img; });
  const film = S.blank(1920, 480); S.drawPhoto(film, 0, 0, 1920, 480, 77);
  const w = await screenWorld();
  try {
    const d = await desk(w);
    await sleep(1500);
    const rows: BenchRow[] = [];
    const data: Record<string, Measured> = {};
    const only = process.env.BENCH_SCENARIOS; // e.g. "photo": only scenarios whose name contains it
    for (const s of scenarios(w, d, photos, film).filter((x) => !only || x.name.includes(only))) {
      const m = await measure(w, s);
      data[s.name] = m;
      const quality = m.diffPixels === 0 ? 'identical' : s.lossy ? `PSNR ${m.psnr.toFixed(1)} dB` : `${m.diffPixels} pixels differ (PSNR ${m.psnr.toFixed(1)} dB)`;
      const qualityOk = s.lossy ? m.psnr >= 33 : m.diffPixels === 0;
      rows.push({ scenario: s.name, metric: 'bytes/s on the wire', target: s.target?.label, measured: rate(m.bytesPerSec), ok: s.target ? m.bytesPerSec <= s.target.bytesPerSec && qualityOk : undefined, ratio: s.target?.bytesPerSec ? m.bytesPerSec / s.target.bytesPerSec : undefined });
      if (s.name === TYPING_XFT) {
        const perKey = m.bytesPerSec / m.changesPerSec;
        rows.push({ scenario: s.name, metric: 'bytes on the wire per keystroke (frame envelope included), mean over the scenario', target: '≤ 80 B', measured: `${perKey.toFixed(0)} B`, ok: perKey <= 80, ratio: perKey / 80 });
      }
      rows.push({ scenario: s.name, metric: 'frames/s delivered (screen changes/s); bytes per frame', measured: `${m.fps.toFixed(1)} (${m.changesPerSec.toFixed(1)}); ${m.fps ? Math.round(m.bytesPerSec / m.fps) : 0} B` });
      rows.push({ scenario: s.name, metric: 'CPU, % of one core: agent (its threads waiting for a CPU); server', measured: `${m.agentCpuPct.toFixed(0)} % (${m.agentWaitPct.toFixed(0)} %); ${m.serverCpuPct.toFixed(0)} %` });
      rows.push({ scenario: s.name, metric: s.lossy ? "rep's canvas vs customer's screen, at rest" : "rep's canvas vs customer's screen, at rest (lossless)", target: s.lossy ? '≥ 33 dB' : 'identical', measured: quality, ok: qualityOk });
    }
    d.close();
    return {
      title: 'Bandwidth, frame rate and quality, end to end (Xvfb → agent → server → console in Chromium)',
      rows,
      notes: [
        `Xvfb 1920×1080 with real X clients (xterms, plain windows), the real agent, the server and the rep console in Debian's headless Chromium; ${SECONDS} s per scenario at the stated rate of screen changes.`,
        'Bytes on the wire: WebSocket message payloads arriving at the console (every byte the server relays to the rep; WebSocket/TCP framing not counted). Frames/s: `frame` messages arriving there.',
        'CPU from /proc/<pid>/stat (user + system, all threads) over the scenario; waiting: time its threads were runnable but not running (/proc/<pid>/task/*/schedstat), i.e. starved by the machine\'s load. The bench process drawing the screen, Xvfb and Chromium are not counted.',
        'Photo-like content: test/helpers/synthetic-screen.ts drawPhoto (1/f texture and sensor noise), put into a full-screen window with PutImage; the video is a 640×360 pan over such a photo.',
        'At rest: 1.5 s after the last change, the whole canvas (getImageData) against the X server\'s root window (GetImage).',
      ],
      data,
    };
  } finally {
    await w.teardown();
  }
}

await runIfMain(import.meta.url, run);
