// Browser notifications: asked once with the reason; the chat works the same without them.
// While the tab is hidden, each new message from the representative raises one.
import { useEffect, useState } from 'preact/hooks';
import { eventText } from '../../protocol/event-text.ts';
import { eventWords } from '../lib/event-words.ts';
import type { ChatStore } from '../state/store.ts';
import { siteStorage } from '../lib/storage.ts';
import { t } from '../lib/i18n.ts';

const ASKED = 'bridge.notifyAsked';
/** What a person said or sent; system lines don't raise a notification. */
const NOTIFY = new Set(['chat', 'nudge', 'url', 'notice']);
const supported = () => typeof Notification !== 'undefined';

export function NotifyPrompt() {
  const [show, setShow] = useState(() => supported() && Notification.permission === 'default' && !siteStorage.getItem(ASKED));
  if (!show) return null;
  const done = () => { siteStorage.setItem(ASKED, '1'); setShow(false); };
  return (
    <section class="card notify" aria-labelledby="ntf-h">
      <h2 id="ntf-h">{t('notify.title')}</h2>
      <p>{t('notify.text')}</p>
      <div class="row">
        <button type="button" class="primary" onClick={() => { void Notification.requestPermission().finally(done); }}>{t('notify.allow')}</button>
        <button type="button" onClick={done}>{t('common.notNow')}</button>
      </div>
    </section>
  );
}

export function MessageNotifier({ store }: { store: ChatStore }) {
  const e = store.incoming.value;
  useEffect(() => {
    if (!e || !document.hidden || !supported() || Notification.permission !== 'granted') return;
    if (!NOTIFY.has(e.body.kind)) return;
    const n = new Notification(e.from.name, { body: eventText(e.body, e.from.name, eventWords.value).slice(0, 200), tag: 'bridge-chat' });
    n.onclick = () => { window.focus(); n.close(); };
  }, [e]);
  return null;
}
