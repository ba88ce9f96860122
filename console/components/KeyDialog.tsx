// Generate a one-time session key for a queue: show it with its expiry, copy the link, or open
// an e-mail draft made from a template the rep can edit (kept in this browser). The template is
// the rep's text to the customer, in the customer's language as the rep writes it: its default
// stays as shipped, not in the console's language.
import { signal } from '@preact/signals';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { QueueRef, SessionKeyResponse } from '../../protocol/index.ts';
import { api } from '../api.ts';
import { clock, duration } from '../format.ts';
import { me, now, toast } from '../store.ts';
import { t } from '../i18n.ts';

export const keyDialogOpen = signal(false);

const TEMPLATE_KEY = 'bridge.emailTemplate';
export const DEFAULT_TEMPLATE = {
  subject: 'Remote support session with {rep}',
  body: 'Hello,\n\nto start the support session, open this link:\n{url}\n\nor go to {portal} and enter the key {key}.\nThe key is valid until {expires}.\n\n{rep}',
};

function loadTemplate(): typeof DEFAULT_TEMPLATE {
  try { return { ...DEFAULT_TEMPLATE, ...JSON.parse(localStorage.getItem(TEMPLATE_KEY) ?? '{}') }; } catch { return DEFAULT_TEMPLATE; }
}

export function fillTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}

export function mailto(key: SessionKeyResponse, rep: string, tpl = loadTemplate()): string {
  const vars = { key: key.key, url: key.url, portal: new URL(key.url).origin, expires: new Date(key.expiresAt).toLocaleString(), rep };
  return `mailto:?subject=${encodeURIComponent(fillTemplate(tpl.subject, vars))}&body=${encodeURIComponent(fillTemplate(tpl.body, vars))}`;
}

export function KeyDialog() {
  const rep = me.value!;
  const queueOptions: { label: string; ref: QueueRef }[] = [
    { label: t('key.personal', { name: rep.name }), ref: { kind: 'personal', id: rep.id } },
    ...rep.teams.map((team) => ({ label: t('key.team', { name: team.name }), ref: { kind: 'team' as const, id: team.id } })),
    { label: t('transfer.general'), ref: { kind: 'general' } },
  ];
  const [queue, setQueue] = useState(0);
  const [externalKey, setExternalKey] = useState('');
  const [key, setKey] = useState<SessionKeyResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [editTpl, setEditTpl] = useState(false);
  const [tpl, setTpl] = useState(loadTemplate);

  const generate = async () => {
    setBusy(true);
    const ext = externalKey.trim().slice(0, 200);
    try { setKey(await api.sessionKey({ queue: queueOptions[queue].ref, ...(ext ? { externalKey: ext } : {}) })); } catch (e) { toast((e as Error).message, 'error'); }
    setBusy(false);
  };
  const copy = (text: string, what: string) => navigator.clipboard?.writeText(text).then(() => toast(t('key.copied', { what })), () => toast(t('key.copyFailed'), 'error'));
  const left = key ? Math.max(0, (key.expiresAt - now.value) / 1000) : 0;
  const close = () => { keyDialogOpen.value = false; };
  const first = useRef<HTMLSelectElement>(null);
  // Into the dialog when it opens; back to the button that opened it when it closes (taken at the
  // first render, before anything in the dialog can have focus).
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => {
    first.current?.focus();
    return () => opener?.focus();
  }, []);

  return (
    <div class="modal-back" onClick={(e) => e.target === e.currentTarget && close()} onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); close(); } }}>
      <div class="modal card key-dialog" role="dialog" aria-modal="true" aria-label={t('top.generateKey')}>
        <h2>{t('top.generateKey')}</h2>
        <label>{t('details.queue')}
          <select ref={first} value={queue} onChange={(e) => { setQueue(Number((e.target as HTMLSelectElement).value)); setKey(null); }}>
            {queueOptions.map((o, i) => <option key={i} value={i}>{o.label}</option>)}
          </select>
        </label>
        <label>{t('details.externalKey')} <span class="muted small">{t('key.externalHint')}</span>
          <input value={externalKey} onInput={(e) => setExternalKey((e.target as HTMLInputElement).value)} />
        </label>
        {!key && <button class="primary" disabled={busy} onClick={generate}>{t('key.generate')}</button>}
        {key && (
          <div class="key-result">
            <div class="session-key" aria-label={t('key.key')}>{key.key}</div>
            <p class="small">{t('key.howTo', { origin: new URL(key.url).origin })}</p>
            <p class={left > 0 ? 'muted expiry' : 'error expiry'}>{left > 0 ? t('key.expiresIn', { left: duration(left).replace(/^0:/, ''), at: clock(key.expiresAt) }) : t('key.expired')}</p>
            <input class="key-url" aria-label={t('key.link')} readOnly value={key.url} onFocus={(e) => (e.target as HTMLInputElement).select()} />
            <div class="row">
              <button onClick={() => copy(key.url, 'link')}>{t('key.copyLink')}</button>
              <button onClick={() => copy(key.key, 'key')}>{t('key.copyKey')}</button>
              <a class="button" href={mailto(key, rep.name, tpl)}>{t('key.email')}</a>
              <button onClick={generate} disabled={busy}>{t('key.newKey')}</button>
            </div>
          </div>
        )}
        <details open={editTpl} onToggle={(e) => setEditTpl((e.target as HTMLDetailsElement).open)}>
          <summary>{t('key.template')}</summary>
          <p class="muted small">{t('key.placeholders')} {'{key} {url} {portal} {expires} {rep}'}</p>
          <input aria-label={t('key.subject')} value={tpl.subject} onInput={(e) => setTpl({ ...tpl, subject: (e.target as HTMLInputElement).value })} />
          <textarea aria-label={t('key.body')} rows={6} value={tpl.body} onInput={(e) => setTpl({ ...tpl, body: (e.target as HTMLTextAreaElement).value })} />
          <div class="row">
            <button onClick={() => { localStorage.setItem(TEMPLATE_KEY, JSON.stringify(tpl)); toast(t('key.templateSaved')); }}>{t('key.saveTemplate')}</button>
            <button onClick={() => { localStorage.removeItem(TEMPLATE_KEY); setTpl(DEFAULT_TEMPLATE); }}>{t('key.reset')}</button>
          </div>
        </details>
        <div class="row end"><button onClick={close}>{t('common.close')}</button></div>
      </div>
    </div>
  );
}
