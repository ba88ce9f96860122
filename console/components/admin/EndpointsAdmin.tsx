// Outbound event endpoints (docs/INTEGRATIONS.md, "Outbound events"): the list, a new endpoint
// (URL, description, event types), enable/disable, a new signing secret, delete, and one
// endpoint's delivery log. The signing secret is shown once.
import { useState } from 'preact/hooks';
import { OUTBOUND_EVENT_TYPES, type EventEndpoint, type EventEndpointWithSecret, type OutboundEventType } from '../../../protocol/index.ts';
import { adminApi } from '../../admin/api.ts';
import { endpoints, errorsOf, integrationAction, loadIntegrations } from '../../admin/state.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import { DeliveryLog } from './DeliveryLog.tsx';
import { Field, FormError } from './Field.tsx';
import { IdPicker } from './IdPicker.tsx';
import { SecretOnce } from './SecretOnce.tsx';
import { t } from '../../i18n.ts';

const TYPES = OUTBOUND_EVENT_TYPES.map((type) => ({ id: type, name: type }));

function NewEndpoint({ made, done }: { made: (s: EventEndpointWithSecret) => void; done: () => void }) {
  const [f, setF] = useState({ url: '', description: '', eventTypes: [] as string[] });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      // No type ticked means every type (the API's default), said beside the boxes.
      made(await adminApi.createEndpoint({ url: f.url, description: f.description, ...(f.eventTypes.length ? { eventTypes: f.eventTypes as OutboundEventType[] } : {}) }));
      await loadIntegrations();
      done();
    } catch (x) { setErrors(errorsOf(x)); }
  };
  return (
    <form class="card admin-form" onSubmit={submit} aria-labelledby="new-endpoint-h">
      <h3 id="new-endpoint-h">{t('endpoints.new')}</h3>
      <Field id="new-endpoint-url" label={t('endpoints.url')} error={errors.url} hint={t('endpoints.urlHint')}>
        {(a) => <input {...a} type="url" value={f.url} required onInput={(e) => setF({ ...f, url: e.currentTarget.value })} />}
      </Field>
      <Field id="new-endpoint-description" label={t('details.description')} error={errors.description}>
        {(a) => <input {...a} value={f.description} onInput={(e) => setF({ ...f, description: e.currentTarget.value })} />}
      </Field>
      <IdPicker legend={t('endpoints.types')} options={TYPES} value={f.eventTypes} onChange={(eventTypes) => setF({ ...f, eventTypes })} />
      {errors.eventTypes && <p class="error small" role="alert">{t('endpoints.typesError', { error: errors.eventTypes })}</p>}
      <FormError errors={errors} />
      <div class="row"><button class="primary" type="submit">{t('endpoints.create')}</button><button type="button" onClick={done}>{t('common.cancel')}</button></div>
    </form>
  );
}

export function EndpointsAdmin() {
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<EventEndpointWithSecret | null>(null);
  const [logOf, setLogOf] = useState<string | null>(null);
  const act = integrationAction;
  const label = (e: EventEndpoint) => e.description || e.url;
  const open = endpoints.value.find((e) => e.id === logOf);
  return (
    <section class="admin-section" aria-labelledby="endpoints-h">
      <div class="row"><h2 id="endpoints-h" class="grow">{t('endpoints.title')}</h2><button class="primary" onClick={() => setAdding(true)}>{t('endpoints.add')}</button></div>
      {adding && <NewEndpoint made={setShown} done={() => setAdding(false)} />}
      {shown && (
        <SecretOnce id="endpoint-secret" label={t('endpoints.secretOf', { name: label(shown.endpoint) })} secret={shown.secret}
          extra={t('endpoints.secretExtra')} done={() => setShown(null)} />
      )}
      <table class="grid">
        <thead><tr><th>{t('endpoints.url')}</th><th>{t('details.description')}</th><th>{t('endpoints.events')}</th><th>{t('reps.status')}</th><th><span class="sr-only">{t('common.actions')}</span></th></tr></thead>
        <tbody>
          {endpoints.value.map((e) => (
            <tr key={e.id} data-endpoint={e.url}>
              <td class="clip">{e.url}</td><td>{e.description}</td>
              <td class="small">{e.eventTypes.length === OUTBOUND_EVENT_TYPES.length ? t('endpoints.all') : e.eventTypes.join(', ')}</td>
              <td>{t('common.enabled', { on: e.enabled ? 'yes' : 'no' })}</td>
              <td class="actions">
                <button class="small" aria-label={t('endpoints.logOf', { name: label(e) })} aria-pressed={logOf === e.id} onClick={() => setLogOf(logOf === e.id ? null : e.id)}>{t('endpoints.log')}</button>{' '}
                <button class="small" aria-label={e.enabled ? t('reps.disable', { name: label(e) }) : t('reps.enable', { name: label(e) })}
                  onClick={() => void act(() => adminApi.updateEndpoint(e.id, { enabled: !e.enabled }), e.enabled ? t('endpoints.disabled', { name: label(e) }) : t('common.enabledToast', { name: label(e) }))}>
                  {e.enabled ? t('common.disable') : t('common.enable')}
                </button>{' '}
                <ConfirmButton label={t('api.newSecret')} name={t('api.newSecretFor', { name: label(e) })} question={t('endpoints.rotateQuestion')} confirm={t('api.makeSecret')}
                  onConfirm={() => act(async () => setShown(await adminApi.rotateEndpointSecret(e.id)), t('endpoints.rotated', { name: label(e) }))} />{' '}
                <ConfirmButton label={t('common.delete')} name={t('common.deleteName', { name: label(e) })} question={t('endpoints.deleteQuestion')} confirm={t('common.deleteName', { name: label(e) })}
                  onConfirm={() => act(async () => { await adminApi.deleteEndpoint(e.id); if (logOf === e.id) setLogOf(null); }, t('common.deleted', { name: label(e) }))} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {endpoints.value.length === 0 && <p class="muted empty">{t('admin.noneYet')}</p>}
      {open && <DeliveryLog key={open.id} target={`event-endpoints/${open.id}`} title={t('endpoints.logOf', { name: label(open) })} />}
    </section>
  );
}
