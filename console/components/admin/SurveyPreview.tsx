// The customer's exit survey as the chat shows it (web-chat/components/Survey.tsx: the same
// questions, order, answer kinds and "required" marks), inert: nothing is sent from here.
import type { SurveyQuestion } from '../../../protocol/index.ts';
import { t } from '../../i18n.ts';

function PreviewQuestion({ q }: { q: SurveyQuestion }) {
  const required = q.required ? <span class="hint"> {t('preview.required')}</span> : null;
  if (q.type === 'text') return <label class="q">{q.text || t('preview.noText')}{required}<textarea rows={3} disabled /></label>;
  const options: (string | number)[] = q.type === 'rating' ? [1, 2, 3, 4, 5] : q.choices ?? [];
  return (
    <fieldset class={`q ${q.type}`} disabled>
      <legend>{q.text || t('preview.noText')}{q.type === 'rating' && <span class="hint"> {t('preview.scale')}</span>}{required}</legend>
      {options.map((o) => <label key={String(o)}><input type="radio" name={`preview-${q.id}`} /> {o}</label>)}
    </fieldset>
  );
}

export function SurveyPreview({ questions }: { questions: SurveyQuestion[] }) {
  return (
    <aside class="survey-preview" aria-labelledby="survey-preview-h">
      <h4 id="survey-preview-h">{t('preview.title')}</h4>
      {questions.length === 0
        ? <p class="muted">{t('preview.none')}</p>
        : (
          <div class="preview-card" data-preview="customer-survey">
            <h2>{t('preview.heading')}</h2>
            {questions.map((q) => <PreviewQuestion key={q.id} q={q} />)}
            <button type="button" class="primary" disabled>{t('preview.send')}</button>
          </div>
        )}
    </aside>
  );
}
