// The agent-only parts of the window: the consent prompt, the sharing banner with END SCREEN
// SHARE (or CHANGE RELEASE under application sharing) and the application picker. Every
// decision goes to the agent over loopback (POST consent); the agent alone holds the grant.
import { useEffect, useState } from 'preact/hooks';
import type { Grant } from '../../protocol/messages/index.ts';
import type { WindowList } from './local-api.ts';

export async function decide(grant: Grant, windows: number[] | 'same' | null = null): Promise<void> {
  await fetch('consent', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant, windows }) });
}

function AppPicker({ grant, onDone }: { grant: Grant; onDone: () => void }) {
  const [list, setList] = useState<WindowList | null>(null);
  const [chosen, setChosen] = useState<number[]>([]);
  useEffect(() => { void fetch('windows').then((r) => r.json()).then((l: WindowList) => setList(l)).catch(() => setList([])); }, []);
  if (!list) return <p role="status">Looking for open windows…</p>;
  if (!list.length) return <p>No application windows were found. Share the whole screen instead.</p>;
  const toggle = (id: number) => setChosen(chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id]);
  return (
    <fieldset class="apps">
      <legend>Share only these windows (everything else is blacked out):</legend>
      {list.map((w) => (
        <label key={w.id} class="app-choice"><input type="checkbox" checked={chosen.includes(w.id)} onChange={() => toggle(w.id)} /> {w.title}</label>
      ))}
      <div class="row">
        <button type="button" class="primary" disabled={!chosen.length} onClick={() => void decide(grant === 'none' ? 'view' : grant, chosen).then(onDone)}>Share selected windows</button>
        <button type="button" onClick={() => void decide(grant === 'none' ? 'view' : grant, null).then(onDone)}>Share the whole screen</button>
      </div>
    </fieldset>
  );
}

/** "<rep> asks to control your screen" with the three answers. */
export function ConsentPrompt({ want, rep, onAnswered }: { want: 'view' | 'control'; rep: string; onAnswered: () => void }) {
  const [apps, setApps] = useState(false);
  const answer = (g: Grant) => void decide(g).then(onAnswered);
  return (
    <section class="card consent" role="alertdialog" aria-labelledby="consent-h">
      <h2 id="consent-h">{rep} asks to {want === 'control' ? 'control' : 'see'} your screen</h2>
      <p>You can stop at any time with END SCREEN SHARE, or by moving your own mouse to pause remote control.</p>
      <div class="row">
        {want === 'control' && <button type="button" class="primary" onClick={() => answer('control')}>Allow shared control</button>}
        <button type="button" class={want === 'view' ? 'primary' : ''} onClick={() => answer('view')}>Allow only viewing</button>
        <button type="button" class="danger" onClick={() => answer('none')}>Refuse</button>
      </div>
      <button type="button" class="link" onClick={() => setApps(!apps)}>{apps ? 'Hide application choice' : 'Share only some applications…'}</button>
      {apps && <AppPicker grant={want} onDone={onAnswered} />}
    </section>
  );
}

/** While sharing: who sees the screen, and the way out. */
export function ShareBanner({ grant, apps, reps, pausedUntil, shortcut }: { grant: Grant; apps: string[] | null; reps: string; pausedUntil: number; shortcut: string }) {
  const [change, setChange] = useState(false);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (pausedUntil <= Date.now()) return;
    const t = setTimeout(() => setNow(Date.now()), pausedUntil - Date.now() + 50);
    return () => clearTimeout(t);
  }, [pausedUntil, now]);
  if (grant === 'none') return null;
  return (
    <div class="banner sharing" role="status">
      <span>{grant === 'control' ? 'Shared control' : 'Screen shared (view only)'} with {reps}{apps ? ` — only: ${apps.join(', ')}` : ''}.</span>
      {pausedUntil > now && <span class="paused"> Remote control paused while you use your mouse.</span>}
      {apps
        ? <button type="button" class="link end-share" onClick={() => setChange(!change)}>CHANGE RELEASE</button>
        : <button type="button" class="link end-share" title={shortcut} onClick={() => void decide('none')}>END SCREEN SHARE</button>}
      {change && (
        <div class="card">
          <AppPicker grant={grant} onDone={() => setChange(false)} />
          <button type="button" class="danger" onClick={() => void decide('none').then(() => setChange(false))}>Stop sharing completely</button>
        </div>
      )}
    </div>
  );
}

/** A rep joined while the screen is shared: the grant doesn't cover them until the customer says so. */
export function JoinPrompt({ names, grant, onDone }: { names: string[]; grant: Grant; onDone: () => void }) {
  return (
    <section class="card consent join" role="alertdialog" aria-labelledby="join-h">
      <h2 id="join-h">{names.join(', ')} joined the session</h2>
      <p>They don’t see your screen yet. Share it with them too ({grant === 'control' ? 'shared control' : 'viewing only'})?</p>
      <div class="row">
        <button type="button" class="primary" onClick={() => void decide(grant, 'same').then(onDone)}>Share with them too</button>
        <button type="button" onClick={onDone}>Not now</button>
      </div>
    </section>
  );
}
