// Personal, team and general queues: who waits, for how long, with what; accept with a click.
import type { QueueView, SessionInfo } from '../../protocol/index.ts';
import { accept } from '../actions.ts';
import { duration } from '../format.ts';
import { me, mine, now, queues, view } from '../store.ts';
import { t } from '../i18n.ts';

const ORDER = { personal: 0, team: 1, general: 2 } as const;

function Row({ s }: { s: SessionInfo }) {
  const since = s.queuedAt ?? s.createdAt;
  return (
    <tr data-session={s.id} onDblClick={() => accept(s.id)} role="row">
      <td class="num" role="cell" data-label={t('queues.waiting')}>{duration((now.value - since) / 1000)}</td>
      <td role="cell" data-label={t('queues.name')}><bdi>{s.customer.name || '—'}</bdi>{s.state === 'held' && <span class="badge held">{t('queues.onHold')}</span>}</td>
      <td role="cell" data-label={t('queues.company')}><bdi>{s.customer.company || '—'}</bdi></td>
      <td role="cell" data-label={t('queues.issue')}><bdi>{s.customer.issue || '—'}</bdi></td>
      <td role="cell" data-label={t('queues.platform')}>{s.customer.platform || '—'}</td>
      <td class="actions" role="cell"><button class="primary accept" onClick={() => accept(s.id)}>{t('queues.accept')}</button></td>
    </tr>
  );
}

/** The server names queues in English: the general one and the rep's own are worded here (a team's name is its own). */
function queueName(q: QueueView): string {
  if (q.ref.kind === 'general' || (q.ref.kind === 'personal' && q.ref.id === me.value?.id)) return t('queues.queueName', { kind: q.ref.kind });
  return q.name;
}

function Queue({ q }: { q: QueueView }) {
  return (
    <section class="queue card" data-queue={q.ref.kind}>
      <h2>{queueName(q)} <span class="count">{q.sessions.length}</span></h2>
      {q.sessions.length === 0 ? <p class="muted empty">{t('queues.empty')}</p> : (
        // Explicit roles: on a phone the rows are stacked as cards (CSS), which drops the table's own.
        <table class="grid stacking" role="table">
          <thead><tr role="row"><th role="columnheader">{t('queues.timeInQueue')}</th><th role="columnheader">{t('queues.name')}</th><th role="columnheader">{t('queues.company')}</th><th role="columnheader">{t('queues.issue')}</th><th role="columnheader">{t('queues.platform')}</th><th role="columnheader"><span class="sr-only">{t('queues.action')}</span></th></tr></thead>
          <tbody>{q.sessions.map((s) => <Row key={s.id} s={s} />)}</tbody>
        </table>
      )}
    </section>
  );
}

export function Queues() {
  const list = [...queues.value].sort((a, b) => ORDER[a.ref.kind] - ORDER[b.ref.kind]);
  const active = mine.value.filter((s) => s.state !== 'ended');
  return (
    <div class="queues">
      {active.length > 0 && (
        <section class="card mine">
          <h2>{t('queues.mine')} <span class="count">{active.length}</span></h2>
          <ul class="plain">
            {active.map((s) => (
              <li key={s.id}><a href="#" onClick={(e) => { e.preventDefault(); view.value = s.id; }}><bdi>{s.customer.name || t('common.customer')}</bdi></a> <span class="muted"><bdi>{s.customer.issue}</bdi> · {t('common.state', { state: s.state })}</span></li>
            ))}
          </ul>
        </section>
      )}
      {list.length === 0 && <p class="muted">{t('queues.loading')}</p>}
      {list.map((q) => <Queue key={`${q.ref.kind}:${q.ref.id ?? ''}`} q={q} />)}
    </div>
  );
}
