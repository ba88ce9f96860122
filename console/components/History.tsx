// Past sessions: search, list, and one record: details, reps with their times, survey answers,
// system information, the transcript as a text download and the chat log (system lines can be hidden).
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { formatBytes, type SessionRecord } from '../../protocol/index.ts';
import { api, type HistoryDetail } from '../api.ts';
import { clock, dateTime, duration } from '../format.ts';
import { me, toast } from '../store.ts';
import { ChatLog } from './ChatLog.tsx';
import { DiagnosticsPanel } from './Diagnostics.tsx';
import { Replay } from './Replay.tsx';
import { SysInfoList } from './SysInfo.tsx';
import { REBOOT_OUTCOME_TEXT } from '../reboot.ts';

/** Accepts a bare list or one wrapped in an object, whatever the server names it. */
function asList<T>(body: unknown, ...keys: string[]): T[] {
  if (Array.isArray(body)) return body as T[];
  for (const k of keys) { const v = (body as Record<string, unknown> | null)?.[k]; if (Array.isArray(v)) return v as T[]; }
  return [];
}

/** Who took part and when: joined – left (or "—" while still in a live session). */
function Reps({ reps }: { reps: HistoryDetail['reps'] }) {
  if (reps.length === 0) return <p class="muted">No representative took part.</p>;
  return (
    <ul class="plain reps">
      {reps.map((r) => <li key={r.id}><b>{r.name}</b> <span class="muted">{dateTime(r.joinedAt)} – {r.leftAt === null ? 'still in the session' : clock(r.leftAt)}</span></li>)}
    </ul>
  );
}

function Surveys({ surveys }: { surveys: HistoryDetail['surveys'] }) {
  if (surveys.length === 0) return <p class="muted">No survey answered.</p>;
  return (
    <>
      {surveys.map((v, i) => (
        <div key={i} class="survey-answers" data-role={v.role}>
          <h4>{v.role === 'customer' ? 'Customer' : `Representative${v.repName ? `: ${v.repName}` : ''}`} <span class="muted small">{dateTime(v.at)}</span></h4>
          <dl>{v.items.map((q) => <Fragment key={q.id}><dt>{q.question}</dt><dd>{String(q.answer)}</dd></Fragment>)}</dl>
        </div>
      ))}
    </>
  );
}

function Details({ id, onClose }: { id: string; onClose: () => void }) {
  const [rec, setRec] = useState<HistoryDetail | null>(null);
  const [hideSystem, setHideSystem] = useState(false);
  const [replaying, setReplaying] = useState(false);
  useEffect(() => {
    api.historyOne(id).then(setRec, (e) => toast((e as Error).message, 'error'));
  }, [id]);
  if (!rec) return <section class="card history-detail"><p class="muted">Loading…</p></section>;
  const r = rec.session;
  const events = rec.events;
  const files = events.filter((e) => e.body.kind === 'file' && e.body.status === 'done');
  return (
    <section class="card history-detail" data-session={id} aria-label={`Session with ${r.customerName}`}>
      <div class="row">
        <h3>{r.customerName}{r.company && <span class="muted"> · {r.company}</span>}</h3>
        <span class="grow" />
        {rec.recording && <button class="primary" onClick={() => setReplaying(true)} disabled={replaying}>Replay</button>}
        {rec.recording && <a class="button" href={rec.recording.url} download={`recording-${r.id}.brec`}>Download recording</a>}
        <a class="button" href={rec.transcriptUrl} download={`transcript-${r.id}.txt`}>Download transcript (text)</a>
        <button onClick={onClose}>Close</button>
      </div>
      {replaying && rec.recording && <Replay sessionId={r.id} url={rec.recording.url} onClose={() => setReplaying(false)} />}
      <div class="record-grid">
        <div>
          <h4>Session</h4>
          <dl>
            <dt>Session</dt><dd class="mono">{r.id}</dd>
            <dt>Start</dt><dd>{dateTime(r.startedAt)}</dd>
            <dt>End</dt><dd>{dateTime(r.endedAt)}</dd>
            <dt>Duration</dt><dd>{r.durationSec === null ? '—' : duration(r.durationSec)}</dd>
            <dt>Primary rep</dt><dd>{r.primaryRep ?? '—'}</dd>
            {r.team && <><dt>Team</dt><dd>{r.team}</dd></>}
            <dt>External key</dt><dd>{r.externalKey ?? '—'}</dd>
            <dt>Files</dt><dd class="file-count">{r.fileCount}{files.length > 0 && `: ${files.map((f) => (f.body.kind === 'file' ? f.body.name : '')).join(', ')}`}</dd>
            <dt>State</dt><dd>{r.state}</dd>
            <dt>Reboot/Reconnect</dt><dd class="reboot-outcome">{REBOOT_OUTCOME_TEXT[r.reboot] ?? r.reboot}</dd>
            <dt>Recording</dt><dd class="recording-size">{rec.recording ? formatBytes(rec.recording.bytes) : 'none'}</dd>
          </dl>
        </div>
        <div class="record-reps"><h4>Representatives</h4><Reps reps={rec.reps} /></div>
        <div class="record-surveys"><h4>Surveys</h4><Surveys surveys={rec.surveys} /></div>
        <div class="record-sysinfo">
          <h4>System information</h4>
          {rec.sysinfo ? <SysInfoList sys={rec.sysinfo.info} /> : <p class="muted">The agent did not run in this session.</p>}
        </div>
      </div>
      {rec.diagnostics && <DiagnosticsPanel report={rec.diagnostics.report} sessionId={r.id} />}
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
