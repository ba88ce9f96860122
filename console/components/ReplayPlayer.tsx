// The replay player's face: the picture (the live viewer's Display), play/pause, the seek bar
// with the grant changes marked on it, speed, elapsed/total time, the transcript up to the
// playhead, and the exports. Space plays or pauses, the arrows seek 5 s.
import { useEffect, useRef } from 'preact/hooks';
import { minSec } from '../format.ts';
import { me } from '../store.ts';
import { t } from '../i18n.ts';
import { SPEEDS, type Player } from '../replay/player.ts';
import { ChatLog } from './ChatLog.tsx';
import { ReplayExport } from './ReplayExport.tsx';

const ARROW_SEEK_MS = 5000;

function Screen({ player }: { player: Player }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current!;
    const d = player.display;
    el.appendChild(d.canvas);
    d.canvas.tabIndex = -1; // the controls take the keyboard, not the picture
    const ro = new ResizeObserver(([e]) => d.setViewport(e.contentRect.width, e.contentRect.height));
    ro.observe(el);
    return () => { ro.disconnect(); d.canvas.remove(); };
  }, [player]);
  return <div class="viewport fit replay-screen" ref={host} />;
}

/** The seek bar and the grant changes on it (each a button that jumps there). */
function SeekBar({ player }: { player: Player }) {
  const dur = Math.max(1, player.duration);
  const pos = player.position.value;
  return (
    <div class="replay-seek">
      <input type="range" disabled={player.locked.value} min={0} max={dur} step={100} value={pos} aria-label={t('player.position')}
        aria-valuetext={t('player.positionText', { pos: minSec(pos / 1000), total: minSec(dur / 1000) })}
        onInput={(e) => void player.seek(Number((e.target as HTMLInputElement).value))} />
      <div class="replay-marks">
        {player.timeline.grants.map((g, i) => (
          <button key={i} disabled={player.locked.value} class={`mark grant-${g.grant}`} style={{ left: `${(g.at / dur) * 100}%` }} title={`${minSec(g.at / 1000)} ${g.text}`}
            aria-label={t('player.goTo', { time: minSec(g.at / 1000), text: g.text })} onClick={() => void player.seek(g.at)} />
        ))}
      </div>
    </div>
  );
}

function Speed({ player }: { player: Player }) {
  return (
    <span class="row replay-speed" role="group" aria-label={t('player.speed')}>
      {SPEEDS.map((s) => <button key={s} class="small" disabled={player.locked.value} aria-pressed={player.speed.value === s} onClick={() => player.setSpeed(s)}>×{s}</button>)}
    </span>
  );
}

/** The transcript up to the playhead, its latest line in view. */
function Transcript({ player }: { player: Player }) {
  const box = useRef<HTMLDivElement>(null);
  const n = player.shownEvents.value;
  useEffect(() => { const el = box.current; if (el) el.scrollTop = el.scrollHeight; }, [n]);
  const events = player.timeline.events.slice(0, n).map((e) => e.event);
  return (
    <div class="chat-scroll replay-log" ref={box} aria-label={t('player.transcript')}>
      {n === 0 ? <p class="muted">{t('player.noLine')}</p> : <ChatLog events={events} myId={me.value?.id} />}
    </div>
  );
}

function onKey(player: Player, e: KeyboardEvent): void {
  const t = e.target as HTMLElement;
  if (player.locked.value) return;
  if (t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || (t.tagName === 'INPUT' && (t as HTMLInputElement).type !== 'range')) return;
  if (e.key === ' ' && t.tagName !== 'BUTTON') { e.preventDefault(); player.toggle(); }
  else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
    e.preventDefault();
    void player.seek(player.position.value + (e.key === 'ArrowRight' ? ARROW_SEEK_MS : -ARROW_SEEK_MS));
  }
}

export function ReplayPlayer({ player, sessionId }: { player: Player; sessionId: string }) {
  const state = player.state.value;
  const pos = player.position.value;
  return (
    <div class="replay-player" data-state={state} data-position={Math.round(pos)} data-seeking={player.seeking.value ? 'yes' : 'no'} onKeyDown={(e) => onKey(player, e)}>
      <Screen player={player} />
      <div class="row wrap replay-controls">
        <button class="primary" disabled={player.locked.value} onClick={() => player.toggle()} aria-label={state === 'playing' ? t('player.pause') : t('player.play')}>{state === 'playing' ? t('player.pause') : t('player.play')}</button>
        <SeekBar player={player} />
        <span class="replay-time mono">{minSec(pos / 1000)} / {minSec(player.duration / 1000)}</span>
        <Speed player={player} />
      </div>
      <p class="muted small">{t('player.help')}{player.seeking.value && ` ${t('player.drawing')}`}</p>
      <Transcript player={player} />
      <ReplayExport player={player} sessionId={sessionId} />
    </div>
  );
}
