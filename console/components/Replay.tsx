// A session's recording in History: downloads it with progress, then the player (docs/ARCHITECTURE.md
// "Recording"). The player's state lives in console/replay/player.ts; this only shows it.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Display } from '../viewer/display.ts';
import { fetchRecording, type Progress } from '../replay/download.ts';
import { Player } from '../replay/player.ts';
import { Timeline } from '../replay/timeline.ts';
import { size } from '../format.ts';
import { t } from '../i18n.ts';
import { ReplayPlayer } from './ReplayPlayer.tsx';

type Load = { state: 'loading'; progress: Progress } | { state: 'failed'; message: string } | { state: 'ready'; player: Player };

function Loading({ progress }: { progress: Progress }) {
  const { bytes, total } = progress;
  return (
    <div class="replay-loading">
      <label>{total ? t('replay.downloadingOf', { bytes: size(bytes), total: size(total) }) : t('replay.downloading', { bytes: size(bytes) })}
        <progress max={total ?? undefined} value={total ? bytes : undefined} />
      </label>
    </div>
  );
}

export function Replay({ sessionId, url, onClose }: { sessionId: string; url: string; onClose: () => void }) {
  const [load, setLoad] = useState<Load>({ state: 'loading', progress: { bytes: 0, total: null } });
  const display = useMemo(() => new Display(), []);
  useEffect(() => {
    const abort = new AbortController();
    let player: Player | null = null;
    fetchRecording(url, (progress) => setLoad({ state: 'loading', progress }), abort.signal).then((file) => {
      const timeline = new Timeline(file);
      if (timeline.records.length === 0) throw new Error(t('replay.empty'));
      player = new Player(timeline, display);
      setLoad({ state: 'ready', player });
      void player.seek(0);
    }).catch((e: Error) => {
      if (!abort.signal.aborted) setLoad({ state: 'failed', message: t('replay.failed', { message: e.message }) });
    });
    return () => { abort.abort(); player?.dispose(); };
  }, [url, display]);
  return (
    <section class="replay card" aria-label={t('replay.label')}>
      <div class="row">
        <h4>{t('history.replay')}</h4>
        <span class="grow" />
        <button onClick={onClose}>{t('replay.close')}</button>
      </div>
      {load.state === 'loading' && <Loading progress={load.progress} />}
      {load.state === 'failed' && <p class="error" role="alert">{load.message}</p>}
      {load.state === 'ready' && <ReplayPlayer player={load.player} sessionId={sessionId} />}
    </section>
  );
}
