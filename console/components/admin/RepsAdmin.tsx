// Representatives: the list, a new rep, and one rep's edit panel (name, teams, admin, disable,
// new password). Disabling logs the rep out at once; the server puts their sessions back.
import { useState } from 'preact/hooks';
import type { AdminRep } from '../../../protocol/index.ts';
import { me, toast } from '../../store.ts';
import { adminApi } from '../../admin/api.ts';
import { errorsOf, failed, loadDirectory, reps, teamName, teams } from '../../admin/state.ts';
import { Field, FormError } from './Field.tsx';
import { IdPicker } from './IdPicker.tsx';

function NewRep({ done }: { done: () => void }) {
  const [f, setF] = useState({ username: '', name: '', password: '', isAdmin: false, teamIds: [] as string[] });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await adminApi.createRep(f);
      toast(`${f.name} can log in now as ${f.username}.`);
      await loadDirectory();
      done();
    } catch (x) { setErrors(errorsOf(x)); }
  };
  return (
    <form class="card admin-form" onSubmit={submit} aria-labelledby="new-rep-h">
      <h3 id="new-rep-h">New representative</h3>
      <Field id="new-rep-username" label="User name" error={errors.username} hint="Letters, digits, . _ @ -">
        {(a) => <input {...a} value={f.username} required autoComplete="off" onInput={(e) => setF({ ...f, username: e.currentTarget.value })} />}
      </Field>
      <Field id="new-rep-name" label="Display name" error={errors.name}>
        {(a) => <input {...a} value={f.name} required onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />}
      </Field>
      <Field id="new-rep-password" label="Password" error={errors.password} hint="At least 8 characters; tell it to the rep.">
        {(a) => <input {...a} type="password" value={f.password} required autoComplete="new-password" onInput={(e) => setF({ ...f, password: e.currentTarget.value })} />}
      </Field>
      <IdPicker legend="Teams" options={teams.value} value={f.teamIds} onChange={(teamIds) => setF({ ...f, teamIds })} />
      <label class="check"><input type="checkbox" checked={f.isAdmin} onChange={(e) => setF({ ...f, isAdmin: e.currentTarget.checked })} /> Administrator</label>
      <FormError errors={errors} />
      <div class="row"><button class="primary" type="submit">Create representative</button><button type="button" onClick={done}>Cancel</button></div>
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
      toast(`${f.name} saved.`);
      await loadDirectory();
      done();
    } catch (x) { setErrors(errorsOf(x)); }
  };
  const setDisabled = async (disabled: boolean) => {
    try {
      await adminApi.updateRep(rep.id, { disabled });
      toast(disabled ? `${rep.name} is disabled and was logged out.` : `${rep.name} can log in again.`);
      await loadDirectory();
    } catch (x) { failed(x); }
  };
  const reset = async () => {
    try {
      await adminApi.resetPassword(rep.id, password);
      setPassword('');
      setErrors({});
      toast(`New password set for ${rep.name}; they were logged out.`);
    } catch (x) { setErrors(errorsOf(x)); }
  };
  return (
    <form class="card admin-form" onSubmit={save} aria-labelledby="edit-rep-h">
      <h3 id="edit-rep-h">Edit {rep.name} <span class="muted">({rep.username})</span></h3>
      <Field id="edit-rep-name" label="Display name" error={errors.name}>
        {(a) => <input {...a} value={f.name} required onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />}
      </Field>
      <IdPicker legend="Teams" options={teams.value} value={f.teamIds} onChange={(teamIds) => setF({ ...f, teamIds })} />
      <label class="check"><input type="checkbox" checked={f.isAdmin} disabled={self} onChange={(e) => setF({ ...f, isAdmin: e.currentTarget.checked })} /> Administrator</label>
      <FormError errors={errors} />
      <div class="row"><button class="primary" type="submit">Save</button><button type="button" onClick={done}>Close</button></div>
      <Field id="edit-rep-password" label="New password" error={errors.password} hint="Ends the rep's logins; tell them the new one.">
        {(a) => <div class="row"><input {...a} type="password" autoComplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} /><button type="button" onClick={() => void reset()} disabled={!password}>Set password</button></div>}
      </Field>
      {!self && (
        <div class="row">
          {rep.disabled
            ? <button type="button" onClick={() => void setDisabled(false)}>Enable {rep.name}</button>
            : <button type="button" class="danger" onClick={() => void setDisabled(true)}>Disable {rep.name}</button>}
          <span class="muted small">{rep.disabled ? 'Disabled: can\'t log in.' : 'Disabling logs them out now; their sessions go back to the queue.'}</span>
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
      <div class="row"><h2 id="reps-h" class="grow">Representatives</h2><button class="primary" onClick={() => setEditing('new')}>Add representative</button></div>
      {editing === 'new' && <NewRep done={() => setEditing(null)} />}
      {rep && <EditRep key={rep.id} rep={rep} done={() => setEditing(null)} />}
      <table class="grid">
        <thead><tr><th>Name</th><th>User name</th><th>Teams</th><th>Role</th><th>Status</th><th><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {reps.value.map((r) => (
            <tr key={r.id} data-rep={r.username}>
              <td>{r.name}</td><td>{r.username}</td><td>{r.teamIds.map(teamName).join(', ') || '—'}</td>
              <td>{r.isAdmin ? 'Administrator' : 'Representative'}</td>
              <td>{r.disabled ? 'Disabled' : r.online ? 'Online' : 'Offline'}</td>
              <td class="actions"><button class="small" onClick={() => setEditing(r.id)} aria-label={`Edit ${r.name}`}>Edit</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
