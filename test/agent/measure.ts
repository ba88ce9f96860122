// Not a test: measures the agent's CPU while sharing an idle 1080p screen, and change → frame latency.
import { readFileSync } from 'node:fs';
import { x } from '../helpers/xvfb.ts';
import { RepScreen, sleep, spawnX, windowApi, withAgent, world } from './harness.ts';

const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const w = await world({ width: 1920, height: 1080 });
try {
  const agent = await withAgent(w);
  const screen = new RepScreen(w.rep, w.sessionId);
  await windowApi(agent.windowUrl).consent('view');
  await sleep(3000);
  const c0 = cpu(agent.proc.pid!), t0 = Date.now();
  await sleep(5000);
  console.log(`idle 1080p sharing: agent CPU ${((cpu(agent.proc.pid!) - c0) / (Date.now() - t0) * 100).toFixed(1)} % of one core, frames ${screen.frames.length}`);
  w.procs.push(spawnX(w.xvfb.display, 'xterm', ['-bg', '#20A040', '-geometry', '40x10+100+300']));
  await sleep(1500);
  const id = x(w.xvfb.display, 'xdotool', ['search', '--class', 'xterm']).trim().split('\n')[0];
  const lat: number[] = [];
  const bytes0 = screen.bytes;
  for (let i = 0; i < 20; i++) {
    await screen.settled();
    const n = screen.frames.length;
    const t = Date.now();
    x(w.xvfb.display, 'xdotool', ['windowmove', id, String(100 + (i % 2) * 400), '300']);
    while (screen.frames.length === n && Date.now() - t < 5000) await sleep(1);
    lat.push(Date.now() - t);
    await sleep(200);
  }
  lat.sort((a, b) => a - b);
  console.log(`window move → first frame at the rep (loopback, 1080p): p50 ${lat[10]} ms, p95 ${lat[18]} ms; ${((screen.bytes - bytes0) / 20 / 1024).toFixed(1)} KiB per move`);
  screen.stop();
} finally {
  await w.teardown();
}
