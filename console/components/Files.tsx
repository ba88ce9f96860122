// Files of a session, one compact line each (name, size and state, then Accept/Decline or Save);
// the list scrolls on its own so the chat keeps its share of the column.
import { formatBytes } from '../../protocol/index.ts';
import { answerFile } from '../actions.ts';
import type { SessionStore } from '../store.ts';

export function Files({ s }: { s: SessionStore }) {
  const files = s.files.value;
  if (files.length === 0) return null;
  return (
    <section class="card files" aria-label="Files">
      <h3>Files <span class="muted small">({files.length})</span></h3>
      <ul class="plain">
        {files.map((f) => (
          <li key={f.key} class={`file ${f.dir} ${f.state}`} data-file={f.name}>
            <span class="fname" title={f.name}>{f.dir === 'out' ? '↑' : '↓'} {f.name}</span>
            <span class="muted small">{formatBytes(f.size)} · {f.state}{f.error ? `: ${f.error}` : ''}</span>
            <span class="actions row">
              {f.dir === 'in' && f.state === 'offered' && f.fileId && <>
                <button class="primary small" onClick={() => answerFile(s.id, f.fileId!, true)} aria-label={`Accept ${f.name}`}>Accept</button>
                <button class="small" onClick={() => answerFile(s.id, f.fileId!, false)} aria-label={`Decline ${f.name}`}>Decline</button>
              </>}
              {f.url && <a class="button small save" href={f.url} download={f.name} aria-label={`Save ${f.name}`}>Save</a>}
            </span>
            {(f.state === 'accepted' || f.state === 'sending' || f.state === 'receiving') && <progress max={Math.max(1, f.size)} value={f.bytes} aria-label={`${f.name} transferred`} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
