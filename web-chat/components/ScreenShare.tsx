// Upgrade to screen sharing: download the agent for this machine (or another), with the
// platform's run instructions. The key in the file name is how the agent finds the session.
// Only downloads the server can serve are offered (GET /api/agent-platforms): one being
// prepared says when it will be ready; those not set up here are named in a note.
import { useEffect, useState } from 'preact/hooks';
import * as v from 'valibot';
import { AgentPlatformsResponse, type AgentPlatformState, type Platform } from '../../protocol/http.ts';
import { PLATFORMS, agentFileName, detectPlatform } from '../lib/platform.ts';
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
  if (status === 409 || status === 410) return 'This session key can no longer be used for a download. Ask your representative for a new one.';
  if (status === 429) return 'Too many attempts. Please wait a minute.';
  return 'The download could not be started. Please try again.';
}

/** "Ana asks to control your screen" or, opened by the customer, "Share your screen". */
function title(request: PendingScreenRequest | null): string {
  if (!request) return 'Share your screen';
  return `${request.repName} asks to ${request.want === 'control' ? 'control' : 'view'} your screen`;
}

/**
 * The agent download, pinned in the dock: for the rep's outstanding request (with Decline, which
 * answers the request without the agent) or because the customer chose "Share my screen".
 */
export function ScreenShare({ store, agentKey, onClose }: { store: ChatStore; agentKey: () => Promise<string>; onClose?: () => void }) {
  const offer = useAgentPlatforms();
  const [chosen, setP] = useState<Platform>(detectPlatform);
  const [problem, setProblem] = useState<string | null>(null);
  // A key of its own for the download, valid from now: the one typed at the start may be long expired.
  const [sessionKey, setSessionKey] = useState<string | null>(null);
  const ref = useTakeFocus<HTMLElement>();
  useEffect(() => {
    let gone = false;
    agentKey().then((k) => { if (!gone) setSessionKey(k); }, () => { if (!gone) setProblem('The download could not be prepared. Please try again in a moment.'); });
    return () => { gone = true; };
  }, []);
  // Check first (HEAD) so a missing build shows a message instead of saving an error page as the program.
  const download = async (e: Event) => {
    e.preventDefault();
    const href = (e.currentTarget as HTMLAnchorElement).href;
    setProblem(null);
    try {
      const r = await fetch(href, { method: 'HEAD' });
      if (r.ok) location.assign(href);
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
