// API accounts for help desks (docs/INTEGRATIONS.md, "API accounts and tokens"): the list, a new
// account with its scopes, disable/enable, a new secret, delete. A secret is shown once.
import { useState } from 'preact/hooks';
import { API_SCOPES, type ApiAccount, type ApiAccountSecret } from '../../../protocol/api/v1.ts';
import { dateTime } from '../../format.ts';
import { adminApi } from '../../admin/api.ts';
import { apiAccounts, errorsOf, integrationAction, loadIntegrations } from '../../admin/state.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import { Field, FormError } from './Field.tsx';
import { IdPicker } from './IdPicker.tsx';
import { SecretOnce } from './SecretOnce.tsx';

const SCOPES = API_SCOPES.map((s) => ({ id: s, name: s }));

function NewAccount({ made, done }: { made: (s: ApiAccountSecret) => void; done: () => void }) {
  const [f, setF] = useState({ name: '', scopes: [] as string[] });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      made(await adminApi.createApiAccount({ name: f.name, scopes: f.scopes as ApiAccount['scopes'] }));
      await loadIntegrations();
      done();
    } catch (x) { setErrors(errorsOf(x)); }
  };
  return (
    <form class="card admin-form" onSubmit={submit} aria-labelledby="new-api-h">
      <h3 id="new-api-h">New API account</h3>
      <Field id="new-api-name" label="Account name" error={errors.name} hint="Which help desk uses it.">
        {(a) => <input {...a} value={f.name} required onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />}
      </Field>
      <IdPicker legend="Scopes" options={SCOPES} value={f.scopes} onChange={(scopes) => setF({ ...f, scopes })} />
      {errors.scopes && <p class="error small" role="alert">Scopes: {errors.scopes}</p>}
      <p class="muted small">command: keys, chat links, reps and teams, end sessions · reporting: records and transcripts · events: event endpoints and their logs.</p>
      <FormError errors={errors} />
      <div class="row"><button class="primary" type="submit">Create account</button><button type="button" onClick={done}>Cancel</button></div>
    </form>
  );
}

export function ApiAccountsAdmin() {
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<ApiAccountSecret | null>(null);
  const act = integrationAction;
  const rotate = (a: ApiAccount) => act(async () => setShown(await adminApi.rotateApiSecret(a.clientId)), `${a.name} has a new secret; the old one and its tokens no longer work.`);
  return (
    <section class="admin-section" aria-labelledby="api-h">
      <div class="row"><h2 id="api-h" class="grow">API accounts</h2><button class="primary" onClick={() => setAdding(true)}>Add API account</button></div>
      {adding && <NewAccount made={setShown} done={() => setAdding(false)} />}
      {shown && (
        <SecretOnce id="api-secret" label={`Client secret of ${shown.account.name}`} secret={shown.clientSecret}
          extra={`Client id: ${shown.account.clientId}. The help desk trades both for a token at /oauth2/token.`} done={() => setShown(null)} />
      )}
      <table class="grid">
        <thead><tr><th>Name</th><th>Client id</th><th>Scopes</th><th>Status</th><th>Last used</th><th><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {apiAccounts.value.map((a) => (
            <tr key={a.clientId} data-account={a.name}>
              <td>{a.name}</td><td class="mono">{a.clientId}</td><td>{a.scopes.join(', ')}</td>
              <td>{a.enabled ? 'Enabled' : 'Disabled'}</td><td>{a.lastUsedAt ? dateTime(a.lastUsedAt) : 'never'}</td>
              <td class="actions">
                <button class="small" aria-label={`${a.enabled ? 'Disable' : 'Enable'} ${a.name}`}
                  onClick={() => void act(() => adminApi.updateApiAccount(a.clientId, { enabled: !a.enabled }), a.enabled ? `${a.name} is disabled; its tokens ended.` : `${a.name} is enabled.`)}>
                  {a.enabled ? 'Disable' : 'Enable'}
                </button>{' '}
                <ConfirmButton label="New secret" name={`New secret for ${a.name}`} question={`Replace ${a.name}'s secret? The old one stops at once.`} confirm="Make new secret" onConfirm={() => rotate(a)} />{' '}
                <ConfirmButton label="Delete" name={`Delete ${a.name}`} question={`Delete ${a.name}? Its help desk loses access.`} confirm={`Delete ${a.name}`}
                  onConfirm={() => act(() => adminApi.deleteApiAccount(a.clientId), `${a.name} deleted.`)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {apiAccounts.value.length === 0 && <p class="muted empty">None yet.</p>}
    </section>
  );
}
