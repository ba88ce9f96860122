// A rep's own account: display name and password.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { me, toast } from '../store.ts';
import { errorsOf } from '../admin/state.ts';
import { Field, FormError } from './admin/Field.tsx';

export function Account() {
  const [name, setName] = useState(me.value?.name ?? '');
  const [pw, setPw] = useState({ current: '', password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const saveName = async (e: Event) => {
    e.preventDefault();
    try {
      me.value = (await api.updateMe(name)).rep;
      setErrors({});
      toast('Your name is saved; customers see it in new messages.');
    } catch (x) { setErrors(errorsOf(x)); }
  };
  const savePassword = async (e: Event) => {
    e.preventDefault();
    try {
      await api.changePassword(pw.current, pw.password);
      setPw({ current: '', password: '' });
      setErrors({});
      toast('Your password is changed.');
    } catch (x) { setErrors(errorsOf(x)); }
  };
  return (
    <section class="admin-section account" aria-labelledby="account-h">
      <h2 id="account-h">My account</h2>
      <form class="card admin-form" onSubmit={saveName} aria-label="Display name">
        <Field id="me-name" label="Display name" error={errors.name}>{(a) => <input {...a} value={name} required onInput={(e) => setName(e.currentTarget.value)} />}</Field>
        <div class="row"><button class="primary" type="submit">Save name</button></div>
      </form>
      <form class="card admin-form" onSubmit={savePassword} aria-label="Password">
        <Field id="me-current" label="Current password" error={errors.current}>{(a) => <input {...a} type="password" autoComplete="current-password" value={pw.current} required onInput={(e) => setPw({ ...pw, current: e.currentTarget.value })} />}</Field>
        <Field id="me-password" label="New password" error={errors.password} hint="At least 8 characters.">{(a) => <input {...a} type="password" autoComplete="new-password" value={pw.password} required onInput={(e) => setPw({ ...pw, password: e.currentTarget.value })} />}</Field>
        <FormError errors={errors} />
        <div class="row"><button class="primary" type="submit">Change password</button></div>
      </form>
    </section>
  );
}
