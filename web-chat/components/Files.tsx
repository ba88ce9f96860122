// File transfer both ways: SendFile offers a file to the rep (limit shown before choosing);
// Transfers lists every transfer with its progress, and the accept/decline of incoming ones.
import { useRef, useState } from 'preact/hooks';
import { useTakeFocus } from '../lib/focus.ts';
import { formatBytes } from '../../protocol/event-text.ts';
import type { Transfer } from '../../client/files.ts';
import type { ChatStore } from '../state/store.ts';

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
          if (f) setErr(store.sendFile(f));
          e.currentTarget.value = '';
        }}
      />
      <button type="button" disabled={disabled} aria-describedby="file-limit" onClick={() => input.current?.click()}>Send a file</button>
      <small id="file-limit" class="hint">{max > 0 ? `up to ${formatBytes(max)}` : ''}</small>
      {err && <span class="error" role="alert">{err}</span>}
    </span>
  );
}

const STATE_TEXT: Record<Transfer['state'], string> = {
  offered: 'waiting for an answer', accepted: 'accepted', declined: 'declined', sending: 'sending',
  receiving: 'receiving', done: 'done', failed: 'failed',
};

export function FileProgress({ t }: { t: Transfer }) {
  const pct = t.size ? Math.round((100 * t.bytes) / t.size) : 100;
  return <progress max={100} value={pct} aria-label={`${t.name}: ${pct}%`}>{pct}%</progress>;
}

/** An incoming file nobody has answered yet: it goes in the dock, not under the log. */
const awaitsAnswer = (t: Transfer) => t.dir === 'in' && t.state === 'offered';

export function FileOffer({ store, t }: { store: ChatStore; t: Transfer }) {
  const incoming = t.dir === 'in';
  const prompt = awaitsAnswer(t);
  const ref = useTakeFocus<HTMLLIElement>();
  return (
    <li class={`transfer ${t.dir} ${t.state}`} data-file={t.name} {...(prompt ? { ref, tabIndex: -1, role: 'alertdialog', 'aria-label': `${t.from?.name ?? 'The representative'} sends you ${t.name}` } : {})}>
      <div>
        <strong>{incoming ? `${t.from?.name ?? 'The representative'} sends you` : 'You send'}</strong> {t.name}{' '}
        <span class="hint">({formatBytes(t.size)}) — <span class="state">{t.error ?? STATE_TEXT[t.state]}</span></span>
      </div>
      {(t.state === 'sending' || t.state === 'receiving' || (t.state === 'done' && !incoming)) && <FileProgress t={t} />}
      {incoming && t.state === 'offered' && t.fileId && (
        <div class="row">
          <button type="button" class="primary" onClick={() => store.answerFile(t.fileId!, true)}>Accept file</button>
          <button type="button" onClick={() => store.answerFile(t.fileId!, false)}>Decline</button>
        </div>
      )}
      {t.url && <a class="button" href={t.url} download={t.name}>Save {t.name}</a>}
    </li>
  );
}

/** Files offered to the customer and not answered yet (pinned in the dock). */
export function FileOffers({ store }: { store: ChatStore }) {
  const list = store.transfers.value.filter(awaitsAnswer);
  if (!list.length) return null;
  return <ul class="transfers offers" aria-label="Files offered to you">{list.map((t) => <FileOffer key={t.key} store={store} t={t} />)}</ul>;
}

/** Every other transfer, with its progress (under the log). */
export function Transfers({ store }: { store: ChatStore }) {
  const list = store.transfers.value.filter((t) => !awaitsAnswer(t));
  if (!list.length) return null;
  return <ul class="transfers" aria-label="File transfers">{list.map((t) => <FileOffer key={t.key} store={store} t={t} />)}</ul>;
}
