// What the rep sends besides chat: a file, a URL to open, a nudge, a notice; and the request for
// diagnostics, with where it stands; and Show my screen.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { nudge, notice, pushUrl, requestDiagnostics, requestReboot, sendFile } from '../actions.ts';
import { DIAG_STATE_TEXT, diagnosticsState } from '../diagnostics.ts';
import { REBOOT_STEP_TEXT, rebootStep } from '../reboot.ts';
import type { SessionStore } from '../store.ts';
import { ShowScreenButton, ShowScreenStatus } from './ShowScreen.tsx';

/** `onDiagnostics`: shows or hides the report (null while there is none). */
export function Tools({ s, ended, diagOpen, onDiagnostics }: { s: SessionStore; ended: boolean; diagOpen: boolean; onDiagnostics: (() => void) | null }) {
  const [mode, setMode] = useState<'url' | 'notice' | null>(null);
  const [value, setValue] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const diag = diagnosticsState(s.events.value);
  // One request at a time: the customer answers it (or the agent reports) first.
  const diagBusy = diag === 'asked' || diag === 'allowed';
  const reboot = rebootStep(s.info.value, s.events.value);
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
        <ShowScreenButton s={s} ended={ended} />
        <button class="diag-request" disabled={ended || diagBusy || !s.info.value?.agentOnline} title={s.info.value?.agentOnline ? 'The customer is asked to allow it in the support program' : 'Needs the customer\'s support program running'} onClick={() => requestDiagnostics(s.id)}>{diag === 'collected' || diag === 'refused' ? 'Request diagnostics again' : 'Request diagnostics'}</button>
        <button class="reboot-request" disabled={ended || reboot === 'restarting' || !s.info.value?.agentOnline} title="The customer confirms in the support program, which comes back after the restart" onClick={() => requestReboot(s.id)}>Restart computer</button>
      </div>
      {reboot && <p class="row reboot-state muted"><span role="status" data-state={reboot}>{REBOOT_STEP_TEXT[reboot]}</span></p>}
      <ShowScreenStatus s={s} />
      {diag && (
        <p class="row diag-state muted">
          <span role="status" data-state={diag}>{DIAG_STATE_TEXT[diag]}</span>
          {onDiagnostics && <button class="link diag-show" aria-expanded={diagOpen} onClick={onDiagnostics}>{diagOpen ? 'Hide diagnostics' : 'Show diagnostics'}</button>}
        </p>
      )}
      {mode && (
        <form class="row tool-form" onSubmit={go}>
          {mode === 'notice' && <PreparedNotices onPick={setValue} />}
          <input autoFocus aria-label={mode === 'url' ? 'URL to open' : 'Notice text'} placeholder={mode === 'url' ? 'https://…' : 'Notice shown to the customer'} value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
          <button class="primary" type="submit">{mode === 'url' ? 'Push' : 'Send'}</button>
        </form>
      )}
    </section>
  );
}

/** The site's prepared notices (Admin → Settings): picking one fills the notice text, to send or edit. */
function PreparedNotices({ onPick }: { onPick: (text: string) => void }) {
  const [list, setList] = useState<string[]>([]);
  useEffect(() => { api.repNotices().then((r) => setList(r.notices), () => setList([])); }, []);
  if (!list.length) return null;
  return (
    <select aria-label="Prepared notice" value="" onChange={(e) => onPick(e.currentTarget.value)}>
      <option value="">Prepared notices…</option>
      {list.map((n, i) => <option key={i} value={n}>{n.length > 60 ? `${n.slice(0, 59)}…` : n}</option>)}
    </select>
  );
}
