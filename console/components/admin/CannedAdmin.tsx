// Canned messages: replies reps insert in the chat, for everyone or one team.
import { useEffect, useState } from 'preact/hooks';
import type { CannedMessage } from '../../../protocol/index.ts';
import { toast } from '../../store.ts';
import { adminApi } from '../../admin/api.ts';
import { cannedAll, errorsOf, failed, loadCannedAll, teamName, teams } from '../../admin/state.ts';
import { Field, FormError } from './Field.tsx';
import { t } from '../../i18n.ts';

function CannedForm({ msg, done }: { msg: CannedMessage | null; done: () => void }) {
  const [f, setF] = useState({ title: msg?.title ?? '', text: msg?.text ?? '', teamId: msg?.teamId ?? null });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      if (msg) await adminApi.updateCanned(msg.id, f);
      else await adminApi.createCanned(f);
      await loadCannedAll();
      toast(t('canned.saved', { title: f.title }));
      done();
    } catch (x) { setErrors(errorsOf(x)); }
  };
  return (
    <form class="card admin-form" onSubmit={save} aria-labelledby="canned-form-h">
      <h3 id="canned-form-h">{msg ? t('canned.edit', { title: msg.title }) : t('canned.new')}</h3>
      <Field id="canned-title" label={t('canned.title')} error={errors.title} hint={t('canned.titleHint')}>{(a) => <input {...a} value={f.title} required onInput={(e) => setF({ ...f, title: e.currentTarget.value })} />}</Field>
      <Field id="canned-text" label={t('chat.message')} error={errors.text}>{(a) => <textarea {...a} rows={4} value={f.text} required onInput={(e) => setF({ ...f, text: e.currentTarget.value })} />}</Field>
      <Field id="canned-team" label={t('canned.for')} error={errors.teamId}>
        {(a) => (
          <select {...a} value={f.teamId ?? ''} onChange={(e) => setF({ ...f, teamId: e.currentTarget.value || null })}>
            <option value="">{t('canned.everyone')}</option>
            {teams.value.map((tm) => <option key={tm.id} value={tm.id}>{t('teams.team', { name: tm.name })}</option>)}
          </select>
        )}
      </Field>
      <FormError errors={errors} />
      <div class="row"><button class="primary" type="submit">{t('canned.save')}</button><button type="button" onClick={done}>{t('common.cancel')}</button></div>
    </form>
  );
}

export function CannedAdmin() {
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  useEffect(() => { void loadCannedAll(); }, []);
  const remove = async (m: CannedMessage) => {
    try {
      await adminApi.deleteCanned(m.id);
      await loadCannedAll();
    } catch (x) { failed(x); }
  };
  const msg = cannedAll.value.find((m) => m.id === editing) ?? null;
  return (
    <section class="admin-section" aria-labelledby="canned-h">
      <div class="row"><h2 id="canned-h" class="grow">{t('canned.label')}</h2><button class="primary" onClick={() => setEditing('new')}>{t('canned.add')}</button></div>
      <p class="muted small">{t('canned.hint')}</p>
      {editing && <CannedForm key={editing} msg={msg} done={() => setEditing(null)} />}
      <table class="grid">
        <thead><tr><th>{t('canned.title')}</th><th>{t('chat.message')}</th><th>{t('canned.for')}</th><th><span class="sr-only">{t('common.actions')}</span></th></tr></thead>
        <tbody>
          {cannedAll.value.map((m) => (
            <tr key={m.id}>
              <td>{m.title}</td><td class="clip">{m.text}</td><td>{m.teamId ? t('teams.team', { name: teamName(m.teamId) }) : t('canned.everyone')}</td>
              <td class="actions">
                <button class="small" onClick={() => setEditing(m.id)} aria-label={t('common.editName', { name: m.title })}>{t('common.edit')}</button>{' '}
                <button class="small" onClick={() => void remove(m)} aria-label={t('common.deleteName', { name: m.title })}>{t('common.delete')}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {cannedAll.value.length === 0 && <p class="muted empty">{t('admin.noneYet')}</p>}
    </section>
  );
}
