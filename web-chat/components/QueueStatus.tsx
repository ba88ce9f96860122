// The greeting while waiting: queue position and estimated wait, updated by queue.status.
import type { ChatStore } from '../state/store.ts';
import { t } from '../lib/i18n.ts';

export function waitText(sec: number | null): string {
  if (sec === null) return t('queue.noEstimate');
  if (sec < 60) return t('queue.underMinute');
  return t('queue.wait', { n: Math.round(sec / 60) });
}

export function QueueStatus({ store }: { store: ChatStore }) {
  const q = store.queue.value;
  if (!store.waiting.value || store.ended.value) return null;
  const company = store.settings.value.companyName;
  return (
    <section class="card queue" aria-live="polite" aria-labelledby="queue-h">
      <h2 id="queue-h">{t('queue.welcome', { company })}</h2>
      <p>{t('queue.shortly')}</p>
      {q && (
        <p>
          <span class="position">{q.position <= 1 ? t('queue.next') : t('queue.position', { n: q.position })}</span>{' '}
          <span class="wait">{waitText(q.estimatedWaitSec)}</span>
        </p>
      )}
    </section>
  );
}
