// Upgrade to screen sharing: download the agent for this machine (or another), with the
// platform's run instructions. The key in the file name is how the agent finds the session: an
// agent key from the customer's token (POST /api/sessions/agent-key), good for one start.
// Only downloads the server can serve are offered (GET /api/agent-platforms): one being
// prepared says when it will be ready; those not set up here are named in a note.
import { useEffect, useState } from 'preact/hooks';
import * as v from 'valibot';
import { AgentPlatformsResponse, type AgentPlatformState, type Platform } from '../../protocol/http.ts';
import { PLATFORMS, agentFileName, detectPlatform, thisDevice } from '../lib/platform.ts';
import { handheldName, isHandheld } from '../../protocol/device.ts';
import type { PendingScreenRequest } from '../../protocol/messages/index.ts';
import { useTakeFocus } from '../lib/focus.ts';
import type { ChatStore } from '../state/store.ts';

function Steps({ p, file }: { p: Platform; file: string }) {
  if (p === 'linux-x64') {
    return (
      <ol class="steps">
        <li>Open a terminal in the folder you saved it to.</li>
        <li>Make it executable: <code>chmod +x {file}</code></li>
        <li>Run it: <code>./{file}</code></li>
      </ol>
    );
  }
  if (p === 'win-x64') return <ol class="steps"><li>Open <code>{file}</code> from your downloads.</li><li>If Windows asks, choose “Run”.</li></ol>;
  // The Mac agent is not signed by Apple: it needs a local ad-hoc signature before macOS runs it.
  return (
    <ol class="steps">
      <li>Open Terminal in your Downloads folder.</li>
      <li>Prepare and run it: <code>chmod +x {file} &amp;&amp; xattr -c {file} &amp;&amp; codesign --force --sign - {file} &amp;&amp; ./{file}</code></li>
      <li>Allow screen recording (and accessibility, for control) when asked.</li>
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
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Why a download can't start, in the customer's words (the server's text is for admins). */
function downloadProblem(status: number): string {
  if (status === 503) return 'The download is being prepared. Please try again in a minute.';
  if (status === 404) return 'The screen-sharing program for this system is not available here. Try another system above, or ask your representative.';
  if (status === 409 || status === 410) return 'This download can no longer be started: the session may have ended. Ask your representative.';
  if (status === 429) return 'Too many attempts. Please wait a minute.';
  return 'The download could not be started. Please try again.';
}

/** A key older than this is replaced at the click (agent keys live `sessionKeys.agentValiditySec`, default 5 min). */
const KEY_REFRESH_MS = 30_000;

/** "Ana asks to control your screen" or, opened by the customer, "Share your screen". */
function title(request: PendingScreenRequest | null): string {
  if (!request) return 'Share your screen';
  return `${request.repName} asks to ${request.want === 'control' ? 'control' : 'view'} your screen`;
}

/** Whether this device can run the agent at all (a phone or tablet can't). */
export const canShareScreen = () => !isHandheld(thisDevice());

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
      <p id="ss-what">Screen sharing needs a Windows, Mac or Linux computer: it can't run on this {handheldName(thisDevice())}. Keep chatting here, or open the support page on the computer you need help with and tell your representative.</p>
      {request
        ? <button type="button" class="danger" onClick={() => store.declineScreen()}>Decline</button>
        : <button type="button" onClick={onClose}>Close</button>}
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
    agentKey().then((k) => { if (!gone) { setSessionKey(k); setKeyAt(Date.now()); } }, () => { if (!gone) setProblem('The download could not be prepared. Please try again in a moment.'); });
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
      <p id="ss-what">Screen sharing needs a small program that runs only for this session and removes itself afterwards. You decide in its window what the representative may see or do.</p>
      {sessionKey && offer ? (
        <>
          {offered.length > 0 && (
            <label>Your computer:{' '}
              <select value={p} onChange={(e) => { setP(e.currentTarget.value as Platform); setProblem(null); }}>
                {offered.map((x) => <option key={x.id} value={x.id}>{x.label}</option>)}
              </select>
            </label>
          )}
          {state?.state === 'ready' && <p><a class="button primary" href={`/download/${encodeURIComponent(sessionKey)}/${p}`} download={file} onClick={download}>Download {file}</a></p>}
          {state?.state === 'preparing' && <p class="hint" role="status">This download is being prepared: ready in about {state.readyInSec} s.</p>}
          {problem && <p class="error" role="alert">{problem}</p>}
          {offered.length > 0 && <Steps p={p} file={file} />}
          {missing.length > 0 && <p class="hint unavailable">{systems(missing)} downloads are not set up on this server — ask your support representative.</p>}
        </>
      ) : (
        problem ? <p class="error" role="alert">{problem}</p> : <p class="hint" role="status">Preparing the download…</p>
      )}
      {request
        ? <button type="button" class="danger" onClick={() => store.declineScreen()}>Decline</button>
        : <button type="button" onClick={onClose}>Not now</button>}
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
  return store.session.value?.reps.map((r) => r.name).join(', ') || 'support';
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
      <h2 id="as-h">{s.sharing === 'none' ? 'Support program running' : `Sharing your screen with ${sharedWith(store)} (${s.sharing === 'view' ? 'view only' : 'control'})`}</h2>
      {request && <p>{title(request)}: answer in the support program’s window.</p>}
      {s.sharing !== 'none' && <p class="hint">Stop it any time with END SCREEN SHARE in that window.</p>}
    </section>
  );
}
