// Browser side of bench/recording.ts: the console's own replay modules (download, timeline,
// player, the viewer's Display) on a bare page, timed: loading a recording, then seeks.
import { fetchRecording } from '../../console/replay/download.ts';
import { Player } from '../../console/replay/player.ts';
import { Timeline } from '../../console/replay/timeline.ts';
import { Display } from '../../console/viewer/display.ts';

async function run(url: string, targetsMs: number[]) {
  const t0 = performance.now();
  const file = await fetchRecording(url, () => {});
  const t1 = performance.now();
  const timeline = new Timeline(file);
  const t2 = performance.now();
  const display = new Display();
  document.body.appendChild(display.canvas);
  const player = new Player(timeline, display);
  await player.seek(0);
  const seeks: { target: number; ms: number; fromSeekPoint: number }[] = [];
  for (const target of targetsMs) {
    const from = timeline.seekPointAt(target);
    const s = performance.now();
    await player.seek(target);
    seeks.push({ target, ms: performance.now() - s, fromSeekPoint: from ? target - from.at : target });
  }
  return {
    bytes: file.length, downloadMs: t1 - t0, indexMs: t2 - t1, records: timeline.records.length, frames: timeline.frameCount,
    seekPoints: timeline.seekPoints.length, durationMs: timeline.duration, seeks,
    heapMB: ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 2 ** 20,
  };
}

(window as unknown as Record<string, unknown>).replayBench = { run };
