// The diagnostics question (docs/ARCHITECTURE.md, "Remote diagnostics"): who asks and every
// section that would be sent, one line each, with Allow and Refuse. The answer goes to the agent
// over loopback; the agent collects nothing before Allow.
import { signal } from '@preact/signals';
import { useTakeFocus } from '../../../web-chat/lib/focus.ts';
import { DIAGNOSTICS_PATH, type DiagnosticsAnswer, type DiagnosticsAskView } from '../local-api.ts';
import { t } from '../../../web-chat/lib/i18n.ts';
import { postToAgent } from './post.ts';

/** The open question, as the agent holds it. */
export const diagnosticsAsk = signal<DiagnosticsAskView>(null);

/** Reads the agent's open question (on start and whenever a request is relayed). */
export async function loadDiagnosticsAsk(): Promise<void> {
  try {
    diagnosticsAsk.value = (await (await fetch(DIAGNOSTICS_PATH)).json()) as DiagnosticsAskView;
  } catch { /* the agent is gone; nothing to ask */ }
}

async function answer(requestId: string, allow: boolean): Promise<void> {
  const body: DiagnosticsAnswer = { requestId, allow };
  diagnosticsAsk.value = null;
  await postToAgent(DIAGNOSTICS_PATH, body).catch(() => {});
}

export function DiagnosticsPrompt({ ask }: { ask: NonNullable<DiagnosticsAskView> }) {
  const ref = useTakeFocus<HTMLElement>();
  return (
    <section class="card consent diagnostics-ask" ref={ref} tabIndex={-1} role="alertdialog" aria-labelledby="diag-h" aria-describedby="diag-what">
      <h2 id="diag-h">{t('diag.asks', { rep: ask.repName })}</h2>
      <p id="diag-what">{t('diag.what')}</p>
      <ul class="diag-sections">
        {ask.sections.map((s) => <li key={s.id}>{s.title}</li>)}
      </ul>
      <div class="row">
        <button type="button" class="primary" onClick={() => void answer(ask.requestId, true)}>{t('common.allow')}</button>
        <button type="button" class="danger" onClick={() => void answer(ask.requestId, false)}>{t('common.refuse')}</button>
      </div>
    </section>
  );
}
