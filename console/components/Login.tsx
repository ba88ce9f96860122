import { useState } from 'preact/hooks';
import { login } from '../actions.ts';
import { loginNotice } from '../store.ts';
import { t } from '../i18n.ts';

export function Login() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    setBusy(true);
    setError(await login(String(f.get('username') ?? ''), String(f.get('password') ?? '')));
    setBusy(false);
  };
  return (
    <div class="login-page">
      <form class="login card" onSubmit={submit}>
        <h1>Bridge</h1>
        <p class="muted">{t('login.subtitle')}</p>
        {loginNotice.value && <p class="notice" role="status">{loginNotice.value}</p>}
        <label>{t('login.username')}<input name="username" autocomplete="username" required autofocus /></label>
        <label>{t('login.password')}<input name="password" type="password" autocomplete="current-password" required /></label>
        {error && <p class="error" role="alert">{error}</p>}
        <button class="primary" type="submit" disabled={busy}>{busy ? t('login.busy') : t('login.submit')}</button>
      </form>
    </div>
  );
}
