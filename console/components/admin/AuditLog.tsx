// The audit log: every login and admin change, newest first, filtered by who, what and when.
import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry } from '../../../protocol/index.ts';
import { adminApi, type AuditFilter } from '../../admin/api.ts';
import { failed, reps } from '../../admin/state.ts';
import { Field } from './Field.tsx';

const KINDS = [['', 'Everything'], ['login', 'Logins'], ['settings', 'Settings'], ['rep', 'Representatives'], ['team', 'Teams'], ['canned', 'Canned messages'], ['integration', 'Integrations']];

/** Before → after of each changed key, else the fields given, in one readable line. */
function detailText(e: AuditEntry): string {
  const d = e.detail as { changes?: { key: string; before: unknown; after: unknown }[] } | null;
  if (d && Array.isArray(d.changes)) return d.changes.map((c) => `${c.key}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`).join('; ');
  const s = JSON.stringify(e.detail);
  return s === '{}' ? '' : s;
}

const day = (v: string) => (v ? new Date(`${v}T00:00:00`).getTime() : undefined);

export function AuditLog() {
  const [filter, setFilter] = useState({ actor: '', kind: '', from: '', to: '' });
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const query = (before?: number): AuditFilter => ({ actor: filter.actor || undefined, kind: filter.kind || undefined, from: day(filter.from), to: filter.to ? day(filter.to)! + 86_400_000 : undefined, before });
  const load = async (before?: number) => {
    try {
      const page = await adminApi.audit(query(before));
      setEntries(before ? [...entries, ...page.entries] : page.entries);
      setNext(page.next);
    } catch (x) { failed(x); }
  };
  useEffect(() => { void load(); }, [filter]);
  const set = (k: keyof typeof filter) => (e: Event) => setFilter({ ...filter, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <section class="admin-section" aria-labelledby="audit-h">
      <h2 id="audit-h">Audit log</h2>
      <form class="card field-row" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
        <Field id="audit-actor" label="Who">{(a) => <select {...a} value={filter.actor} onChange={set('actor')}><option value="">Anyone</option>{reps.value.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}</select>}</Field>
        <Field id="audit-kind" label="What">{(a) => <select {...a} value={filter.kind} onChange={set('kind')}>{KINDS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}</select>}</Field>
        <Field id="audit-from" label="From">{(a) => <input {...a} type="date" value={filter.from} onChange={set('from')} />}</Field>
        <Field id="audit-to" label="To">{(a) => <input {...a} type="date" value={filter.to} onChange={set('to')} />}</Field>
      </form>
      <table class="grid audit">
        <thead><tr><th>When</th><th>Who</th><th>From</th><th>What</th><th>Target</th><th>Change</th></tr></thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-kind={e.kind}>
              <td class="num">{new Date(e.at).toLocaleString()}</td><td>{e.actor.name}</td><td class="mono">{e.address}</td>
              <td>{e.kind}</td><td class="mono">{e.target ?? ''}</td><td class="change">{detailText(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && <p class="muted empty">Nothing recorded for this filter.</p>}
      {next !== null && <button onClick={() => void load(next)}>Show older entries</button>}
    </section>
  );
}
