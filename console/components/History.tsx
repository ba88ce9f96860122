// Past sessions: search, list, details with the chat log (system lines can be hidden).
import { useEffect, useState } from 'preact/hooks';
import type { Event, SessionRecord } from '../../protocol/index.ts';
import { api } from '../api.ts';
import { dateTime, duration } from '../format.ts';
import { me, toast } from '../store.ts';
import { ChatLog } from './ChatLog.tsx';

/** Accepts a bare list or one wrapped in an object, whatever the server names it. */
function asList<T>(body: unknown, ...keys: string[]): T[] {
  if (Array.isArray(body)) return body as T[];
  for (const k of keys) { const v = (body as Record<string, unknown> | null)?.[k]; if (Array.isArray(v)) return v as T[]; }
  return [];
}

function Details({ id, onClose }: { id: string; onClose: () => void }) {
  const [rec, setRec] = useState<SessionRecord | null>(null);
  const [events, setEvents] = useState<Event[]>([]);
  const [hideSystem, setHideSystem] = useState(false);
  useEffect(() => {
    api.historyOne(id).then((body) => {
      const b = body as Record<string, unknown>;
      setRec(((b.session ?? b.record ?? b) as SessionRecord));
      setEvents(asList<Event>(body, 'events', 'transcript'));
    }, (e) => toast((e as Error).message, 'error'));
  }, [id]);
  if (!rec) return <section class="card history-detail"><p class="muted">Loading…</p></section>;
  const files = events.filter((e) => e.body.kind === 'file' && e.body.status === 'done');
  return (
    <section class="card history-detail" data-session={id}>
      <div class="row"><h3>{rec.customerName}{rec.company && <span class="muted"> · {rec.company}</span>}</h3><span class="grow" /><button onClick={onClose}>Close</button></div>
      <dl>
        <dt>Session</dt><dd class="mono">{rec.id}</dd>
        <dt>Start</dt><dd>{dateTime(rec.startedAt)}</dd>
        <dt>End</dt><dd>{dateTime(rec.endedAt)}</dd>
        <dt>Duration</dt><dd>{rec.durationSec === null ? '—' : duration(rec.durationSec)}</dd>
        <dt>Primary rep</dt><dd>{rec.primaryRep ?? '—'}</dd>
        {rec.team && <><dt>Team</dt><dd>{rec.team}</dd></>}
        <dt>External key</dt><dd>{rec.externalKey ?? '—'}</dd>
        <dt>Files</dt><dd class="file-count">{rec.fileCount}{files.length > 0 && `: ${files.map((f) => (f.body.kind === 'file' ? f.body.name : '')).join(', ')}`}</dd>
        <dt>State</dt><dd>{rec.state}</dd>
      </dl>
      <label class="check"><input type="checkbox" checked={hideSystem} onChange={(e) => setHideSystem((e.target as HTMLInputElement).checked)} /> Hide system messages</label>
      <div class="chat-scroll history-log"><ChatLog events={events} myId={me.value?.id} hideSystem={hideSystem} /></div>
    </section>
  );
}

export function History() {
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<SessionRecord[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const load = (query: string) => api.history(query).then((b) => setRows(asList<SessionRecord>(b, 'sessions', 'records', 'items')), (e) => toast((e as Error).message, 'error'));
  useEffect(() => { void load(''); }, []);
  return (
    <div class="history">
      <section class="card">
        <form class="row" onSubmit={(e) => { e.preventDefault(); void load(q); }}>
          <input type="search" aria-label="Search sessions" placeholder="Search customer, company, rep, key, session id…" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
          <button class="primary" type="submit">Search</button>
        </form>
        {rows === null ? <p class="muted">Loading…</p> : rows.length === 0 ? <p class="muted empty">No sessions found.</p> : (
          <table class="grid history-list">
            <thead><tr><th>Start</th><th>End</th><th>Customer</th><th>Primary rep</th><th>Session ID</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-session={r.id} class={open === r.id ? 'sel' : ''} onClick={() => setOpen(r.id)}>
                  <td>{dateTime(r.startedAt)}</td><td>{dateTime(r.endedAt)}</td><td>{r.customerName}{r.company && <span class="muted"> · {r.company}</span>}</td><td>{r.primaryRep ?? '—'}</td><td class="mono">{r.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {open && <Details key={open} id={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
