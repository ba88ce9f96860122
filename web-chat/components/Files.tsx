// File transfer both ways: SendFile offers a file to the rep (limit shown before choosing);
// Transfers lists every transfer with its progress, and the accept/decline of incoming ones.
import { useRef, useState } from 'preact/hooks';
import { useTakeFocus } from '../lib/focus.ts';
import { formatBytes } from '../../protocol/event-text.ts';
import type { Transfer } from '../../client/files.ts';
import type { ChatStore } from '../state/store.ts';
import * as i18n from '../lib/i18n.ts';

export function SendFile({ store, disabled }: { store: ChatStore; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const [err, setErr] = useState<string | null>(null);
  const max = store.settings.value.fileMaxBytes;
  return (
    <span class="sendfile">
      <input
        ref={input} type="file" id="file-input" class="sr-only" tabIndex={-1} aria-hidden="true"
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          if (f) setErr(sendProblem(store, f));
          e.currentTarget.value = '';
        }}
      />
      <button type="button" disabled={disabled} aria-describedby="file-limit" onClick={() => input.current?.click()}>{i18n.t('files.send')}</button>
      <small id="file-limit" class="hint">{max > 0 ? i18n.t('files.limit', { size: formatBytes(max, i18n.language.value) }) : ''}</small>
      {err && <span class="error" role="alert">{err}</span>}
    </span>
  );
}

/** A transfer's state in words (catalogue keys `files.state.<state>`). */
const stateText = (s: Transfer['state']) => i18n.t(`files.state.${s}`);

/** The client layer checks the limit and the connection too; its sentence is English, so the same checks come first here in the page's language. */
function sendProblem(store: ChatStore, f: File): string | null {
  const max = store.settings.value.fileMaxBytes;
  if (max > 0 && f.size > max) return i18n.t('files.tooLarge', { size: formatBytes(max, i18n.language.value) });
  if (store.status.value !== 'online') return i18n.t('files.offline');
  return store.sendFile(f);
}

export function FileProgress({ t }: { t: Transfer }) {
  const pct = t.size ? Math.round((100 * t.bytes) / t.size) : 100;
  return <progress max={100} value={pct} aria-label={i18n.t('files.progress', { name: t.name, pct })}>{pct}%</progress>;
}

/** An incoming file nobody has answered yet: it goes in the dock, not under the log. */
const awaitsAnswer = (t: Transfer) => t.dir === 'in' && t.state === 'offered';

export function FileOffer({ store, t }: { store: ChatStore; t: Transfer }) {
  const incoming = t.dir === 'in';
  const prompt = awaitsAnswer(t);
  const ref = useTakeFocus<HTMLLIElement>();
  return (
    <li class={`transfer ${t.dir} ${t.state}`} data-file={t.name} {...(prompt ? { ref, tabIndex: -1, role: 'alertdialog', 'aria-label': i18n.t('files.offerLabel', { from: t.from?.name ?? i18n.t('files.theRep'), name: t.name }) } : {})}>
      <div>
        <strong>{incoming ? i18n.t('files.sendsYou', { from: t.from?.name ?? i18n.t('files.theRep') }) : i18n.t('files.youSend')}</strong> <bdi>{t.name}</bdi>{' '}
        <span class="hint">{i18n.t('files.sizeState', { size: formatBytes(t.size, i18n.language.value), state: t.error ?? stateText(t.state) })}</span>
      </div>
      {(t.state === 'sending' || t.state === 'receiving' || (t.state === 'done' && !incoming)) && <FileProgress t={t} />}
      {incoming && t.state === 'offered' && t.fileId && (
        <div class="row">
          <button type="button" class="primary" onClick={() => store.answerFile(t.fileId!, true)}>{i18n.t('files.accept')}</button>
          <button type="button" onClick={() => store.answerFile(t.fileId!, false)}>{i18n.t('common.decline')}</button>
        </div>
      )}
      {t.url && <a class="button" href={t.url} download={t.name}>{i18n.t('files.save', { name: t.name })}</a>}
    </li>
  );
}

/** Files offered to the customer and not answered yet (pinned in the dock). */
export function FileOffers({ store }: { store: ChatStore }) {
  const list = store.transfers.value.filter(awaitsAnswer);
  if (!list.length) return null;
  return <ul class="transfers offers" aria-label={i18n.t('files.offered')}>{list.map((t) => <FileOffer key={t.key} store={store} t={t} />)}</ul>;
}

/** Every other transfer, with its progress (under the log). */
export function Transfers({ store }: { store: ChatStore }) {
  const list = store.transfers.value.filter((t) => !awaitsAnswer(t));
  if (!list.length) return null;
  return <ul class="transfers" aria-label={i18n.t('files.transfers')}>{list.map((t) => <FileOffer key={t.key} store={store} t={t} />)}</ul>;
}
