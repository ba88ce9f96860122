// Upgrade to screen sharing: download the agent for this machine (or another), with the
// platform's run instructions. The key in the file name is how the agent finds the session: an
// agent key from the customer's token (POST /api/sessions/agent-key), good for one start.
// Only downloads the server can serve are offered (GET /api/agent-platforms): one being
// prepared says when it will be ready; those not set up here are named in a note.
import { useEffect, useState } from 'preact/hooks';
import * as v from 'valibot';
import { AgentPlatformsResponse, type AgentPlatformState, type Platform } from '../../protocol/http.ts';
import { PLATFORMS, agentFileName, canShareScreen, detectPlatform, thisDevice } from '../lib/platform.ts';
import type { PendingScreenRequest } from '../../protocol/messages/index.ts';
import { useTakeFocus } from '../lib/focus.ts';
import type { ChatStore } from '../state/store.ts';
import { language, t } from '../lib/i18n.ts';

function Steps({ p, file }: { p: Platform; file: string }) {
  if (p === 'linux-x64') {
    return (
      <ol class="steps">
        <li>{t('steps.linux.terminal')}</li>
        <li>{t('steps.linux.exec')} <code>chmod +x {file}</code></li>
        <li>{t('steps.linux.run')} <code>./{file}</code></li>
      </ol>
    );
  }
  if (p === 'win-x64') return <ol class="steps"><li>{t('steps.win.open')} <code>{file}</code></li><li>{t('steps.win.run')}</li></ol>;
  // The Mac agent is not signed by Apple: it needs a local ad-hoc signature before macOS runs it.
  return (
    <ol class="steps">
      <li>{t('steps.mac.terminal')}</li>
      <li>{t('steps.mac.run')} <code>chmod +x {file} &amp;&amp; xattr -c {file} &amp;&amp; codesign --force --sign - {file} &amp;&amp; ./{file}</code></li>
      <li>{t('steps.mac.allow')}</li>
    </ol>
  );
}

/** What the server offers now; polled while a download is being prepared. */
function useAgentPlatforms(): AgentPlatformState[] | null {
  const [list, setList] = useState<AgentPlatformState[] | null>(null);
  useEffect(() => {
    let gone = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      let next: AgentPlatformState[] | null = null;
      try {
        const r = v.safeParse(AgentPlatformsResponse, await (await fetch('/api/agent-platforms')).json());
        if (r.success) next = r.output.platforms;
      } catch { /* offline: offer every platform, the download itself says what's wrong */ }
      if (gone) return;
      setList(next ?? PLATFORMS.map((p) => ({ platform: p.id, state: 'ready' as const, readyInSec: 0 })));
      const preparing = next?.filter((p) => p.state === 'preparing').map((p) => p.readyInSec ?? 10) ?? [];
      if (preparing.length) timer = setTimeout(load, Math.min(10, Math.max(2, Math.min(...preparing))) * 1000);
    };
    void load();
    return () => { gone = true; clearTimeout(timer); };
  }, []);
  return list;
}

