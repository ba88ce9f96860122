// The agent's local window: the customer chat (web-chat's store and components, talking to the
// agent over loopback as if it were the server) plus the agent-only consent controls.
import { render } from 'preact';
import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { Msg } from '../../../protocol/messages/index.ts';
import { createChatStore, type ChatStore } from '../../../web-chat/state/store.ts';
import { wsUrl } from '../../../client/ws-url.ts';
import { ChatLog } from '../../../web-chat/components/ChatLog.tsx';
import { Composer } from '../../../web-chat/components/Composer.tsx';
import { TypingIndicator } from '../../../web-chat/components/TypingIndicator.tsx';
import { FontSize } from '../../../web-chat/components/FontSize.tsx';
import { NudgeEffect } from '../../../web-chat/components/Nudge.tsx';
import { FileOffers, Transfers } from '../../../web-chat/components/Files.tsx';
import { Survey } from '../../../web-chat/components/Survey.tsx';
import { Transcript } from '../../../web-chat/components/Transcript.tsx';
import { Notices } from '../../../web-chat/components/Notice.tsx';
import { Agreement } from '../../../web-chat/components/Agreement.tsx';
import { RecordingPrompt } from '../../../web-chat/components/Recording.tsx';
import { EndSession, OfflineBanner } from '../../../web-chat/components/Status.tsx';
import { EndedCard } from '../../../web-chat/components/Ended.tsx';
import { FollowScroll } from '../../../web-chat/components/FollowScroll.tsx';
import { RepScreen } from '../../../web-chat/components/RepScreen.tsx';
import { closeWindow, ConsentPrompt, decide, JoinPrompt, ShareBanner } from './Consent.tsx';
import { diagnosticsAsk, DiagnosticsPrompt, loadDiagnosticsAsk } from './Diagnostics.tsx';
import { loadRebootAsk, rebootAsk, RebootLeaving, rebootLeaving, RebootPrompt } from './Reboot.tsx';
import { END_SHARE_SHORTCUT, type WindowInfo } from '../local-api.ts';
import '../../../web-chat/static/style.css';
import './window.css';

const grant = signal<Msg<'grant'> | null>(null);
const pausedUntil = signal(0);
/** Join prompts the customer answered with "Not now" (grant epoch : rep id). */
const dismissed = signal<string[]>([]);

function AgentWindow({ store, info }: { store: ChatStore; info: WindowInfo }) {
  const ended = store.ended.value;
  const g = grant.value;
  const session = store.session.value;
  const repName = (id?: string) => session?.reps.find((r) => r.id === id)?.name;
  const sharedWith = g ? g.reps.map((id) => repName(id) ?? 'support').join(', ') || 'support' : '';
  // The rep's request is session state: it reaches a window opened after the rep asked.
  const request = store.screenRequest.value;
  // Reps in the session the current grant doesn't cover (joined later), not yet dismissed.
  const uncovered = g && g.grant !== 'none' ? (session?.reps ?? []).filter((r) => !g.reps.includes(r.id) && !dismissed.value.includes(`${g.epoch}:${r.id}`)) : [];

  // The shortcut ends screen sharing while this window has focus.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey === END_SHARE_SHORTCUT.ctrl && e.shiftKey === END_SHARE_SHORTCUT.shift && e.key.toUpperCase() === END_SHARE_SHORTCUT.key) {
        e.preventDefault();
        void decide('none');
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  // The site's agreement and recording question come first (answered already when the customer
  // started in the browser chat: the store takes the answers from the transcript).
  const settings = store.settings.value;
  const gate = !ended && store.welcomed.value && ((settings.agreement && store.agreement.value === null) ? 'agreement' : (settings.recordingPrompt && store.recording.value === null) ? 'recording' : null);
  if (gate) {
    return (
      <div id="chat-root" class="app chat agent">
        <header class="top"><h1>{settings.companyName} <span class="sub">support</span></h1></header>
        <main class="main">{gate === 'agreement' ? <Agreement store={store} /> : <RecordingPrompt store={store} />}</main>
      </div>
    );
  }

  // Prompts sit in the dock above the log, outside its scrolling (docs/ARCHITECTURE.md, agent window).
  const log = store.log.value;
  const last = log[log.length - 1];
  return (
    <div id="chat-root" class="app chat agent">
      <header class="top">
        <h1>{store.settings.value.companyName} <span class="sub">support</span></h1>
        <div class="tools"><FontSize /><EndSession store={store} /></div>
      </header>
      <OfflineBanner store={store} />
      {g && !ended && <ShareBanner grant={g.grant} apps={g.apps} reps={sharedWith} pausedUntil={pausedUntil.value} shortcut={info.shortcut} />}
      <div class={`dock${ended ? ' over' : ''}`} role="region" aria-label="Needs your attention">
        {ended && (
          <EndedCard>
            <p>Screen sharing has stopped and the support program removes itself when you close this window.</p>
            <button type="button" class="primary" onClick={() => void closeWindow()}>Close</button>
          </EndedCard>
        )}
        {ended && !ended.noService && <Survey store={store} />}
        {ended && <Transcript load={() => fetch('transcript').then((r) => { if (!r.ok) throw new Error(String(r.status)); return r.text(); })} fileName={`transcript-${store.sessionId}.txt`} />}
        {!ended && !request && g && uncovered.length > 0 && (
          <JoinPrompt joined={uncovered} covered={g.reps} grant={g.grant} onDone={() => (dismissed.value = [...dismissed.value, ...uncovered.map((r) => `${g.epoch}:${r.id}`)])} />
        )}
        {!ended && diagnosticsAsk.value && <DiagnosticsPrompt key={diagnosticsAsk.value.requestId} ask={diagnosticsAsk.value} />}
        {!ended && rebootAsk.value && <RebootPrompt key={rebootAsk.value.requestId} ask={rebootAsk.value} />}
        {rebootLeaving.value && <RebootLeaving answer={rebootLeaving.value} />}
        {!ended && request && <ConsentPrompt key={request.id} request={request} covers={session?.reps ?? []} onAnswered={() => store.dismissScreenRequest()} />}
        <Notices store={store} />
        <RepScreen store={store} />
        {!ended && <FileOffers store={store} />}
      </div>
      <FollowScroll count={log.length + store.transfers.value.length} mine={!!last && last.pending === true}>
        <ChatLog store={store} />
        <Transfers store={store} />
      </FollowScroll>
      {!ended && (
        <footer class="foot">
          <TypingIndicator store={store} />
          <Composer store={store} />
          <p class="hint shortcut">{info.shortcut} ends screen sharing.</p>
        </footer>
      )}
      <NudgeEffect store={store} />
    </div>
  );
}

async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  const info = (await (await fetch('info')).json()) as WindowInfo;
  const store = createChatStore({
    url: wsUrl('ws'),
    credential: 'local',
    sessionId: info.sessionId,
    storage: sessionStorage,
    client: { name: 'agent-window' },
    onMessage: (m) => {
      if (m.t === 'grant') grant.value = m;
      if (m.t === 'input.paused') pausedUntil.value = m.untilMs;
      if (m.t === 'diag.request') void loadDiagnosticsAsk();
      if (m.t === 'reboot.request') void loadRebootAsk();
    },
  });
  (window as unknown as { bridgeAgentWindow: ChatStore }).bridgeAgentWindow = store;
  void loadDiagnosticsAsk();
  void loadRebootAsk();
  root.textContent = '';
  render(<AgentWindow store={store} info={info} />, root);
  document.documentElement.dataset.ready = '1';
}

void start();
