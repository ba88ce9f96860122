// Personal, team and general queues: who waits, for how long, with what; accept with a click.
import type { QueueView, SessionInfo } from '../../protocol/index.ts';
import { accept } from '../actions.ts';
import { duration } from '../format.ts';
import { mine, now, queues, view } from '../store.ts';

const ORDER = { personal: 0, team: 1, general: 2 } as const;

function Row({ s }: { s: SessionInfo }) {
  const since = s.queuedAt ?? s.createdAt;
  return (
    <tr data-session={s.id} onDblClick={() => accept(s.id)} role="row">
      <td class="num" role="cell" data-label="Waiting">{duration((now.value - since) / 1000)}</td>
      <td role="cell" data-label="Name">{s.customer.name || '—'}{s.state === 'held' && <span class="badge held">on hold</span>}</td>
      <td role="cell" data-label="Company">{s.customer.company || '—'}</td>
      <td role="cell" data-label="Issue">{s.customer.issue || '—'}</td>
      <td role="cell" data-label="Platform">{s.customer.platform || '—'}</td>
      <td class="actions" role="cell"><button class="primary accept" onClick={() => accept(s.id)}>Accept</button></td>
    </tr>
  );
}

function Queue({ q }: { q: QueueView }) {
  return (
    <section class="queue card" data-queue={q.ref.kind}>
      <h2>{q.name} <span class="count">{q.sessions.length}</span></h2>
      {q.sessions.length === 0 ? <p class="muted empty">Nobody waiting.</p> : (
        // Explicit roles: on a phone the rows are stacked as cards (CSS), which drops the table's own.
        <table class="grid stacking" role="table">
          <thead><tr role="row"><th role="columnheader">Time in queue</th><th role="columnheader">Name</th><th role="columnheader">Company</th><th role="columnheader">Issue</th><th role="columnheader">Platform</th><th role="columnheader"><span class="sr-only">Action</span></th></tr></thead>
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
          <h2>My sessions <span class="count">{active.length}</span></h2>
          <ul class="plain">
            {active.map((s) => (
              <li key={s.id}><a href="#" onClick={(e) => { e.preventDefault(); view.value = s.id; }}>{s.customer.name || 'Customer'}</a> <span class="muted">{s.customer.issue} · {s.state}</span></li>
            ))}
          </ul>
        </section>
      )}
      {list.length === 0 && <p class="muted">Waiting for the server…</p>}
      {list.map((q) => <Queue key={`${q.ref.kind}:${q.ref.id ?? ''}`} q={q} />)}
    </div>
  );
}
