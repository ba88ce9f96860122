// The canned messages a rep may insert, as a listbox under the chat input: opened by typing "/"
// at the start of a message (what follows filters by title and text) or by the Canned button;
// arrows move, Enter or Tab inserts, Escape closes. The input stays focused (combobox pattern).
import type { CannedMessage } from '../../protocol/index.ts';
import { t } from '../i18n.ts';

export const CANNED_LIST_ID = 'canned-list';
export const cannedOptionId = (i: number) => `canned-option-${i}`;

/** The messages matching what follows the "/" (all of them for a bare "/"). */
export function matchCanned(all: CannedMessage[], text: string): CannedMessage[] | null {
  if (!text.startsWith('/')) return null;
  const q = text.slice(1).trim().toLowerCase();
  return all.filter((m) => !q || m.title.toLowerCase().includes(q) || m.text.toLowerCase().includes(q));
}

export function CannedMenu({ items, active, onPick }: { items: CannedMessage[]; active: number; onPick: (m: CannedMessage) => void }) {
  return (
    <ul class="canned-menu" role="listbox" id={CANNED_LIST_ID} aria-label={t('canned.label')}>
      {items.length === 0 && <li class="muted" role="option" aria-disabled="true" aria-selected="false">{t('canned.none')}</li>}
      {items.map((m, i) => (
        <li key={m.id} id={cannedOptionId(i)} role="option" aria-selected={i === active} class={i === active ? 'on' : ''}
          onMouseDown={(e) => { e.preventDefault(); onPick(m); }}>
          <b>{m.title}</b> <span class="muted">{m.text}</span>
        </li>
      ))}
    </ul>
  );
}
