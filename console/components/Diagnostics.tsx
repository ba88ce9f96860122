// A diagnostics report (live session and History): a search box over every section's lines,
// each section collapsible with its status and time, and downloads as JSON and text.
import { useState } from 'preact/hooks';
import { diagnosticsStatusText, type DiagnosticsReport } from '../../protocol/index.ts';
import { filterSections } from '../diagnostics.ts';
import { dateTime } from '../format.ts';
import { t } from '../i18n.ts';

/** `onClose`: in a live session the panel covers the screen view and closes back to it. */
export function DiagnosticsPanel({ report, sessionId, onClose }: { report: DiagnosticsReport; sessionId: string; onClose?: () => void }) {
  const [q, setQ] = useState('');
  const shown = filterSections(report, q);
  const lines = shown.reduce((n, s) => n + s.lines.length, 0);
  const base = `/api/history/${encodeURIComponent(sessionId)}/diagnostics`;
  return (
    <section class="card diagnostics" aria-labelledby={`diag-${sessionId}`}>
      <div class="row wrap">
        <h3 id={`diag-${sessionId}`}>{t('diag.title')}</h3>
        <span class="muted">{dateTime(report.collectedAt)} · {report.platform}</span>
        <span class="grow" />
        <a class="button" href={`${base}.txt`} download={`diagnostics-${sessionId}.txt`}>{t('diag.downloadText')}</a>
        <a class="button" href={base} download={`diagnostics-${sessionId}.json`}>{t('diag.downloadJson')}</a>
        {onClose && <button onClick={onClose}>{t('diag.back')}</button>}
      </div>
      <input type="search" class="diag-search" aria-label={t('diag.search')} placeholder={t('diag.searchPlaceholder')} value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
      <p class="muted diag-count" role="status">{q.trim() ? t('diag.matches', { lines, sections: shown.length }) : t('diag.sections', { count: report.sections.length })}</p>
      {shown.map(({ section: s, lines: l }) => (
        // Open while searching, so the matches show; otherwise the rep opens what they need.
        <details key={s.id} class={`diag-section ${s.status}`} data-section={s.id} open={q.trim() !== '' || undefined}>
          <summary>{s.title} <span class={`badge ${s.status}`}>{diagnosticsStatusText(s.status)}</span> <span class="muted">{s.ms} ms</span></summary>
          <pre>{l.join('\n')}</pre>
        </details>
      ))}
    </section>
  );
}
