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

const TYPES = OUTBOUND_EVENT_TYPES.map((t) => ({ id: t, name: t }));

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
      <h3 id="new-endpoint-h">New event endpoint</h3>
      <Field id="new-endpoint-url" label="URL" error={errors.url} hint="Where Bridge POSTs signed events (http:// or https://).">
        {(a) => <input {...a} type="url" value={f.url} required onInput={(e) => setF({ ...f, url: e.currentTarget.value })} />}
      </Field>
      <Field id="new-endpoint-description" label="Description" error={errors.description}>
        {(a) => <input {...a} value={f.description} onInput={(e) => setF({ ...f, description: e.currentTarget.value })} />}
      </Field>
      <IdPicker legend="Event types (none ticked: all)" options={TYPES} value={f.eventTypes} onChange={(eventTypes) => setF({ ...f, eventTypes })} />
      {errors.eventTypes && <p class="error small" role="alert">Event types: {errors.eventTypes}</p>}
      <FormError errors={errors} />
      <div class="row"><button class="primary" type="submit">Create endpoint</button><button type="button" onClick={done}>Cancel</button></div>
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
      <div class="row"><h2 id="endpoints-h" class="grow">Event endpoints</h2><button class="primary" onClick={() => setAdding(true)}>Add endpoint</button></div>
      {adding && <NewEndpoint made={setShown} done={() => setAdding(false)} />}
      {shown && (
        <SecretOnce id="endpoint-secret" label={`Signing secret of ${label(shown.endpoint)}`} secret={shown.secret}
          extra="The receiver checks each event's webhook-signature with it (Standard Webhooks)." done={() => setShown(null)} />
      )}
      <table class="grid">
        <thead><tr><th>URL</th><th>Description</th><th>Events</th><th>Status</th><th><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {endpoints.value.map((e) => (
            <tr key={e.id} data-endpoint={e.url}>
              <td class="clip">{e.url}</td><td>{e.description}</td>
              <td class="small">{e.eventTypes.length === OUTBOUND_EVENT_TYPES.length ? 'all' : e.eventTypes.join(', ')}</td>
              <td>{e.enabled ? 'Enabled' : 'Disabled'}</td>
              <td class="actions">
                <button class="small" aria-label={`Delivery log of ${label(e)}`} aria-pressed={logOf === e.id} onClick={() => setLogOf(logOf === e.id ? null : e.id)}>Log</button>{' '}
                <button class="small" aria-label={`${e.enabled ? 'Disable' : 'Enable'} ${label(e)}`}
                  onClick={() => void act(() => adminApi.updateEndpoint(e.id, { enabled: !e.enabled }), e.enabled ? `${label(e)} is disabled; its events wait.` : `${label(e)} is enabled.`)}>
                  {e.enabled ? 'Disable' : 'Enable'}
                </button>{' '}
                <ConfirmButton label="New secret" name={`New secret for ${label(e)}`} question="Replace the signing secret? The old one also signs for 24 hours." confirm="Make new secret"
                  onConfirm={() => act(async () => setShown(await adminApi.rotateEndpointSecret(e.id)), `${label(e)} has a new signing secret.`)} />{' '}
                <ConfirmButton label="Delete" name={`Delete ${label(e)}`} question="Delete it with its delivery log? Waiting events are dropped." confirm={`Delete ${label(e)}`}
                  onConfirm={() => act(async () => { await adminApi.deleteEndpoint(e.id); if (logOf === e.id) setLogOf(null); }, `${label(e)} deleted.`)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {endpoints.value.length === 0 && <p class="muted empty">None yet.</p>}
      {open && <DeliveryLog key={open.id} target={`event-endpoints/${open.id}`} title={`Delivery log of ${label(open)}`} />}
    </section>
  );
}
