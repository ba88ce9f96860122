// Past sessions: search, list, and one record: details, reps with their times, survey answers,
// system information, the transcript as a text download and the chat log (system lines can be hidden).
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { SessionRecord } from '../../protocol/index.ts';
import { localZone } from '../../protocol/i18n/intl.ts';
import { api, type HistoryDetail } from '../api.ts';
import { clock, dateTime, duration, size } from '../format.ts';
import { language, t } from '../i18n.ts';
import { me, toast } from '../store.ts';
import { ChatLog } from './ChatLog.tsx';
import { DiagnosticsPanel } from './Diagnostics.tsx';
import { Replay } from './Replay.tsx';
import { SysInfoList } from './SysInfo.tsx';

/** Accepts a bare list or one wrapped in an object, whatever the server names it. */
function asList<T>(body: unknown, ...keys: string[]): T[] {
  if (Array.isArray(body)) return body as T[];
  for (const k of keys) { const v = (body as Record<string, unknown> | null)?.[k]; if (Array.isArray(v)) return v as T[]; }
  return [];
}

/** Who took part and when: joined – left (or "—" while still in a live session). */
function Reps({ reps }: { reps: HistoryDetail['reps'] }) {
  if (reps.length === 0) return <p class="muted">{t('history.noReps')}</p>;
  return (
    <ul class="plain reps">
      {reps.map((r) => <li key={r.id}><b><bdi>{r.name}</bdi></b> <span class="muted">{dateTime(r.joinedAt)} – {r.leftAt === null ? t('history.stillIn') : clock(r.leftAt)}</span></li>)}
    </ul>
  );
}

function Surveys({ surveys }: { surveys: HistoryDetail['surveys'] }) {
  if (surveys.length === 0) return <p class="muted">{t('history.noSurvey')}</p>;
  return (
    <>
      {surveys.map((v, i) => (
        <div key={i} class="survey-answers" data-role={v.role}>
          <h4>{v.role === 'customer' ? t('common.customer') : v.repName ? t('history.repNamed', { name: v.repName }) : t('history.rep')} <span class="muted small">{dateTime(v.at)}</span></h4>
          <dl>{v.items.map((q) => <Fragment key={q.id}><dt>{q.question}</dt><dd dir="auto">{String(q.answer)}</dd></Fragment>)}</dl>
        </div>
      ))}
    </>
  );
}

/** The text transcript in the console's language, its times in the rep's zone. */
function transcriptHref(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}lang=${language.value}&tz=${encodeURIComponent(localZone())}`;
}

function Details({ id, onClose }: { id: string; onClose: () => void }) {
  const [rec, setRec] = useState<HistoryDetail | null>(null);
  const [hideSystem, setHideSystem] = useState(false);
  const [replaying, setReplaying] = useState(false);
  useEffect(() => {
    api.historyOne(id).then(setRec, (e) => toast((e as Error).message, 'error'));
  }, [id]);
  if (!rec) return <section class="card history-detail"><p class="muted">{t('common.loading')}</p></section>;
  const r = rec.session;
  const events = rec.events;
  const files = events.filter((e) => e.body.kind === 'file' && e.body.status === 'done');
  return (
    <section class="card history-detail" data-session={id} aria-label={t('history.sessionWith', { name: r.customerName })}>
      <div class="row">
        <h3><bdi>{r.customerName}</bdi>{r.company && <span class="muted"> · <bdi>{r.company}</bdi></span>}</h3>
        <span class="grow" />
        {rec.recording && <button class="primary" onClick={() => setReplaying(true)} disabled={replaying}>{t('history.replay')}</button>}
        {rec.recording && <a class="button" href={rec.recording.url} download={`recording-${r.id}.brec`}>{t('history.downloadRecording')}</a>}
        <a class="button" href={transcriptHref(rec.transcriptUrl)} download={`transcript-${r.id}.txt`}>{t('history.downloadTranscript')}</a>
        <button onClick={onClose}>{t('common.close')}</button>
      </div>
      {replaying && rec.recording && <Replay sessionId={r.id} url={rec.recording.url} onClose={() => setReplaying(false)} />}
      <div class="record-grid">
        <div>
          <h4>{t('history.session')}</h4>
          <dl>
            <dt>{t('history.session')}</dt><dd class="mono">{r.id}</dd>
            <dt>{t('history.start')}</dt><dd>{dateTime(r.startedAt)}</dd>
            <dt>{t('history.end')}</dt><dd>{dateTime(r.endedAt)}</dd>
            <dt>{t('history.duration')}</dt><dd>{r.durationSec === null ? '—' : duration(r.durationSec)}</dd>
            <dt>{t('history.primaryRep')}</dt><dd><bdi>{r.primaryRep ?? '—'}</bdi></dd>
            {r.team && <><dt>{t('history.team')}</dt><dd><bdi>{r.team}</bdi></dd></>}
            <dt>{t('details.externalKey')}</dt><dd>{r.externalKey ?? '—'}</dd>
            <dt>{t('files.title')}</dt><dd class="file-count">{r.fileCount}{files.length > 0 && `: ${files.map((f) => (f.body.kind === 'file' ? f.body.name : '')).join(', ')}`}</dd>
            <dt>{t('history.state')}</dt><dd>{t('common.state', { state: r.state })}</dd>
            <dt>{t('history.reboot')}</dt><dd class="reboot-outcome">{t('history.rebootOutcome', { outcome: r.reboot })}</dd>
            <dt>{t('details.recording')}</dt><dd class="recording-size">{rec.recording ? size(rec.recording.bytes) : t('history.none')}</dd>
          </dl>
        </div>
        <div class="record-reps"><h4>{t('transfer.reps')}</h4><Reps reps={rec.reps} /></div>
        <div class="record-surveys"><h4>{t('history.surveys')}</h4><Surveys surveys={rec.surveys} /></div>
        <div class="record-sysinfo">
          <h4>{t('details.sysinfo')}</h4>
          {rec.sysinfo ? <SysInfoList sys={rec.sysinfo.info} /> : <p class="muted">{t('history.noAgent')}</p>}
        </div>
      </div>
      {rec.diagnostics && <DiagnosticsPanel report={rec.diagnostics.report} sessionId={r.id} />}
      <label class="check"><input type="checkbox" checked={hideSystem} onChange={(e) => setHideSystem((e.target as HTMLInputElement).checked)} /> {t('history.hideSystem')}</label>
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
          <input type="search" aria-label={t('history.search')} placeholder={t('history.searchPlaceholder')} value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
          <button class="primary" type="submit">{t('history.searchButton')}</button>
        </form>
        {rows === null ? <p class="muted">{t('common.loading')}</p> : rows.length === 0 ? <p class="muted empty">{t('history.noneFound')}</p> : (
          <table class="grid history-list">
            <thead><tr><th>{t('history.start')}</th><th>{t('history.end')}</th><th>{t('common.customer')}</th><th>{t('history.primaryRep')}</th><th>{t('history.sessionId')}</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-session={r.id} class={open === r.id ? 'sel' : ''} onClick={() => setOpen(r.id)}>
                  <td>{dateTime(r.startedAt)}</td><td>{dateTime(r.endedAt)}</td><td><bdi>{r.customerName}</bdi>{r.company && <span class="muted"> · <bdi>{r.company}</bdi></span>}</td><td><bdi>{r.primaryRep ?? '—'}</bdi></td><td class="mono">{r.id}</td>
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
