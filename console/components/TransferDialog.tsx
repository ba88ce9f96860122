// "Transfer…": a small dialog where the rep picks a representative, a team or the general queue,
// then confirms with a button that names the target. Nothing is sent before that button;
// Esc or Cancel closes it and gives focus back to the "Transfer…" button.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Msg } from '../../protocol/index.ts';
import { transfer } from '../actions.ts';
import { me, queues, reps, type SessionStore } from '../store.ts';
import { t } from '../i18n.ts';

type Target = Msg<'transfer'>['to'];
/** `name`: the target's name as the confirmation words it; `group` picks the words around it. */
interface Choice { value: string; label: string; name: string; to: Target; disabled?: boolean; group: 'rep' | 'team' | 'general' }

function choices(): Choice[] {
  const myId = me.value?.id;
  const teams = new Map<string, string>();
  for (const team of me.value?.teams ?? []) teams.set(team.id, team.name);
  for (const q of queues.value) if (q.ref.kind === 'team' && q.ref.id) teams.set(q.ref.id, q.name);
  return [
    ...reps.value.filter((r) => r.id !== myId).map((r): Choice => ({ value: `rep:${r.id}`, label: t('transfer.repOption', { name: r.name, availability: r.availability }), name: r.name, to: { kind: 'rep', id: r.id }, disabled: r.availability === 'offline', group: 'rep' })),
    ...[...teams].map(([id, name]): Choice => ({ value: `team:${id}`, label: name, name, to: { kind: 'team', id }, group: 'team' })),
    { value: 'general', label: t('transfer.general'), name: '', to: { kind: 'general' }, group: 'general' },
  ];
}

/** Keeps Tab inside a modal dialog: from the last control to the first and back. */
function trapTab(e: KeyboardEvent): void {
  if (e.key !== 'Tab') return;
  const all = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('select, button:not([disabled])')];
  const [first, last] = [all[0], all[all.length - 1]];
  if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
  else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
}

function Dialog({ s, onClose }: { s: SessionStore; onClose: () => void }) {
  const [value, setValue] = useState('');
  const list = choices();
  const picked = list.find((c) => c.value === value);
  const first = useRef<HTMLSelectElement>(null);
  const customer = s.info.value?.customer.name || t('common.customer');
  useEffect(() => first.current?.focus(), []);
  const confirm = (e: Event) => {
    e.preventDefault();
    if (!picked) return;
    onClose();
    transfer(s.id, picked.to);
  };
  const group = (g: Choice['group']) => list.filter((c) => c.group === g).map((c) => <option key={c.value} value={c.value} disabled={c.disabled}>{c.label}</option>);
  return (
    <div class="modal-back" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div
        class="modal card transfer-dialog" role="dialog" aria-modal="true" aria-labelledby="transfer-title" aria-describedby="transfer-what"
        onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); onClose(); } else trapTab(e); }}
      ><form onSubmit={confirm}>
        <h2 id="transfer-title">{t('transfer.title', { customer })}</h2>
        <label>{t('transfer.to')}
          <select ref={first} value={value} onChange={(e) => setValue((e.target as HTMLSelectElement).value)}>
            <option value="">{t('transfer.choose')}</option>
            {list.some((c) => c.group === 'rep') && <optgroup label={t('transfer.reps')}>{group('rep')}</optgroup>}
            {list.some((c) => c.group === 'team') && <optgroup label={t('transfer.teams')}>{group('team')}</optgroup>}
            {group('general')}
          </select>
        </label>
        <p id="transfer-what" class="muted">
          {picked ? t('transfer.what', { customer, kind: picked.group, name: picked.name }) : t('transfer.nothingYet')}
        </p>
        <div class="row end">
          <button type="button" onClick={onClose}>{t('common.cancel')}</button>
          <button class="primary" type="submit" disabled={!picked}>{picked ? t('transfer.confirm', { kind: picked.group, name: picked.name }) : t('transfer.submit')}</button>
        </div>
      </form></div>
    </div>
  );
}

export function TransferButton({ s }: { s: SessionStore }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const close = () => { setOpen(false); button.current?.focus(); };
  return (
    <>
      <button ref={button} class="transfer" aria-haspopup="dialog" onClick={() => setOpen(true)}>{t('transfer.open')}</button>
      {open && <Dialog s={s} onClose={close} />}
    </>
  );
}
