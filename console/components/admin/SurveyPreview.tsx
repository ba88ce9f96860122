// The customer's exit survey as the chat shows it (web-chat/components/Survey.tsx: the same
// questions, order, answer kinds and "required" marks), inert: nothing is sent from here.
import type { SurveyQuestion } from '../../../protocol/index.ts';

function PreviewQuestion({ q }: { q: SurveyQuestion }) {
  const required = q.required ? <span class="hint"> (required)</span> : null;
  if (q.type === 'text') return <label class="q">{q.text || '(no question text)'}{required}<textarea rows={3} disabled /></label>;
  const options: (string | number)[] = q.type === 'rating' ? [1, 2, 3, 4, 5] : q.choices ?? [];
  return (
    <fieldset class={`q ${q.type}`} disabled>
      <legend>{q.text || '(no question text)'}{q.type === 'rating' && <span class="hint"> (1 = poor, 5 = excellent)</span>}{required}</legend>
      {options.map((o) => <label key={String(o)}><input type="radio" name={`preview-${q.id}`} /> {o}</label>)}
    </fieldset>
  );
}

export function SurveyPreview({ questions }: { questions: SurveyQuestion[] }) {
  return (
    <aside class="survey-preview" aria-labelledby="survey-preview-h">
      <h4 id="survey-preview-h">Preview: what the customer sees</h4>
      {questions.length === 0
        ? <p class="muted">No questions: the customer gets no survey.</p>
        : (
          <div class="preview-card" data-preview="customer-survey">
            <h2>How did we do?</h2>
            {questions.map((q) => <PreviewQuestion key={q.id} q={q} />)}
            <button type="button" class="primary" disabled>Send answers</button>
          </div>
        )}
    </aside>
  );
}
