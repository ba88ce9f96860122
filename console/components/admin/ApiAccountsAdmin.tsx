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
import { t } from '../../i18n.ts';

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
      <h3 id="new-api-h">{t('api.new')}</h3>
      <Field id="new-api-name" label={t('api.name')} error={errors.name} hint={t('api.nameHint')}>
        {(a) => <input {...a} value={f.name} required onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />}
      </Field>
      <IdPicker legend={t('api.scopes')} options={SCOPES} value={f.scopes} onChange={(scopes) => setF({ ...f, scopes })} />
      {errors.scopes && <p class="error small" role="alert">{t('api.scopesError', { error: errors.scopes })}</p>}
      <p class="muted small">{t('api.scopesHint')}</p>
      <FormError errors={errors} />
      <div class="row"><button class="primary" type="submit">{t('api.create')}</button><button type="button" onClick={done}>{t('common.cancel')}</button></div>
    </form>
  );
}

export function ApiAccountsAdmin() {
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<ApiAccountSecret | null>(null);
  const act = integrationAction;
  const rotate = (a: ApiAccount) => act(async () => setShown(await adminApi.rotateApiSecret(a.clientId)), t('api.rotated', { name: a.name }));
  return (
    <section class="admin-section" aria-labelledby="api-h">
      <div class="row"><h2 id="api-h" class="grow">{t('api.title')}</h2><button class="primary" onClick={() => setAdding(true)}>{t('api.add')}</button></div>
      {adding && <NewAccount made={setShown} done={() => setAdding(false)} />}
      {shown && (
        <SecretOnce id="api-secret" label={t('api.secretOf', { name: shown.account.name })} secret={shown.clientSecret}
          extra={t('api.secretExtra', { id: shown.account.clientId })} done={() => setShown(null)} />
      )}
      <table class="grid">
        <thead><tr><th>{t('queues.name')}</th><th>{t('api.clientId')}</th><th>{t('api.scopes')}</th><th>{t('reps.status')}</th><th>{t('api.lastUsed')}</th><th><span class="sr-only">{t('common.actions')}</span></th></tr></thead>
        <tbody>
          {apiAccounts.value.map((a) => (
            <tr key={a.clientId} data-account={a.name}>
              <td><bdi>{a.name}</bdi></td><td class="mono">{a.clientId}</td><td>{a.scopes.join(', ')}</td>
              <td>{t('common.enabled', { on: a.enabled ? 'yes' : 'no' })}</td><td>{a.lastUsedAt ? dateTime(a.lastUsedAt) : t('api.never')}</td>
              <td class="actions">
                <button class="small" aria-label={a.enabled ? t('reps.disable', { name: a.name }) : t('reps.enable', { name: a.name })}
                  onClick={() => void act(() => adminApi.updateApiAccount(a.clientId, { enabled: !a.enabled }), a.enabled ? t('api.disabled', { name: a.name }) : t('common.enabledToast', { name: a.name }))}>
                  {a.enabled ? t('common.disable') : t('common.enable')}
                </button>{' '}
                <ConfirmButton label={t('api.newSecret')} name={t('api.newSecretFor', { name: a.name })} question={t('api.rotateQuestion', { name: a.name })} confirm={t('api.makeSecret')} onConfirm={() => rotate(a)} />{' '}
                <ConfirmButton label={t('common.delete')} name={t('common.deleteName', { name: a.name })} question={t('api.deleteQuestion', { name: a.name })} confirm={t('common.deleteName', { name: a.name })}
                  onConfirm={() => act(() => adminApi.deleteApiAccount(a.clientId), t('common.deleted', { name: a.name }))} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {apiAccounts.value.length === 0 && <p class="muted empty">{t('admin.noneYet')}</p>}
    </section>
  );
}
