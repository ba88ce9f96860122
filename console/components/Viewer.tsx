// The screen panel: grant state (always visible), request buttons, scale, special keys, stats,
// and the canvas that ScreenSession owns (it lives on while the tab is hidden).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ScreenSession } from '../viewer/screen.ts';
import { attachInput, COMBOS } from '../viewer/input.ts';
import type { ScaleMode } from '../viewer/display.ts';
import { now } from '../store.ts';
import { minSec } from '../format.ts';
import type { Display } from '../../protocol/index.ts';

function GrantBadge({ screen }: { screen: ScreenSession }) {
  const g = screen.grant.value;
  if (screen.controlAllowed) return <span class="badge grant control" data-grant="control">In control</span>;
  if (screen.viewing) return <span class="badge grant view" data-grant="view">View only</span>;
  if (screen.req.waiting(now.value)) return <span class="badge grant requested" data-grant="requested">Request sent</span>;
  return <span class="badge grant none" data-grant="none">{g && g.grant !== 'none' ? 'Not shared with you' : 'Not sharing'}</span>;
}

/**
 * The outstanding request with its age and a Cancel button, or why the last one ended. The
 * status text is a live region that is always in the page (so changes are announced); the
 * ticking age sits outside it, so a screen reader isn't told the time every second.
 */
function RequestStatus({ screen, ended }: { screen: ScreenSession; ended: boolean }) {
  const req = screen.req;
  const t = now.value;
  const w = ended ? null : req.waiting(t);
  const outcome = ended || w ? null : req.outcome.value;
  const what = w?.want === 'control' ? 'control' : 'viewing';
  const text = w
    ? w.repId === req.repId ? `Waiting for the customer to allow ${what}…` : `${w.repName ?? 'Another representative'} asked the customer to allow ${what}…`
    : outcome?.text ?? '';
  return (
    <div class={`request-status ${w ? 'waiting' : outcome ? `outcome ${outcome.code.replace('.', '-')}` : 'idle'}`}>
      <span role="status">{text}</span>
      {w && <span class="muted ago"> (asked {minSec((t - w.since) / 1000)} ago)</span>}
      {w?.id && w.repId === req.repId && <button class="small" onClick={() => req.cancel()}>Cancel request</button>}
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
        {!ended && !asking && !control && <button onClick={() => screen.request('control')}>Request control</button>}
        {!ended && !asking && !viewing && <button onClick={() => screen.request('view')}>Request view</button>}
        <span class="grow" />
        {viewing && displays.length > 1 && (
          <select aria-label="Display" value={screen.displayShown} onChange={(e) => screen.selectDisplay(Number((e.target as HTMLSelectElement).value))}>
            {displays.map((d, i) => <option key={d.id} value={i}>{d.name || `Display ${i + 1}`} ({d.w}×{d.h}){d.primary ? ' ★' : ''}</option>)}
          </select>
        )}
        {control && COMBOS.map((c) => (
          <button key={c.label} class="small combo" onClick={() => screen.sendInput({ t: 'key.combo', sessionId: screen.sessionId, codes: c.codes })}>{c.label}</button>
        ))}
        <button class="small" aria-pressed={scale === 'fit'} onClick={() => setScale(scale === 'fit' ? 'actual' : 'fit')}>{scale === 'fit' ? 'Fit' : '1:1'}</button>
      </div>
      <RequestStatus screen={screen} ended={ended} />
      {paused && <div class="banner paused" role="status">The customer is using the mouse — remote input paused</div>}
      <div class={`viewport ${scale}`} ref={host}>
        {!size && <div class="placeholder">{viewing ? 'Waiting for the first picture…' : ended ? 'Session ended' : asking ? 'The customer is asked to share the screen.' : 'Screen not shared. Ask the customer with “Request control” or “Request view”.'}</div>}
        {size && !viewing && <div class="placeholder over">{ended ? 'Session ended' : 'Screen sharing ended — this is the last picture'}</div>}
      </div>
      <div class="stats muted small" aria-label="Screen statistics">
        {size ? `${size.w}×${size.h}` : '—'} · {stats.fps} fps · {stats.kbps} kbit/s · latency {stats.latencyMs === null ? '—' : `${stats.latencyMs} ms`} · {stats.frames} frames
      </div>
    </section>
  );
}
