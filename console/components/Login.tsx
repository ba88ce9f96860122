import { useState } from 'preact/hooks';
import { login } from '../actions.ts';
import { loginNotice } from '../store.ts';

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
        <p class="muted">Representative console</p>
        {loginNotice.value && <p class="notice" role="status">{loginNotice.value}</p>}
        <label>User name<input name="username" autocomplete="username" required autofocus /></label>
        <label>Password<input name="password" type="password" autocomplete="current-password" required /></label>
        {error && <p class="error" role="alert">{error}</p>}
        <button class="primary" type="submit" disabled={busy}>{busy ? 'Logging in…' : 'Log in'}</button>
      </form>
    </div>
  );
}
