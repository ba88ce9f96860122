// Connection banner, session-end button with confirmation, and the orphaned-session message.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../state/store.ts';
import { t } from '../lib/i18n.ts';

export function OfflineBanner({ store }: { store: ChatStore }) {
  const s = store.status.value;
  // A silent reconnect: only say something when it takes longer than a blink.
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (s !== 'offline') { setShown(false); return; }
    const t = setTimeout(() => setShown(true), 700);
    return () => clearTimeout(t);
  }, [s]);
  if (!shown || store.ended.value) return null;
  return <div class="banner offline" role="status">{t('status.offline')}</div>;
}

export function EndSession({ store }: { store: ChatStore }) {
  const [confirm, setConfirm] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  const endButton = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  // Into the question when it opens; back to "End session" when it is answered No (or Escape).
  useEffect(() => {
    if (confirm) yes.current?.focus();
    else if (asked.current) endButton.current?.focus();
    asked.current = confirm;
  }, [confirm]);
  const state = store.session.value?.state;
  if (store.ended.value || state === 'orphaned' || state === 'ended') return null;
  if (!confirm) return <button ref={endButton} type="button" class="danger" onClick={() => setConfirm(true)}>{t('end.button')}</button>;
  return (
    <div class="confirm" role="alertdialog" aria-labelledby="end-q" onKeyDown={(e) => { if (e.key === 'Escape') setConfirm(false); }}>
      <span id="end-q">{t('end.question')}</span>
      <button ref={yes} type="button" class="danger" onClick={() => store.end()}>{t('end.yes')}</button>
      <button type="button" onClick={() => setConfirm(false)}>{t('end.no')}</button>
    </div>
  );
}

export function Orphaned({ store, redirectAfterSec = 5 }: { store: ChatStore; redirectAfterSec?: number }) {
  const s = store.session.value;
  const url = s?.redirectUrl ?? null;
  const [left, setLeft] = useState(redirectAfterSec);
  useEffect(() => {
    if (!url || !/^https?:\/\//i.test(url)) return;
    const t = setInterval(() => setLeft((l) => {
      if (l <= 1) { clearInterval(t); location.assign(url); return 0; }
      return l - 1;
    }), 1000);
    return () => clearInterval(t);
  }, [url]);
  return (
    <section class="card orphaned" role="alert" aria-labelledby="orph-h">
      <h2 id="orph-h">{t('orphaned.title')}</h2>
      <p>{t('orphaned.text')}</p>
      {url && <p>{t('orphaned.redirect', { n: left })} <a href={url}>{url}</a></p>}
    </section>
  );
}
