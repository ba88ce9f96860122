// One target's delivery log (an endpoint or a connector; docs/ARCHITECTURE.md "Outbox"): newest
// first, each event's state, attempts and last answer, with Redeliver. Reloaded on demand.
import { useEffect, useState } from 'preact/hooks';
import type { EventDelivery } from '../../../protocol/index.ts';
import { dateTime } from '../../format.ts';
import { toast } from '../../store.ts';
import { adminApi } from '../../admin/api.ts';
import { failed } from '../../admin/state.ts';
import { t } from '../../i18n.ts';

/** `target`: `event-endpoints/<id>` or `connectors/<name>`. */
export function DeliveryLog({ target, title }: { target: string; title: string }) {
  const [rows, setRows] = useState<EventDelivery[] | null>(null);
  const load = async () => {
    try { setRows((await adminApi.deliveries(target)).deliveries); } catch (x) { failed(x); }
  };
  useEffect(() => { void load(); }, [target]);
  const redeliver = async (d: EventDelivery) => {
    try {
      await adminApi.redeliver(target, d.eventId);
      toast(t('deliveries.again', { type: d.type }));
      await load();
    } catch (x) { failed(x); }
  };
  const id = `log-${target.replace(/\W/g, '-')}`;
  return (
    <div class="card delivery-log" role="region" aria-labelledby={id}>
      <div class="row"><h3 id={id} class="grow">{title}</h3><button type="button" class="small" onClick={() => void load()}>{t('deliveries.refresh')}</button></div>
      {rows === null ? <p class="muted" role="status">{t('common.loading')}</p> : rows.length === 0 ? <p class="muted empty">{t('deliveries.none')}</p> : (
        <table class="grid">
          <thead><tr><th>{t('deliveries.event')}</th><th>{t('history.session')}</th><th>{t('history.state')}</th><th>{t('deliveries.attempts')}</th><th>{t('deliveries.lastAnswer')}</th><th>{t('deliveries.lastAttempt')}</th><th><span class="sr-only">{t('common.actions')}</span></th></tr></thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.eventId} data-delivery={d.type} data-state={d.state}>
                <td>{d.type}</td><td class="mono small">{d.sessionId.slice(0, 8)}… #{d.sequence}</td>
                <td>{d.state}</td><td class="num">{d.attempts}</td>
                <td>{d.lastStatus ?? ''}{d.lastError ? ` ${d.lastError}` : ''}{d.lastStatus === null && !d.lastError ? '—' : ''}</td>
                <td>{dateTime(d.lastAttemptAt)}</td>
                <td class="actions"><button type="button" class="small" aria-label={t('deliveries.redeliverName', { type: d.type, id: d.eventId })} onClick={() => void redeliver(d)}>{t('deliveries.redeliver')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
