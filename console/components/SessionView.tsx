// One session: screen on the left; customer, chat and tools on the right; session actions on top.
import { useEffect, useState } from 'preact/hooks';
import { end, hold } from '../actions.ts';
import type { SessionStore } from '../store.ts';
import { Chat } from './Chat.tsx';
import { Files } from './Files.tsx';
import { SurveyDialog } from './RepSurvey.tsx';
import { Details } from './SessionDetails.tsx';
import { DiagnosticsPanel } from './Diagnostics.tsx';
import { Tools } from './SessionTools.tsx';
import { TransferButton } from './TransferDialog.tsx';
import { Viewer } from './Viewer.tsx';
import { t } from '../i18n.ts';

export function SessionView({ s }: { s: SessionStore }) {
  const info = s.info.value;
  const ended = info?.state === 'ended';
  const [confirmEnd, setConfirmEnd] = useState(false);
  // The diagnostics take the screen's place while open (the viewer stays mounted, hidden).
  const [diagOpen, setDiagOpen] = useState(false);
  const report = s.diagnostics.value;
  useEffect(() => { s.unread.value = 0; }, [s.events.value.length]);
  return (
    <div class="session" data-session={s.id}>
      <div class="session-bar">
        <h2><bdi>{info?.customer.name || t('common.customer')}</bdi> <span class={`badge state ${info?.state ?? ''}`}>{info ? t('common.state', { state: info.state }) : '…'}</span></h2>
        <span class="grow" />
        {!ended && <TransferButton s={s} />}
        {!ended && <button onClick={() => hold(s.id)} title={t('session.holdTitle')}>{t('session.hold')}</button>}
        {!ended && (confirmEnd
          ? <span class="row confirm"><span>{t('session.endConfirm')}</span><button class="danger" onClick={() => end(s.id)}>{t('session.end')}</button><button onClick={() => setConfirmEnd(false)}>{t('common.cancel')}</button></span>
          : <button class="danger" onClick={() => setConfirmEnd(true)}>{t('session.end')}</button>)}
      </div>
      <div class={`session-body${diagOpen && report ? ' diag-open' : ''}`}>
        <Viewer screen={s.screen} ended={ended} displays={s.sysinfo.value?.displays} />
        {diagOpen && report && <DiagnosticsPanel report={report} sessionId={s.id} onClose={() => setDiagOpen(false)} />}
        <aside class="side">
          <Details s={s} />
          <Chat s={s} ended={ended} />
          <Tools s={s} ended={ended} diagOpen={diagOpen} onDiagnostics={report ? () => setDiagOpen(!diagOpen) : null} />
          <Files s={s} />
        </aside>
      </div>
      {s.surveyDue.value && <SurveyDialog s={s} />}
    </div>
  );
}
