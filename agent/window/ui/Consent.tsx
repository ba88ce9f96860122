// The agent-only parts of the window: the consent prompt, the sharing banner with END SCREEN
// SHARE (or CHANGE RELEASE under application sharing) and the application picker. Every
// decision goes to the agent over loopback (POST consent); the agent alone holds the grant.
import { useEffect, useState } from 'preact/hooks';
import type { Grant, PendingScreenRequest } from '../../../protocol/messages/index.ts';
import { useTakeFocus } from '../../../web-chat/lib/focus.ts';
import { CLOSE_PATH, type CloseRequest, type ConsentRequest, type WindowList } from '../local-api.ts';
import { t } from '../../../web-chat/lib/i18n.ts';
import { postToAgent } from './post.ts';

/** Tells the agent the customer's choice; `requestId` when it answers the rep's request, `reps`
 *  the reps the prompt named (the grant covers exactly those). */
export async function decide(grant: Grant, windows: number[] | 'same' | null = null, requestId?: string, reps?: string[]): Promise<void> {
  const body: ConsentRequest = { grant, windows, ...(requestId ? { requestId } : {}), ...(reps ? { reps } : {}) };
  await postToAgent('consent', body);
}

/** After the end: the agent closes the window and finishes; window.close() if it can't be reached. */
export async function closeWindow(): Promise<void> {
  const body: CloseRequest = {};
  try {
    await postToAgent(CLOSE_PATH, body);
  } catch { /* the agent is gone already */ }
  window.close();
}

function AppPicker({ grant, onDone, requestId, reps }: { grant: Grant; onDone: () => void; requestId?: string; reps?: string[] }) {
  const [list, setList] = useState<WindowList | null>(null);
  const [chosen, setChosen] = useState<number[]>([]);
  useEffect(() => { void fetch('windows').then((r) => r.json()).then((l: WindowList) => setList(l)).catch(() => setList([])); }, []);
  if (!list) return <p role="status">{t('apps.looking')}</p>;
  if (!list.length) return <p>{t('apps.none')}</p>;
  const toggle = (id: number) => setChosen(chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id]);
  return (
    <fieldset class="apps">
      <legend>{t('apps.legend')}</legend>
      {list.map((w) => (
        <label key={w.id} class="app-choice"><input type="checkbox" checked={chosen.includes(w.id)} onChange={() => toggle(w.id)} /> <bdi>{w.title}</bdi></label>
      ))}
      <div class="row">
        <button type="button" class="primary" disabled={!chosen.length} onClick={() => void decide(grant === 'none' ? 'view' : grant, chosen, requestId, reps).then(onDone)}>{t('apps.shareSelected')}</button>
        <button type="button" onClick={() => void decide(grant === 'none' ? 'view' : grant, null, requestId, reps).then(onDone)}>{t('apps.shareWhole')}</button>
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
      <h2 id="consent-h">{t('consent.asks', { rep: request.repName, want })}</h2>
      <p id="consent-covers" class="covers">{t('consent.covers', { names: (covers.length ? covers.map((r) => r.name) : [request.repName]).join(', ') })}</p>
      <p>{t('consent.stopHint')}</p>
      <div class="row">
        {want === 'control' && <button type="button" class="primary" onClick={() => answer('control')}>{t('consent.control')}</button>}
        <button type="button" class={want === 'view' ? 'primary' : ''} onClick={() => answer('view')}>{t('consent.view')}</button>
        <button type="button" class="danger" onClick={() => answer('none')}>{t('common.refuse')}</button>
      </div>
      <button type="button" class="link" onClick={() => setApps(!apps)}>{apps ? t('consent.hideApps') : t('consent.someApps')}</button>
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
      <span>{apps ? t('banner.sharingApps', { grant, reps, apps: apps.join(', ') }) : t('banner.sharing', { grant, reps })}</span>
      {pausedUntil > now && <span class="paused"> {t('banner.paused')}</span>}
      {apps
        ? <button type="button" class="link end-share" onClick={() => setChange(!change)}>{t('banner.change')}</button>
        : <button type="button" class="link end-share" title={shortcut} onClick={() => void decide('none')}>{t('banner.end')}</button>}
      {change && (
        <div class="card">
          <AppPicker grant={grant} onDone={() => setChange(false)} />
          <button type="button" class="danger" onClick={() => void decide('none').then(() => setChange(false))}>{t('banner.stopAll')}</button>
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
      <h2 id="join-h">{t('join.joined', { names: names.join(', ') })}</h2>
      <p>{t('join.shareToo', { grant })}</p>
      <div class="row">
        <button type="button" class="primary" onClick={() => void decide(grant, 'same', undefined, [...covered, ...joined.map((r) => r.id)]).then(onDone)}>{t('join.shareButton')}</button>
        <button type="button" onClick={onDone}>{t('common.notNow')}</button>
      </div>
    </section>
  );
}
