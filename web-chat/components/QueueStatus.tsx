// The greeting while waiting: queue position and estimated wait, updated by queue.status.
import type { ChatStore } from '../state/store.ts';

export function waitText(sec: number | null): string {
  if (sec === null) return 'We can’t estimate the wait yet.';
  if (sec < 60) return 'Estimated wait: less than a minute.';
  const m = Math.round(sec / 60);
  return `Estimated wait: about ${m} minute${m === 1 ? '' : 's'}.`;
}

export function QueueStatus({ store }: { store: ChatStore }) {
  const q = store.queue.value;
  if (!store.waiting.value || store.ended.value) return null;
  const company = store.settings.value.companyName;
  return (
    <section class="card queue" aria-live="polite" aria-labelledby="queue-h">
      <h2 id="queue-h">Welcome to {company}</h2>
      <p>A representative will be with you shortly.</p>
      {q && (
        <p>
          <span class="position">{q.position <= 1 ? 'You are next in line.' : `You are number ${q.position} in line.`}</span>{' '}
          <span class="wait">{waitText(q.estimatedWaitSec)}</span>
        </p>
      )}
    </section>
  );
}
