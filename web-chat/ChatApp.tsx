// The customer chat page: puts the components together in the order a session goes
// (agreement → recording → waiting → chat → end, survey, transcript). During the chat, whatever
// needs the customer's answer sits in the dock between the header and the log, outside the
// scrolling area, so it is in view however long the chat is (docs/ARCHITECTURE.md, web chat).
import { useEffect, useState } from 'preact/hooks';
import type { ChatStore } from './state/store.ts';
import { ChatLog } from './components/ChatLog.tsx';
import { Composer } from './components/Composer.tsx';
import { TypingIndicator } from './components/TypingIndicator.tsx';
import { FontSize } from './components/FontSize.tsx';
import { NudgeEffect } from './components/Nudge.tsx';
import { FileOffers, Transfers } from './components/Files.tsx';
import { Survey } from './components/Survey.tsx';
import { Transcript } from './components/Transcript.tsx';
import { Notices } from './components/Notice.tsx';
import { QueueStatus } from './components/QueueStatus.tsx';
import { Agreement } from './components/Agreement.tsx';
import { RecordingPrompt } from './components/Recording.tsx';
import { MessageNotifier, NotifyPrompt } from './components/Notifications.tsx';
import { EndSession, OfflineBanner, Orphaned } from './components/Status.tsx';
import { AgentStatus, ScreenShare } from './components/ScreenShare.tsx';
import { canShareScreen } from './lib/platform.ts';
import { EndedCard } from './components/Ended.tsx';
import { RepScreen } from './components/RepScreen.tsx';
import { FollowScroll } from './components/FollowScroll.tsx';
import { useFocusRescue } from './lib/focus.ts';
import { t } from './lib/i18n.ts';
import { LanguagePicker } from './components/LanguagePicker.tsx';
import { useKeyboardViewport } from './lib/keyboard.ts';

export interface ChatAppProps {
  store: ChatStore;
  /** A fresh key for the agent's file name (asked for when the customer opens screen sharing). */
  agentKey: () => Promise<string>;
  loadTranscript: () => Promise<string>;
  onRestart: () => void;
}

/** Before the chat: one card fills the page (error, connecting, agreement, recording); null once in the chat. */
function Gate({ store, onRestart }: Pick<ChatAppProps, 'store' | 'onRestart'>) {
  const s = store.settings.value;
  if (store.ended.value) return null;
  if (store.error.value) {
    return (
      <section class="card" role="alert">
        <h2>{t('chat.cantOpen')}</h2>
        <p>{store.error.value}</p>
        <button type="button" class="primary" onClick={onRestart}>{t('chat.backToStart')}</button>
      </section>
    );
  }
  if (!store.welcomed.value) return <p class="card" role="status">{s.companyName === 'Support' ? t('chat.connectingSupport') : t('chat.connectingTo', { company: s.companyName })}</p>;
  if (s.agreement && store.agreement.value === null) return <><NotifyPrompt /><Agreement store={store} /></>;
  if (s.recordingPrompt && store.recording.value === null) return <><NotifyPrompt /><RecordingPrompt store={store} /></>;
  return null;
}

/** Whether the chat (dock, log, message box) is on screen: after the agreement and recording answers. */
function inChat(store: ChatStore): boolean {
  const s = store.settings.value;
  if (store.ended.value) return true;
  if (store.error.value || !store.welcomed.value) return false;
  return !(s.agreement && store.agreement.value === null) && !(s.recordingPrompt && store.recording.value === null);
}

/** Everything waiting for the customer: notices, the screen request or agent state, file offers, the end. */
function Dock({ store, agentKey, loadTranscript, onRestart, sharing, setSharing }: ChatAppProps & { sharing: boolean; setSharing: (v: boolean) => void }) {
  const ended = store.ended.value;
  const session = store.session.value;
  const orphaned = session?.state === 'orphaned';
  const request = store.screenRequest.value;
  // While the agent is connected the download would be stale: its state is shown instead.
  const download = !ended && !session?.agentOnline && (request || sharing);
  return (
    <div class={`dock${ended ? ' over' : ''}`} aria-label={t('chat.dock')} role="region">
      {!ended && !orphaned && store.waiting.value && <NotifyPrompt />}
      <Notices store={store} />
      <RepScreen store={store} />
      {!orphaned && <QueueStatus store={store} />}
      {/* File offers are small: before the (tall) download card, so both show on a phone. */}
      {!ended && <FileOffers store={store} />}
      {download && <ScreenShare key={request?.id ?? 'self'} store={store} agentKey={agentKey} onClose={() => setSharing(false)} />}
      {!ended && <AgentStatus store={store} />}
      {orphaned && !ended && <Orphaned store={store} />}
      {ended && (
        <EndedCard>
          <p>{ended.byNotice ? t('chat.youLeft') : t('chat.thanks')}</p>
          <button type="button" onClick={onRestart}>{t('chat.newSession')}</button>
        </EndedCard>
      )}
      {ended && !ended.noService && <Survey store={store} />}
      {ended && store.log.value.length > 0 && <Transcript load={loadTranscript} fileName={`transcript-${store.sessionId}.txt`} />}
    </div>
  );
}

/** Under the scrolling log: typing line, message box, screen-sharing offer. */
function Footer({ store, onShare, offered }: { store: ChatStore; onShare: () => void; offered: boolean }) {
  return (
    <footer class="foot">
      <TypingIndicator store={store} />
      <Composer store={store} />
      {!offered && canShareScreen() && <button type="button" class="link share" onClick={onShare}>{t('chat.shareMyScreen')}</button>}
    </footer>
  );
}

export function ChatApp(props: ChatAppProps) {
  const { store } = props;
  const [sharing, setSharing] = useState(false);
  useFocusRescue('chat-root');
  useKeyboardViewport();
  const ended = !!store.ended.value;
  const session = store.session.value;
  const orphaned = session?.state === 'orphaned';
  const agentOnline = !!session?.agentOnline;
  // Once the agent runs, the customer's own "Share my screen" card has done its job.
  useEffect(() => { if (agentOnline) setSharing(false); }, [agentOnline]);
  const log = store.log.value;
  const last = log[log.length - 1];
  return (
    <div id="chat-root" class="app chat">
      <header class="top">
        <h1>{store.settings.value.companyName} <span class="sub">{t('chat.subtitle')}</span></h1>
        <div class="tools"><LanguagePicker id="chat-lang" onChange={(l) => store.setLanguage(l)} /><FontSize /><EndSession store={store} /></div>
      </header>
      <OfflineBanner store={store} />
      {!inChat(store) ? <main class="main" id="chat-main"><Gate store={store} onRestart={props.onRestart} /></main> : (
        <>
          <Dock {...props} sharing={sharing} setSharing={setSharing} />
          <FollowScroll id="chat-main" count={log.length + store.transfers.value.length} mine={!!last && last.pending === true}>
            <ChatLog store={store} />
            <Transfers store={store} />
          </FollowScroll>
          {!ended && !orphaned && <Footer store={store} offered={sharing || !!store.screenRequest.value || agentOnline} onShare={() => setSharing(true)} />}
        </>
      )}
      <NudgeEffect store={store} />
      <MessageNotifier store={store} />
    </div>
  );
}
