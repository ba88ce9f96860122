// One session: screen on the left; customer, chat and tools on the right; session actions on top.
import { useEffect, useRef, useState } from 'preact/hooks';
import { end, hold, nudge, notice, pushUrl, sendFile, submitSurvey } from '../actions.ts';
import { dateTime } from '../format.ts';
import { me, type SessionStore } from '../store.ts';
import { Chat } from './Chat.tsx';
import { Files } from './Files.tsx';
import { SysInfoList } from './SysInfo.tsx';
import { TransferButton } from './TransferDialog.tsx';
import { Viewer } from './Viewer.tsx';

function Details({ s }: { s: SessionStore }) {
  const info = s.info.value;
  const sys = s.sysinfo.value;
  if (!info) return null;
  const c = info.customer;
  return (
    <section class="card details">
      <h3>{c.name || 'Customer'}{c.company && <span class="muted"> · {c.company}</span>}</h3>
      <dl>
        <dt>Issue</dt><dd>{c.issue || '—'}</dd>
        {c.description && <><dt>Description</dt><dd class="desc">{c.description}</dd></>}
        <dt>Platform</dt><dd>{c.platform || '—'}</dd>
        <dt>Queue</dt><dd>{info.queueName}</dd>
        <dt>Started</dt><dd>{dateTime(info.acceptedAt ?? info.createdAt)}</dd>
        <dt>Customer</dt><dd>{info.customerOnline ? 'chat connected' : 'chat offline'}{info.agentOnline ? ' · agent running' : ''}</dd>
        {info.externalKey && <><dt>External key</dt><dd>{info.externalKey}</dd></>}
      </dl>
      {sys && (
        <details class="sysinfo">
          <summary>System information</summary>
          <SysInfoList sys={sys} />
        </details>
      )}
    </section>
  );
}

function Tools({ s, ended }: { s: SessionStore; ended: boolean }) {
  const [mode, setMode] = useState<'url' | 'notice' | null>(null);
  const [value, setValue] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const go = (e: Event) => {
    e.preventDefault();
    const v = value.trim();
    if (!v) return;
    if (mode === 'url') pushUrl(s.id, /^https?:\/\//i.test(v) ? v : `https://${v}`);
    if (mode === 'notice') notice(s.id, v);
    setMode(null);
    setValue('');
  };
  return (
    <section class="card tools">
      <div class="row wrap">
        <button disabled={ended} onClick={() => fileInput.current?.click()}>Send file</button>
        <input ref={fileInput} type="file" hidden multiple onChange={(e) => { const el = e.target as HTMLInputElement; for (const f of el.files ?? []) sendFile(s.id, f); el.value = ''; }} />
        <button disabled={ended} onClick={() => setMode(mode === 'url' ? null : 'url')}>Push URL</button>
        <button disabled={ended} onClick={() => nudge(s.id)}>Nudge</button>
        <button disabled={ended} onClick={() => setMode(mode === 'notice' ? null : 'notice')}>Notice</button>
      </div>
      {mode && (
        <form class="row tool-form" onSubmit={go}>
          <input autoFocus aria-label={mode === 'url' ? 'URL to open' : 'Notice text'} placeholder={mode === 'url' ? 'https://…' : 'Notice shown to the customer'} value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
          <button class="primary" type="submit">{mode === 'url' ? 'Push' : 'Send'}</button>
        </form>
      )}
    </section>
  );
}

function SurveyDialog({ s }: { s: SessionStore }) {
  const questions = me.value?.survey ?? [];
  const [answers, setAnswers] = useState<Record<string, string | number>>({});
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  // The survey needs the rep's answer: keyboard focus goes to it when it opens.
  useEffect(() => box.current?.focus(), []);
  const set = (id: string, v: string | number) => setAnswers({ ...answers, [id]: v });
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    await submitSurvey(s.id, answers);
    setBusy(false);
  };
  return (
    <div class="modal-back">
      <div ref={box} class="modal card survey" role="dialog" aria-modal="true" aria-labelledby="rep-survey-h" tabIndex={-1}><form onSubmit={submit}>
        <h2 id="rep-survey-h">Session ended — representative survey</h2>
        {questions.map((q) => (
          <fieldset key={q.id} data-question={q.id}>
            <legend>{q.text}</legend>
            {q.type === 'choice' && (q.choices ?? []).map((c) => (
              <label key={c} class="choice"><input type="radio" name={q.id} value={c} checked={answers[q.id] === c} onChange={() => set(q.id, c)} required /> {c}</label>
            ))}
            {q.type === 'rating' && [1, 2, 3, 4, 5].map((n) => (
              <label key={n} class="choice"><input type="radio" name={q.id} checked={answers[q.id] === n} onChange={() => set(q.id, n)} /> {n}</label>
            ))}
            {q.type === 'text' && <textarea name={q.id} rows={3} value={String(answers[q.id] ?? '')} onInput={(e) => set(q.id, (e.target as HTMLTextAreaElement).value)} />}
          </fieldset>
        ))}
        <div class="row end"><button class="primary" type="submit" disabled={busy}>Submit</button></div>
      </form></div>
    </div>
  );
}

export function SessionView({ s }: { s: SessionStore }) {
  const info = s.info.value;
  const ended = info?.state === 'ended';
  const [confirmEnd, setConfirmEnd] = useState(false);
  useEffect(() => { s.unread.value = 0; }, [s.events.value.length]);
  return (
    <div class="session" data-session={s.id}>
      <div class="session-bar">
        <h2>{info?.customer.name || 'Customer'} <span class={`badge state ${info?.state ?? ''}`}>{info?.state ?? '…'}</span></h2>
        <span class="grow" />
        {!ended && <TransferButton s={s} />}
        {!ended && <button onClick={() => hold(s.id)} title="Put back into your queue">Hold</button>}
        {!ended && (confirmEnd
          ? <span class="row confirm"><span>End for everyone?</span><button class="danger" onClick={() => end(s.id)}>End session</button><button onClick={() => setConfirmEnd(false)}>Cancel</button></span>
          : <button class="danger" onClick={() => setConfirmEnd(true)}>End session</button>)}
      </div>
      <div class="session-body">
        <Viewer screen={s.screen} ended={ended} displays={s.sysinfo.value?.displays} />
        <aside class="side">
          <Details s={s} />
          <Chat s={s} ended={ended} />
          <Tools s={s} ended={ended} />
          <Files s={s} />
        </aside>
      </div>
      {s.surveyDue.value && <SurveyDialog s={s} />}
    </div>
  );
}
