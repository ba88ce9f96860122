// Files of a session, one compact line each (name, size and state, then Accept/Decline or Save);
// the list scrolls on its own so the chat keeps its share of the column.
import { answerFile } from '../actions.ts';
import { size } from '../format.ts';
import { t } from '../i18n.ts';
import type { SessionStore } from '../store.ts';

export function Files({ s }: { s: SessionStore }) {
  const files = s.files.value;
  if (files.length === 0) return null;
  return (
    <section class="card files" aria-label={t('files.title')}>
      <h3>{t('files.title')} <span class="muted small">({files.length})</span></h3>
      <ul class="plain">
        {files.map((f) => (
          <li key={f.key} class={`file ${f.dir} ${f.state}`} data-file={f.name}>
            <span class="fname" title={f.name}>{f.dir === 'out' ? '↑' : '↓'} <bdi>{f.name}</bdi></span>
            <span class="muted small">{size(f.size)} · {t('files.state', { state: f.state })}{f.error ? `: ${f.error}` : ''}</span>
            <span class="actions row">
              {f.dir === 'in' && f.state === 'offered' && f.fileId && <>
                <button class="primary small" onClick={() => answerFile(s.id, f.fileId!, true)} aria-label={t('files.acceptName', { name: f.name })}>{t('files.accept')}</button>
                <button class="small" onClick={() => answerFile(s.id, f.fileId!, false)} aria-label={t('files.declineName', { name: f.name })}>{t('files.decline')}</button>
              </>}
              {f.url && <a class="button small save" href={f.url} download={f.name} aria-label={t('files.saveName', { name: f.name })}>{t('files.save')}</a>}
            </span>
            {(f.state === 'accepted' || f.state === 'sending' || f.state === 'receiving') && <progress max={Math.max(1, f.size)} value={f.bytes} aria-label={t('files.progress', { name: f.name })} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
