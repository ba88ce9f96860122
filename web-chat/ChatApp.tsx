// The customer chat page: puts the components together in the order a session goes
// (agreement → recording → waiting → chat → end, survey, transcript).
import { useEffect, useState } from 'preact/hooks';
import type { ChatStore } from './state/store.ts';
import { ChatLog } from './components/ChatLog.tsx';
import { Composer } from './components/Composer.tsx';
import { TypingIndicator } from './components/TypingIndicator.tsx';
import { FontSize } from './components/FontSize.tsx';
import { NudgeEffect } from './components/Nudge.tsx';
import { Transfers } from './components/Files.tsx';
import { Survey } from './components/Survey.tsx';
import { Transcript } from './components/Transcript.tsx';
import { Notices } from './components/Notice.tsx';
import { QueueStatus } from './components/QueueStatus.tsx';
import { Agreement } from './components/Agreement.tsx';
import { RecordingPrompt } from './components/Recording.tsx';
import { MessageNotifier, NotifyPrompt } from './components/Notifications.tsx';
import { EndSession, OfflineBanner, Orphaned } from './components/Status.tsx';
import { ScreenShare } from './components/ScreenShare.tsx';

export interface ChatAppProps {
  store: ChatStore;
  /** A fresh key for the agent's file name (asked for when the customer opens screen sharing). */
  agentKey: () => Promise<string>;
  loadTranscript: () => Promise<string>;
  onRestart: () => void;
}

function Body({ store, agentKey, loadTranscript, onRestart, sharing, setSharing }: ChatAppProps & { sharing: boolean; setSharing: (v: boolean) => void }) {
  const s = store.settings.value;
  const ended = store.ended.value;
  const session = store.session.value;
  if (store.error.value && !ended) {
    return (
      <section class="card" role="alert">
        <h2>This session can’t be opened</h2>
        <p>{store.error.value}</p>
        <button type="button" class="primary" onClick={onRestart}>Back to the start</button>
      </section>
    );
  }
  if (!store.welcomed.value && !ended) return <p class="card" role="status">Connecting to {s.companyName === 'Support' ? 'support' : s.companyName}…</p>;
  if (!ended && s.agreement && store.agreement.value === null) return <><NotifyPrompt /><Agreement store={store} /></>;
  if (!ended && s.recordingPrompt && store.recording.value === null) return <><NotifyPrompt /><RecordingPrompt store={store} /></>;
  const orphaned = session?.state === 'orphaned';
  // Waiting and offers sit above the log; how the session ended (survey, transcript) below it,
  // where the auto-scroll to the newest line shows it.
  return (
    <>
      {!ended && !orphaned && store.waiting.value && <NotifyPrompt />}
      <Notices store={store} />
      {!orphaned && <QueueStatus store={store} />}
      {!ended && (store.screenRequest.value || sharing) && <ScreenShare store={store} agentKey={agentKey} onClose={() => setSharing(false)} />}
      <ChatLog store={store} />
      <Transfers store={store} />
      {orphaned && !ended && <Orphaned store={store} />}
      {ended && (
        <section class="card ended" role="status" aria-labelledby="end-h">
          <h2 id="end-h">The session has ended</h2>
          <p>{ended.byNotice ? 'You left the session.' : 'Thank you for contacting support.'}</p>
          <button type="button" onClick={onRestart}>Start a new session</button>
        </section>
      )}
      {ended && !ended.noService && <Survey store={store} />}
      {ended && store.log.value.length > 0 && <Transcript load={loadTranscript} fileName={`transcript-${store.sessionId}.txt`} />}
    </>
  );
}

/** Under the scrolling log: typing line, message box, screen-sharing offer. */
function Footer({ store, onShare, sharing }: { store: ChatStore; onShare: () => void; sharing: boolean }) {
  return (
    <footer class="foot">
      <TypingIndicator store={store} />
      <Composer store={store} />
      {!sharing && !store.screenRequest.value && <button type="button" class="link share" onClick={onShare}>Share my screen</button>}
    </footer>
  );
}

/** Whether the chat (log + message box) is on screen yet: after agreement and recording answers. */
function inChat(store: ChatStore): boolean {
  const s = store.settings.value;
  if (store.ended.value) return true;
  if (store.error.value || !store.welcomed.value) return false;
  return !(s.agreement && store.agreement.value === null) && !(s.recordingPrompt && store.recording.value === null);
}

export function ChatApp(props: ChatAppProps) {
  const { store } = props;
  const [sharing, setSharing] = useState(false);
  // New lines and file offers scroll into view (the log sits in a scrolling <main>).
  const ended = !!store.ended.value;
  const orphaned = store.session.value?.state === 'orphaned';
  useEffect(() => {
    const main = document.getElementById('chat-main');
    if (main) main.scrollTop = main.scrollHeight;
  }, [store.log.value.length, store.transfers.value.length, ended, orphaned]);
  return (
    <div id="chat-root" class="app chat">
      <header class="top">
        <h1>{store.settings.value.companyName} <span class="sub">support chat</span></h1>
        <div class="tools"><FontSize /><EndSession store={store} /></div>
      </header>
      <OfflineBanner store={store} />
      <main class="main" id="chat-main"><Body {...props} sharing={sharing} setSharing={setSharing} /></main>
      {inChat(store) && !ended && !orphaned && <Footer store={store} sharing={sharing} onShare={() => { setSharing(true); document.getElementById('chat-main')?.scrollTo({ top: 0 }); }} />}
      <NudgeEffect store={store} />
      <MessageNotifier store={store} />
    </div>
  );
}