/** "Windows and macOS": the systems named, in words. */
function systems(ids: Platform[]): string {
  const names = [...new Set(PLATFORMS.filter((p) => ids.includes(p.id)).map((p) => p.label.replace(/ \(.*/, '')))];
  return new Intl.ListFormat(language.value, { type: 'conjunction' }).format(names);
}

/** Why a download can't start, in the customer's words (the server's text is for admins). */
function downloadProblem(status: number): string {
  if (status === 503) return t('download.preparing');
  if (status === 404) return t('download.notHere');
  if (status === 409 || status === 410) return t('download.gone');
  if (status === 429) return t('download.tooMany');
  return t('download.failed');
}

/** A key older than this is replaced at the click (agent keys live `sessionKeys.agentValiditySec`, default 5 min). */
const KEY_REFRESH_MS = 30_000;

/** "Ana asks to control your screen" or, opened by the customer, "Share your screen". */
function title(request: PendingScreenRequest | null): string {
  if (!request) return t('screen.shareTitle');
  return t('screen.asks', { rep: request.repName, want: request.want });
}

/**
 * The rep's request on a phone or tablet: no download (the agent is a desktop program), what to
 * do instead, and Decline, which answers the request.
 */
function NeedsComputer({ store, onClose }: { store: ChatStore; onClose?: () => void }) {
  const ref = useTakeFocus<HTMLElement>();
  const request = store.screenRequest.value;
  return (
    <section class="card screenshare" ref={ref} tabIndex={-1} role={request ? 'alertdialog' : 'region'} aria-labelledby="ss-h" aria-describedby="ss-what">
      <h2 id="ss-h">{title(request)}</h2>
      <p id="ss-what">{t('screen.needsComputer', { os: thisDevice().os })}</p>
      {request
        ? <button type="button" class="danger" onClick={() => store.declineScreen()}>{t('common.decline')}</button>
        : <button type="button" onClick={onClose}>{t('common.close')}</button>}
    </section>
  );
}

/**
 * The agent download, pinned in the dock: for the rep's outstanding request (with Decline, which
 * answers the request without the agent) or because the customer chose "Share my screen". A phone
 * or tablet is told it needs a computer instead.
 */
export function ScreenShare(props: { store: ChatStore; agentKey: () => Promise<string>; onClose?: () => void }) {
  return canShareScreen() ? <AgentDownload {...props} /> : <NeedsComputer store={props.store} onClose={props.onClose} />;
}

function AgentDownload({ store, agentKey, onClose }: { store: ChatStore; agentKey: () => Promise<string>; onClose?: () => void }) {
  const offer = useAgentPlatforms();
  const [chosen, setP] = useState<Platform>(detectPlatform);
  const [problem, setProblem] = useState<string | null>(null);
  // An agent key of its own for the download: short-lived and good for one program start.
  const [sessionKey, setSessionKey] = useState<string | null>(null);
  const [keyAt, setKeyAt] = useState(0);
  const ref = useTakeFocus<HTMLElement>();
  useEffect(() => {
    let gone = false;
    agentKey().then((k) => { if (!gone) { setSessionKey(k); setKeyAt(Date.now()); } }, () => { if (!gone) setProblem(t('download.notPrepared')); });
    return () => { gone = true; };
  }, []);
  const freshKey = async (): Promise<string> => {
    const k = await agentKey();
    setSessionKey(k);
    setKeyAt(Date.now());
    return k;
  };
  // Check first (HEAD) so a missing build shows a message instead of saving an error page as the
  // program. A key shown for a while is swapped for a fresh one, so the program the customer
  // saves now has the key's whole validity to start in; a spent or expired key is swapped too.
  const download = async (e: Event) => {
    e.preventDefault();
    const platform = p;
    setProblem(null);
    try {
      let key = sessionKey!;
      if (Date.now() - keyAt > KEY_REFRESH_MS) key = await freshKey();
      const href = (k: string) => `/download/${encodeURIComponent(k)}/${platform}`;
      let r = await fetch(href(key), { method: 'HEAD' });
      if (r.status === 409 || r.status === 410) r = await fetch(href(key = await freshKey()), { method: 'HEAD' });
      if (r.ok) location.assign(href(key));
      else setProblem(downloadProblem(r.status));
    } catch { setProblem(downloadProblem(0)); }
  };
  const request = store.screenRequest.value;
  const offered = PLATFORMS.filter((x) => offer?.some((o) => o.platform === x.id && o.state !== 'unavailable'));
  const missing = PLATFORMS.filter((x) => offer?.some((o) => o.platform === x.id && o.state === 'unavailable')).map((x) => x.id);
  // The detected system when it is offered, else the first one that is.
  const p = offered.some((x) => x.id === chosen) ? chosen : (offered[0]?.id ?? chosen);
  const state = offer?.find((o) => o.platform === p);
  const file = sessionKey ? agentFileName(sessionKey, p) : '';
  return (
    <section class="card screenshare" ref={ref} tabIndex={-1} role={request ? 'alertdialog' : 'region'} aria-labelledby="ss-h" aria-describedby="ss-what">
      <h2 id="ss-h">{title(request)}</h2>
      <p id="ss-what">{t('screen.what')}</p>
      {sessionKey && offer ? (
        <>
          {offered.length > 0 && (
            <label>{t('screen.yourComputer')}{' '}
              <select value={p} onChange={(e) => { setP(e.currentTarget.value as Platform); setProblem(null); }}>
                {offered.map((x) => <option key={x.id} value={x.id}>{x.label}</option>)}
              </select>
            </label>
          )}
          {state?.state === 'ready' && <p><a class="button primary" href={`/download/${encodeURIComponent(sessionKey)}/${p}`} download={file} onClick={download}>{t('screen.download', { file })}</a></p>}
          {state?.state === 'preparing' && <p class="hint" role="status">{t('screen.preparingIn', { n: state.readyInSec ?? 0 })}</p>}
          {problem && <p class="error" role="alert">{problem}</p>}
          {offered.length > 0 && <Steps p={p} file={file} />}
          {missing.length > 0 && <p class="hint unavailable">{t('screen.missing', { systems: systems(missing) })}</p>}
        </>
      ) : (
        problem ? <p class="error" role="alert">{problem}</p> : <p class="hint" role="status">{t('screen.preparing')}</p>
      )}
      {request
        ? <button type="button" class="danger" onClick={() => store.declineScreen()}>{t('common.decline')}</button>
        : <button type="button" onClick={onClose}>{t('common.notNow')}</button>}
    </section>
  );
}

/** Names the current grant covers: from the newest grant line, else every rep in the session. */
function sharedWith(store: ChatStore): string {
  const log = store.log.value;
  for (let i = log.length - 1; i >= 0; i--) {
    const b = log[i].body;
    if (b.kind === 'grant' && b.reps?.length) return b.reps.join(', ');
  }
  return store.session.value?.reps.map((r) => r.name).join(', ') || t('screen.support');
}

/**
 * What the agent is doing while it is connected, in place of the download (which would be stale):
 * running, or sharing with whom. Nothing once the agent is gone.
 */
export function AgentStatus({ store }: { store: ChatStore }) {
  const s = store.session.value;
  if (!s?.agentOnline) return null;
  const request = store.screenRequest.value;
  return (
    <section class="card agent-state" role="status" aria-labelledby="as-h">
      <h2 id="as-h">{s.sharing === 'none' ? t('agent.running') : t('agent.sharing', { names: sharedWith(store), mode: s.sharing })}</h2>
      {request && <p>{t('agent.answerThere', { title: title(request) })}</p>}
      {s.sharing !== 'none' && <p class="hint">{t('agent.stopHint')}</p>}
    </section>
  );
}
