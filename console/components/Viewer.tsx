// The screen panel: grant state (always visible), request buttons, scale, special keys, stats,
// and the canvas that ScreenSession owns (it lives on while the tab is hidden).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ScreenSession } from '../viewer/screen.ts';
import { attachInput, COMBOS } from '../viewer/input.ts';
import type { ScaleMode } from '../viewer/display.ts';
import { now } from '../store.ts';
import { minSec } from '../format.ts';
import { systemText, type Display } from '../../protocol/index.ts';
import { eventWords, t } from '../i18n.ts';

function GrantBadge({ screen }: { screen: ScreenSession }) {
  const g = screen.grant.value;
  if (screen.controlAllowed) return <span class="badge grant control" data-grant="control">{t('viewer.inControl')}</span>;
  if (screen.viewing) return <span class="badge grant view" data-grant="view">{t('viewer.viewOnly')}</span>;
  if (screen.req.waiting(now.value)) return <span class="badge grant requested" data-grant="requested">{t('viewer.requestSent')}</span>;
  return <span class="badge grant none" data-grant="none">{g && g.grant !== 'none' ? t('viewer.notSharedWithYou') : t('viewer.notSharing')}</span>;
}

/**
 * The outstanding request with its age and a Cancel button, or why the last one ended. The
 * status text is a live region that is always in the page (so changes are announced); the
 * ticking age sits outside it, so a screen reader isn't told the time every second.
 */
function RequestStatus({ screen, ended }: { screen: ScreenSession; ended: boolean }) {
  const req = screen.req;
  const at = now.value;
  const w = ended ? null : req.waiting(at);
  const outcome = ended || w ? null : req.outcome.value;
  const want = w?.want === 'control' ? 'control' : 'view';
  const text = w
    ? w.repId === req.repId ? t('viewer.waitingForCustomer', { want }) : t('viewer.otherAsked', { name: w.repName ?? t('viewer.anotherRep'), want })
    : outcome ? systemText(outcome, eventWords()) : '';
  return (
    <div class={`request-status ${w ? 'waiting' : outcome ? `outcome ${outcome.code.replace('.', '-')}` : 'idle'}`}>
      <span role="status">{text}</span>
      {w && <span class="muted ago"> {t('viewer.askedAgo', { time: minSec((at - w.since) / 1000) })}</span>}
      {w?.id && w.repId === req.repId && <button class="small" onClick={() => req.cancel()}>{t('viewer.cancelRequest')}</button>}
    </div>
  );
}

export function Viewer({ screen, ended, displays = [] }: { screen: ScreenSession; ended: boolean; displays?: Display[] }) {
  const host = useRef<HTMLDivElement>(null);
  const [scale, setScale] = useState<ScaleMode>('fit');
  const viewing = screen.viewing;
  const control = screen.controlAllowed;
  const size = screen.size.value;
  const stats = screen.stats.value;
  const paused = screen.pausedUntil.value > now.value;
  const asking = screen.req.waiting(now.value) !== null;

  useEffect(() => {
    const el = host.current!;
    el.appendChild(screen.display.canvas);
    const ro = new ResizeObserver(([e]) => screen.display.setViewport(e.contentRect.width, e.contentRect.height));
    ro.observe(el);
    const detach = attachInput(screen);
    // Opening the viewer: ask for a full picture rather than wait for the next change.
    if (screen.viewing) screen.refresh();
    return () => { detach(); ro.disconnect(); screen.display.canvas.remove(); };
  }, [screen]);
  useEffect(() => screen.display.setScale(scale), [scale, screen]);

  return (
    <section class={`viewer card ${control ? 'is-control' : viewing ? 'is-view' : 'is-off'}`}>
      <div class="viewer-bar row wrap">
        <GrantBadge screen={screen} />
        {!ended && !asking && !control && <button onClick={() => screen.request('control')}>{t('viewer.requestControl')}</button>}
        {!ended && !asking && !viewing && <button onClick={() => screen.request('view')}>{t('viewer.requestView')}</button>}
        <span class="grow" />
        {viewing && displays.length > 1 && (
          <select aria-label={t('viewer.display')} value={screen.displayShown} onChange={(e) => screen.selectDisplay(Number((e.target as HTMLSelectElement).value))}>
            {displays.map((d, i) => <option key={d.id} value={i}>{d.name || t('viewer.displayN', { n: i + 1 })} ({d.w}×{d.h}){d.primary ? ' ★' : ''}</option>)}
          </select>
        )}
        {control && COMBOS.map((c) => (
          <button key={c.label} class="small combo" onClick={() => screen.sendInput({ t: 'key.combo', sessionId: screen.sessionId, codes: c.codes })}>{c.label}</button>
        ))}
        <button class="small" aria-pressed={scale === 'fit'} onClick={() => setScale(scale === 'fit' ? 'actual' : 'fit')}>{scale === 'fit' ? t('viewer.fit') : '1:1'}</button>
      </div>
      <RequestStatus screen={screen} ended={ended} />
      {paused && <div class="banner paused" role="status">{t('viewer.paused')}</div>}
      <div class={`viewport ${scale}`} ref={host}>
        {!size && <div class="placeholder">{viewing ? t('viewer.firstPicture') : ended ? t('chat.ended') : asking ? t('viewer.asked') : t('viewer.notShared')}</div>}
        {size && !viewing && <div class="placeholder over">{ended ? t('chat.ended') : t('viewer.lastPicture')}</div>}
      </div>
      <div class="stats muted small" aria-label={t('viewer.stats')}>
        {size ? `${size.w}×${size.h}` : '—'} · {t('viewer.statsLine', { fps: stats.fps, kbps: stats.kbps, latency: stats.latencyMs === null ? '—' : `${stats.latencyMs} ms`, frames: stats.frames })}
      </div>
    </section>
  );
}
