// One target's delivery log (an endpoint or a connector; docs/ARCHITECTURE.md "Outbox"): newest
// first, each event's state, attempts and last answer, with Redeliver. Reloaded on demand.
import { useEffect, useState } from 'preact/hooks';
import type { EventDelivery } from '../../../protocol/index.ts';
import { dateTime } from '../../format.ts';
import { toast } from '../../store.ts';
import { adminApi } from '../../admin/api.ts';
import { failed } from '../../admin/state.ts';

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
      toast(`${d.type} will be sent again.`);
      await load();
    } catch (x) { failed(x); }
  };
  const id = `log-${target.replace(/\W/g, '-')}`;
  return (
    <div class="card delivery-log" role="region" aria-labelledby={id}>
      <div class="row"><h3 id={id} class="grow">{title}</h3><button type="button" class="small" onClick={() => void load()}>Refresh</button></div>
      {rows === null ? <p class="muted" role="status">Loading…</p> : rows.length === 0 ? <p class="muted empty">No events yet: events made after the endpoint was added go to it.</p> : (
        <table class="grid">
          <thead><tr><th>Event</th><th>Session</th><th>State</th><th>Attempts</th><th>Last answer</th><th>Last attempt</th><th><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.eventId} data-delivery={d.type} data-state={d.state}>
                <td>{d.type}</td><td class="mono small">{d.sessionId.slice(0, 8)}… #{d.sequence}</td>
                <td>{d.state}</td><td class="num">{d.attempts}</td>
                <td>{d.lastStatus ?? ''}{d.lastError ? ` ${d.lastError}` : ''}{d.lastStatus === null && !d.lastError ? '—' : ''}</td>
                <td>{dateTime(d.lastAttemptAt)}</td>
                <td class="actions"><button type="button" class="small" aria-label={`Redeliver ${d.type} ${d.eventId}`} onClick={() => void redeliver(d)}>Redeliver</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
