// Entry of the customer web chat: `/` portal, `/s/<accessKey>` joins by link, `/chat` is the
// session (resumed from sessionStorage after a reload).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LinkJoin, Portal } from './Portal.tsx';
import { api, creds, joinError, type Creds } from './lib/api.ts';
import { CHAT_PATH, HOME_PATH, linkAccessKey } from './lib/paths.ts';
import { platformName } from './lib/platform.ts';
import { localZone } from '../protocol/i18n/intl.ts';
import { wsUrl } from '../client/ws-url.ts';
import type { ChatStore } from './state/store.ts';
import { tabStorage } from './lib/storage.ts';
import { initialLanguage, language, setLanguage, t } from './lib/i18n.ts';

type ChatModule = typeof import('./chat.ts');
let chatModule: Promise<ChatModule> | null = null;
const loadChat = () => (chatModule ??= import('./chat.ts'));

function openStore({ createChatStore }: ChatModule, c: Creds): ChatStore {
  const store = createChatStore({ url: wsUrl('/ws/customer'), credential: c.token, sessionId: c.sessionId, storage: tabStorage, client: { name: 'web-chat', platform: platformName(), timeZone: localZone() }, language: language.value });
  // Tests and debugging reach the store through the page (no secrets beyond the tab's own).
  (window as unknown as { bridgeChat: ChatStore }).bridgeChat = store;
  return store;
}

/** A session link waiting for the customer's name (the site asks for it). */
interface PendingLink { accessKey: string; companyName: string }

function App({ initial, linkError: firstLinkError, link: firstLink }: { initial: Creds | null; linkError: string | null; link: PendingLink | null }) {
  const [c, setC] = useState<Creds | null>(initial && location.pathname === CHAT_PATH ? initial : null);
  const [link, setLink] = useState(firstLink);
  const [linkError, setLinkError] = useState(firstLinkError);
  const [chat, setChat] = useState<{ mod: ChatModule; store: ChatStore } | null>(null);
  useEffect(() => {
    if (!c) return;
    let gone = false;
    void loadChat().then((mod) => { if (!gone) setChat({ mod, store: openStore(mod, c) }); });
    return () => { gone = true; };
  }, [c]);
  const enter = (n: Creds) => {
    creds.save(n);
    history.pushState(null, '', CHAT_PATH);
    setC(n);
  };
  const restart = () => {
    chat?.store.dispose();
    creds.clear();
    history.pushState(null, '', HOME_PATH);
    setChat(null);
    setC(null);
  };
  if (link && !c) {
    return (
      <LinkJoin accessKey={link.accessKey} companyName={link.companyName}
        onJoined={(n) => { creds.save(n); history.replaceState(null, '', CHAT_PATH); setLink(null); setC(n); }}
        onFailed={(message) => {
          setLink(null);
          // A used link opened again in the tab it started in resumes that session.
          const saved = creds.load();
          if (saved) { history.replaceState(null, '', CHAT_PATH); setC(saved); } else { setLinkError(message); history.replaceState(null, '', HOME_PATH); }
        }} />
    );
  }
  if (c && !chat) return <p class="loading" role="status">{t('chat.connecting')}</p>;
  if (!c || !chat) {
    const saved = creds.load();
    return (
      <>
        {linkError && <p class="banner error" role="alert">{linkError}</p>}
        <Portal onJoined={enter} resume={saved ? () => enter(saved) : null} initialKey={new URLSearchParams(location.search).get('key') ?? ''} />
      </>
    );
  }
  const { ChatApp } = chat.mod;
  return <ChatApp store={chat.store} agentKey={() => api.agentKey(c.token).then((r) => r.key)} loadTranscript={() => api.transcript(c.sessionId, c.token)} onRestart={restart} />;
}

async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  // The catalogue first, so the first render is in the customer's language (chosen here before, or the server's pick).
  await setLanguage(initialLanguage(), { remember: false });
  let linkError: string | null = null;
  let pending: PendingLink | null = null;
  const link = linkAccessKey(location.pathname);
  const info = link ? await api.portal().catch(() => null) : null;
  // A help desk's chat link names the customer already (docs/INTEGRATIONS.md): no name prompt.
  if (link && (info?.askName ?? true) && !new URLSearchParams(location.search).has('prefilled')) {
    // The name comes first; LinkJoin joins with it.
    pending = { accessKey: link, companyName: info?.companyName ?? t('portal.defaultCompany') };
  } else if (link) {
    try {
      const r = await api.join({ accessKey: link, role: 'customer', platform: platformName(), language: language.value });
      creds.save({ token: r.token, sessionId: r.sessionId });
      history.replaceState(null, '', CHAT_PATH);
    } catch (e) {
      // A reload of a used link in the same tab resumes the session the link opened.
      if (creds.load()) history.replaceState(null, '', CHAT_PATH);
      else { linkError = joinError(e); history.replaceState(null, '', HOME_PATH); }
    }
  } else if (location.pathname === CHAT_PATH && !creds.load()) {
    history.replaceState(null, '', HOME_PATH);
  }
  root.textContent = '';
  render(<App initial={creds.load()} linkError={linkError} link={pending} />, root);
  // bench/chat-size.ts reads this mark: time from navigation start to the first render.
  performance.mark('bridge-first-render');
  document.documentElement.dataset.ready = '1';
}

void start();
