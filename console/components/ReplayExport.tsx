// "Export video (WebM)": the player plays the recording through at the chosen speed while the
// browser records its canvas; progress, Cancel, then the .webm is saved.
import { useRef, useState } from 'preact/hooks';
import { duration, size } from '../format.ts';
import { t } from '../i18n.ts';
import { EXPORT_SPEED_DEFAULT, EXPORT_SPEEDS, ExportCancelled, exportWebm, saveFile, webmType } from '../replay/export-webm.ts';
import type { Player } from '../replay/player.ts';

type Job = { state: 'idle' } | { state: 'running'; fraction: number } | { state: 'done'; bytes: number } | { state: 'failed'; message: string };

export function ReplayExport({ player, sessionId }: { player: Player; sessionId: string }) {
  const [speed, setSpeed] = useState<number>(EXPORT_SPEED_DEFAULT);
  const [job, setJob] = useState<Job>({ state: 'idle' });
  const abort = useRef<AbortController | null>(null);
  const supported = webmType() !== null;
  const takes = duration(player.duration / 1000 / speed);

  async function start() {
    const ctl = new AbortController();
    abort.current = ctl;
    setJob({ state: 'running', fraction: 0 });
    try {
      let shown = 0;
      // Whole percents only: the playhead moves every animation frame.
      const onProgress = (fraction: number) => { if (Math.floor(fraction * 100) !== shown) { shown = Math.floor(fraction * 100); setJob({ state: 'running', fraction }); } };
      const blob = await exportWebm(player, { speed, signal: ctl.signal, onProgress });
      saveFile(blob, `recording-${sessionId}.webm`);
      setJob({ state: 'done', bytes: blob.size });
    } catch (e) {
      setJob(e instanceof ExportCancelled ? { state: 'idle' } : { state: 'failed', message: t('export.failed', { message: (e as Error).message }) });
    } finally {
      abort.current = null;
    }
  }

  if (!supported) return <p class="muted small replay-export">{t('export.unsupported')}</p>;
  return (
    <div class="replay-export row wrap">
      {job.state === 'running' ? (
        <>
          <label class="grow">{t('export.making', { percent: job.fraction })}
            <progress max={1} value={job.fraction} />
          </label>
          <button onClick={() => abort.current?.abort()}>{t('export.cancel')}</button>
        </>
      ) : (
        <>
          <button onClick={() => void start()}>{t('export.start')}</button>
          <label>{t('export.at')} <select aria-label={t('export.speed')} value={speed} onChange={(e) => setSpeed(Number((e.target as HTMLSelectElement).value))}>
            {EXPORT_SPEEDS.map((s) => <option key={s} value={s}>×{s}</option>)}
          </select></label>
          <span class="muted small">{t('export.explain', { speed, takes })}</span>
          {job.state === 'done' && <span role="status">{t('export.saved', { size: size(job.bytes) })}</span>}
          {job.state === 'failed' && <span class="error" role="alert">{job.message}</span>}
        </>
      )}
    </div>
  );
}
