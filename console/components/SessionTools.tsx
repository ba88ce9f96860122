// What the rep sends besides chat: a file, a URL to open, a nudge, a notice; and the request for
// diagnostics, with where it stands; and Show my screen.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { nudge, notice, pushUrl, requestDiagnostics, requestReboot, sendFile } from '../actions.ts';
import { diagStateText, diagnosticsState } from '../diagnostics.ts';
import { t } from '../i18n.ts';
import { rebootStep } from '../reboot.ts';
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
        <button disabled={ended} onClick={() => fileInput.current?.click()}>{t('tools.sendFile')}</button>
        <input ref={fileInput} type="file" hidden multiple onChange={(e) => { const el = e.target as HTMLInputElement; for (const f of el.files ?? []) sendFile(s.id, f); el.value = ''; }} />
        <button disabled={ended} onClick={() => setMode(mode === 'url' ? null : 'url')}>{t('tools.pushUrl')}</button>
        <button disabled={ended} onClick={() => nudge(s.id)}>{t('tools.nudge')}</button>
        <button disabled={ended} onClick={() => setMode(mode === 'notice' ? null : 'notice')}>{t('tools.notice')}</button>
        <ShowScreenButton s={s} ended={ended} />
        <button class="diag-request" disabled={ended || diagBusy || !s.info.value?.agentOnline} title={s.info.value?.agentOnline ? t('tools.diagTitle') : t('tools.diagNeedsAgent')} onClick={() => requestDiagnostics(s.id)}>{diag === 'collected' || diag === 'refused' ? t('tools.diagAgain') : t('tools.diag')}</button>
        <button class="reboot-request" disabled={ended || reboot === 'restarting' || !s.info.value?.agentOnline} title={t('tools.rebootTitle')} onClick={() => requestReboot(s.id)}>{t('tools.reboot')}</button>
      </div>
      {reboot && <p class="row reboot-state muted"><span role="status" data-state={reboot}>{t('tools.rebootStep', { step: reboot })}</span></p>}
      <ShowScreenStatus s={s} />
      {diag && (
        <p class="row diag-state muted">
          <span role="status" data-state={diag}>{diagStateText(diag)}</span>
          {onDiagnostics && <button class="link diag-show" aria-expanded={diagOpen} onClick={onDiagnostics}>{diagOpen ? t('tools.diagHide') : t('tools.diagShow')}</button>}
        </p>
      )}
      {mode && (
        <form class="row tool-form" onSubmit={go}>
          {mode === 'notice' && <PreparedNotices onPick={setValue} />}
          <input autoFocus aria-label={mode === 'url' ? t('tools.urlLabel') : t('tools.noticeLabel')} placeholder={mode === 'url' ? 'https://…' : t('tools.noticePlaceholder')} value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
          <button class="primary" type="submit">{mode === 'url' ? t('tools.push') : t('chat.send')}</button>
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
    <select aria-label={t('tools.preparedNotice')} value="" onChange={(e) => onPick(e.currentTarget.value)}>
      <option value="">{t('tools.preparedNotices')}</option>
      {list.map((n, i) => <option key={i} value={n}>{n.length > 60 ? `${n.slice(0, 59)}…` : n}</option>)}
    </select>
  );
}
