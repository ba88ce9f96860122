// The agent-only parts of the window: the consent prompt, the sharing banner with END SCREEN
// SHARE (or CHANGE RELEASE under application sharing) and the application picker. Every
// decision goes to the agent over loopback (POST consent); the agent alone holds the grant.
import { useEffect, useState } from 'preact/hooks';
import type { Grant, PendingScreenRequest } from '../../../protocol/messages/index.ts';
import { useTakeFocus } from '../../../web-chat/lib/focus.ts';
import { CLOSE_PATH, type CloseRequest, type ConsentRequest, type WindowList } from '../local-api.ts';

/** Tells the agent the customer's choice; `requestId` when it answers the rep's request, `reps`
 *  the reps the prompt named (the grant covers exactly those). */
export async function decide(grant: Grant, windows: number[] | 'same' | null = null, requestId?: string, reps?: string[]): Promise<void> {
  const body: ConsentRequest = { grant, windows, ...(requestId ? { requestId } : {}), ...(reps ? { reps } : {}) };
  await fetch('consent', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** After the end: the agent closes the window and finishes; window.close() if it can't be reached. */
export async function closeWindow(): Promise<void> {
  const body: CloseRequest = {};
  try {
    await fetch(CLOSE_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch { /* the agent is gone already */ }
  window.close();
}

function AppPicker({ grant, onDone, requestId, reps }: { grant: Grant; onDone: () => void; requestId?: string; reps?: string[] }) {
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
        <button type="button" class="primary" disabled={!chosen.length} onClick={() => void decide(grant === 'none' ? 'view' : grant, chosen, requestId, reps).then(onDone)}>Share selected windows</button>
        <button type="button" onClick={() => void decide(grant === 'none' ? 'view' : grant, null, requestId, reps).then(onDone)}>Share the whole screen</button>
      </div>
    </fieldset>
  );
}

/**
 * "<rep> asks to control your screen" with the three answers, naming every rep the grant will
 * cover (the reps in the session now). The answer names the same reps, so the grant covers
 * exactly who was shown, even if someone joins while the customer reads. Focused when it
 * appears, pinned in the dock.
 */
export function ConsentPrompt({ request, covers, onAnswered }: { request: PendingScreenRequest; covers: Array<{ id: string; name: string }>; onAnswered: () => void }) {
  const [apps, setApps] = useState(false);
  const ref = useTakeFocus<HTMLElement>();
  const want = request.want;
  const reps = covers.map((r) => r.id);
  const answer = (g: Grant) => void decide(g, null, request.id, g === 'none' ? undefined : reps).then(onAnswered);
  return (
    <section class="card consent" ref={ref} tabIndex={-1} role="alertdialog" aria-labelledby="consent-h" aria-describedby="consent-covers">
      <h2 id="consent-h">{request.repName} asks to {want === 'control' ? 'control' : 'see'} your screen</h2>
      <p id="consent-covers" class="covers">This grant covers: {(covers.length ? covers.map((r) => r.name) : [request.repName]).join(', ')}</p>
      <p>You can stop at any time with END SCREEN SHARE, or by moving your own mouse to pause remote control.</p>
      <div class="row">
        {want === 'control' && <button type="button" class="primary" onClick={() => answer('control')}>Allow shared control</button>}
        <button type="button" class={want === 'view' ? 'primary' : ''} onClick={() => answer('view')}>Allow only viewing</button>
        <button type="button" class="danger" onClick={() => answer('none')}>Refuse</button>
      </div>
      <button type="button" class="link" onClick={() => setApps(!apps)}>{apps ? 'Hide application choice' : 'Share only some applications…'}</button>
      {apps && <AppPicker grant={want} onDone={onAnswered} requestId={request.id} reps={reps} />}
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

/** A rep joined while the screen is shared: the grant doesn't cover them until the customer says so.
 *  "Share with them too" covers those already covered and the ones named here, nobody else. */
export function JoinPrompt({ joined, covered, grant, onDone }: { joined: Array<{ id: string; name: string }>; covered: string[]; grant: Grant; onDone: () => void }) {
  const ref = useTakeFocus<HTMLElement>();
  const names = joined.map((r) => r.name);
  return (
    <section class="card consent join" ref={ref} tabIndex={-1} role="alertdialog" aria-labelledby="join-h">
      <h2 id="join-h">{names.join(', ')} joined the session</h2>
      <p>They don’t see your screen yet. Share it with them too ({grant === 'control' ? 'shared control' : 'viewing only'})?</p>
      <div class="row">
        <button type="button" class="primary" onClick={() => void decide(grant, 'same', undefined, [...covered, ...joined.map((r) => r.id)]).then(onDone)}>Share with them too</button>
        <button type="button" onClick={onDone}>Not now</button>
      </div>
    </section>
  );
}
