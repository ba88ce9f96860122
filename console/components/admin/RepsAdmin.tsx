// Representatives: the list, a new rep, and one rep's edit panel (name, teams, admin, disable,
// new password). Disabling logs the rep out at once; the server puts their sessions back.
import { useState } from 'preact/hooks';
import type { AdminRep } from '../../../protocol/index.ts';
import { me, toast } from '../../store.ts';
import { adminApi } from '../../admin/api.ts';
import { errorsOf, failed, loadDirectory, reps, teamName, teams } from '../../admin/state.ts';
import { Field, FormError } from './Field.tsx';
import { IdPicker } from './IdPicker.tsx';
import { t } from '../../i18n.ts';

function NewRep({ done }: { done: () => void }) {
  const [f, setF] = useState({ username: '', name: '', password: '', isAdmin: false, teamIds: [] as string[] });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await adminApi.createRep(f);
      toast(t('reps.created', { name: f.name, username: f.username }));
      await loadDirectory();
      done();
    } catch (x) { setErrors(errorsOf(x)); }
  };
  return (
    <form class="card admin-form" onSubmit={submit} aria-labelledby="new-rep-h">
      <h3 id="new-rep-h">{t('reps.new')}</h3>
      <Field id="new-rep-username" label={t('login.username')} error={errors.username} hint={t('reps.usernameHint')}>
        {(a) => <input {...a} value={f.username} required autoComplete="off" onInput={(e) => setF({ ...f, username: e.currentTarget.value })} />}
      </Field>
      <Field id="new-rep-name" label={t('account.displayName')} error={errors.name}>
        {(a) => <input {...a} value={f.name} required onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />}
      </Field>
      <Field id="new-rep-password" label={t('login.password')} error={errors.password} hint={t('reps.passwordHint')}>
        {(a) => <input {...a} type="password" value={f.password} required autoComplete="new-password" onInput={(e) => setF({ ...f, password: e.currentTarget.value })} />}
      </Field>
      <IdPicker legend={t('transfer.teams')} options={teams.value} value={f.teamIds} onChange={(teamIds) => setF({ ...f, teamIds })} />
      <label class="check"><input type="checkbox" checked={f.isAdmin} onChange={(e) => setF({ ...f, isAdmin: e.currentTarget.checked })} /> {t('reps.admin')}</label>
      <FormError errors={errors} />
      <div class="row"><button class="primary" type="submit">{t('reps.create')}</button><button type="button" onClick={done}>{t('common.cancel')}</button></div>
    </form>
  );
}

function EditRep({ rep, done }: { rep: AdminRep; done: () => void }) {
  const [f, setF] = useState({ name: rep.name, teamIds: rep.teamIds, isAdmin: rep.isAdmin });
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const self = rep.id === me.value?.id;
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await adminApi.updateRep(rep.id, f);
      toast(t('common.saved', { name: f.name }));
      await loadDirectory();
      done();
    } catch (x) { setErrors(errorsOf(x)); }
  };
  const setDisabled = async (disabled: boolean) => {
    try {
      await adminApi.updateRep(rep.id, { disabled });
      toast(t('reps.disabledToast', { name: rep.name, disabled: disabled ? 'yes' : 'no' }));
      await loadDirectory();
    } catch (x) { failed(x); }
  };
  const reset = async () => {
    try {
      await adminApi.resetPassword(rep.id, password);
      setPassword('');
      setErrors({});
      toast(t('reps.passwordSet', { name: rep.name }));
    } catch (x) { setErrors(errorsOf(x)); }
  };
  return (
    <form class="card admin-form" onSubmit={save} aria-labelledby="edit-rep-h">
      <h3 id="edit-rep-h">{t('reps.edit', { name: rep.name })} <span class="muted">({rep.username})</span></h3>
      <Field id="edit-rep-name" label={t('account.displayName')} error={errors.name}>
        {(a) => <input {...a} value={f.name} required onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />}
      </Field>
      <IdPicker legend={t('transfer.teams')} options={teams.value} value={f.teamIds} onChange={(teamIds) => setF({ ...f, teamIds })} />
      <label class="check"><input type="checkbox" checked={f.isAdmin} disabled={self} onChange={(e) => setF({ ...f, isAdmin: e.currentTarget.checked })} /> {t('reps.admin')}</label>
      <FormError errors={errors} />
      <div class="row"><button class="primary" type="submit">{t('common.save')}</button><button type="button" onClick={done}>{t('common.close')}</button></div>
      <Field id="edit-rep-password" label={t('account.newPassword')} error={errors.password} hint={t('reps.newPasswordHint')}>
        {(a) => <div class="row"><input {...a} type="password" autoComplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} /><button type="button" onClick={() => void reset()} disabled={!password}>{t('reps.setPassword')}</button></div>}
      </Field>
      {!self && (
        <div class="row">
          {rep.disabled
            ? <button type="button" onClick={() => void setDisabled(false)}>{t('reps.enable', { name: rep.name })}</button>
            : <button type="button" class="danger" onClick={() => void setDisabled(true)}>{t('reps.disable', { name: rep.name })}</button>}
          <span class="muted small">{rep.disabled ? t('reps.disabledNote') : t('reps.disableNote')}</span>
        </div>
      )}
    </form>
  );
}

export function RepsAdmin() {
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const rep = reps.value.find((r) => r.id === editing);
  return (
    <section class="admin-section" aria-labelledby="reps-h">
      <div class="row"><h2 id="reps-h" class="grow">{t('admin.screen', { screen: 'reps' })}</h2><button class="primary" onClick={() => setEditing('new')}>{t('reps.add')}</button></div>
      {editing === 'new' && <NewRep done={() => setEditing(null)} />}
      {rep && <EditRep key={rep.id} rep={rep} done={() => setEditing(null)} />}
      <table class="grid">
        <thead><tr><th>{t('queues.name')}</th><th>{t('login.username')}</th><th>{t('transfer.teams')}</th><th>{t('reps.role')}</th><th>{t('reps.status')}</th><th><span class="sr-only">{t('common.actions')}</span></th></tr></thead>
        <tbody>
          {reps.value.map((r) => (
            <tr key={r.id} data-rep={r.username}>
              <td><bdi>{r.name}</bdi></td><td>{r.username}</td><td>{r.teamIds.map(teamName).join(', ') || '—'}</td>
              <td>{r.isAdmin ? t('reps.admin') : t('history.rep')}</td>
              <td>{t('reps.state', { state: r.disabled ? 'disabled' : r.online ? 'online' : 'offline' })}</td>
              <td class="actions"><button class="small" onClick={() => setEditing(r.id)} aria-label={t('common.editName', { name: r.name })}>{t('common.edit')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
