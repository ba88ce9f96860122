// Recording consent: the answer is stored in the transcript (a `recording` message).
import type { ChatStore } from '../state/store.ts';
import { t } from '../lib/i18n.ts';

export function RecordingPrompt({ store }: { store: ChatStore }) {
  return (
    <section class="card recording" role="dialog" aria-modal="false" aria-labelledby="rec-h">
      <h2 id="rec-h">{t('recording.title')}</h2>
      <p>{t('recording.text')}</p>
      <div class="row">
        <button type="button" class="primary" autoFocus onClick={() => store.record(true)}>{t('recording.allow')}</button>
        <button type="button" onClick={() => store.record(false)}>{t('recording.deny')}</button>
      </div>
    </section>
  );
}
