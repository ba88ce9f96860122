// A WebM video of a recording, made in the browser from the player's canvas (docs/ARCHITECTURE.md
// "Recording"): canvas.captureStream + MediaRecorder while the player plays it through from the
// start at a chosen speed (×4 by default, so an hour takes 15 minutes; the video plays that fast).
import type { Player } from './player.ts';
import { t } from '../i18n.ts';

export const EXPORT_SPEEDS = [1, 2, 4, 8] as const;
export const EXPORT_SPEED_DEFAULT = 4;
/** Frames per second the canvas is captured at (at most: an unchanged canvas adds none). */
const CAPTURE_FPS = 30;
/** The last picture stays this long in the video (wall time), so it is seen. */
const HOLD_END_MS = 500;

/** The WebM type this browser records, or null when it records none. */
export function webmType(): string | null {
  if (typeof MediaRecorder === 'undefined' || typeof HTMLCanvasElement.prototype.captureStream !== 'function') return null;
  // VP8 first: VP9 costs several times the CPU to encode, and a busy machine then records nothing.
  return ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t)) ?? null;
}

export class ExportCancelled extends Error {
  constructor() { super('Export cancelled'); }
}

/** Plays the recording through while recording the canvas; the promise gives the video. */
export async function exportWebm(player: Player, opts: { speed: number; onProgress: (fraction: number) => void; signal: AbortSignal }): Promise<Blob> {
  const type = webmType();
  if (!type) throw new Error(t('export.noRecorder'));
  const speedBefore = player.speed.value;
  player.locked.value = true;
  player.pause();
  await player.seek(0);
  const stream = player.display.canvas.captureStream(CAPTURE_FPS);
  const recorder = new MediaRecorder(stream, { mimeType: type });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => { if (e.data.size > 0) chunks.push(e.data); };
  const stopped = new Promise<void>((resolve) => { recorder.onstop = () => resolve(); });
  const unwatch: (() => void)[] = [];
  try {
    recorder.start(1000);
    const ended = new Promise<void>((resolve, reject) => {
      unwatch.push(player.state.subscribe((s) => { if (s === 'ended') resolve(); }));
      const cancel = () => reject(new ExportCancelled());
      if (opts.signal.aborted) cancel();
      opts.signal.addEventListener('abort', cancel, { once: true });
      unwatch.push(() => opts.signal.removeEventListener('abort', cancel));
    });
    unwatch.push(player.position.subscribe((p) => opts.onProgress(player.duration > 0 ? p / player.duration : 1)));
    player.setSpeed(opts.speed);
    player.play();
    await ended;
    await new Promise((r) => setTimeout(r, HOLD_END_MS));
  } finally {
    for (const u of unwatch) u();
    player.pause();
    player.setSpeed(speedBefore);
    player.locked.value = false;
    if (recorder.state !== 'inactive') { recorder.stop(); await stopped; }
    for (const t of stream.getTracks()) t.stop();
  }
  // An empty file would save as a "video" that plays nothing: say so instead.
  if (chunks.length === 0) throw new Error(t('export.empty'));
  return new Blob(chunks, { type: 'video/webm' });
}

/** Hands a file to the browser's downloads. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
