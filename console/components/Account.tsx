// A rep's own account: language, display name and password.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { me, toast } from '../store.ts';
import { errorsOf } from '../admin/state.ts';
import { Field, FormError } from './admin/Field.tsx';
import { language, setLanguage, t } from '../i18n.ts';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../../protocol/i18n/languages.ts';

/** The console's language, remembered in this browser (each name in its own language). */
function LanguagePicker() {
  return (
    <div class="card admin-form">
      <label for="me-lang">{t('account.language')}</label>
      <select id="me-lang" value={language.value} onChange={(e) => { const l = e.currentTarget.value; if (isLanguage(l)) void setLanguage(l, { remember: true }); }}>
        {LANGUAGES.map((l) => <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>)}
      </select>
    </div>
  );
}

export function Account() {
  const [name, setName] = useState(me.value?.name ?? '');
  const [pw, setPw] = useState({ current: '', password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const saveName = async (e: Event) => {
    e.preventDefault();
    try {
      me.value = (await api.updateMe(name)).rep;
      setErrors({});
      toast(t('account.nameSaved'));
    } catch (x) { setErrors(errorsOf(x)); }
  };
  const savePassword = async (e: Event) => {
    e.preventDefault();
    try {
      await api.changePassword(pw.current, pw.password);
      setPw({ current: '', password: '' });
      setErrors({});
      toast(t('account.passwordChanged'));
    } catch (x) { setErrors(errorsOf(x)); }
  };
  return (
    <section class="admin-section account" aria-labelledby="account-h">
      <h2 id="account-h">{t('account.title')}</h2>
      <LanguagePicker />
      <form class="card admin-form" onSubmit={saveName} aria-label={t('account.displayName')}>
        <Field id="me-name" label={t('account.displayName')} error={errors.name}>{(a) => <input {...a} value={name} required onInput={(e) => setName(e.currentTarget.value)} />}</Field>
        <div class="row"><button class="primary" type="submit">{t('account.saveName')}</button></div>
      </form>
      <form class="card admin-form" onSubmit={savePassword} aria-label={t('account.password')}>
        <Field id="me-current" label={t('account.currentPassword')} error={errors.current}>{(a) => <input {...a} type="password" autoComplete="current-password" value={pw.current} required onInput={(e) => setPw({ ...pw, current: e.currentTarget.value })} />}</Field>
        <Field id="me-password" label={t('account.newPassword')} error={errors.password} hint={t('account.passwordHint')}>{(a) => <input {...a} type="password" autoComplete="new-password" value={pw.password} required onInput={(e) => setPw({ ...pw, password: e.currentTarget.value })} />}</Field>
        <FormError errors={errors} />
        <div class="row"><button class="primary" type="submit">{t('account.changePassword')}</button></div>
      </form>
    </section>
  );
}
