// The audit log: every login and admin change, newest first, filtered by who, what and when.
import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry } from '../../../protocol/index.ts';
import { adminApi, type AuditFilter } from '../../admin/api.ts';
import { failed, reps } from '../../admin/state.ts';
import { Field } from './Field.tsx';
import { t } from '../../i18n.ts';
import { dateTime } from '../../format.ts';

const KINDS = ['', 'login', 'settings', 'rep', 'team', 'canned', 'integration'];

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
      <h2 id="audit-h">{t('admin.screen', { screen: 'audit' })}</h2>
      <form class="card field-row" aria-label={t('audit.filter')} onSubmit={(e) => e.preventDefault()}>
        <Field id="audit-actor" label={t('audit.who')}>{(a) => <select {...a} value={filter.actor} onChange={set('actor')}><option value="">{t('audit.anyone')}</option>{reps.value.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}</select>}</Field>
        <Field id="audit-kind" label={t('audit.what')}>{(a) => <select {...a} value={filter.kind} onChange={set('kind')}>{KINDS.map((v) => <option key={v} value={v}>{t('audit.kind', { kind: v || 'all' })}</option>)}</select>}</Field>
        <Field id="audit-from" label={t('audit.from')}>{(a) => <input {...a} type="date" value={filter.from} onChange={set('from')} />}</Field>
        <Field id="audit-to" label={t('audit.to')}>{(a) => <input {...a} type="date" value={filter.to} onChange={set('to')} />}</Field>
      </form>
      <table class="grid audit">
        <thead><tr><th>{t('audit.when')}</th><th>{t('audit.who')}</th><th>{t('audit.address')}</th><th>{t('audit.what')}</th><th>{t('audit.target')}</th><th>{t('audit.change')}</th></tr></thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-kind={e.kind}>
              <td class="num">{dateTime(e.at)}</td><td><bdi>{e.actor.name}</bdi></td><td class="mono">{e.address}</td>
              <td>{e.kind}</td><td class="mono">{e.target ?? ''}</td><td class="change">{detailText(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && <p class="muted empty">{t('audit.none')}</p>}
      {next !== null && <button onClick={() => void load(next)}>{t('audit.older')}</button>}
    </section>
  );
}
