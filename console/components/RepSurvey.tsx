// The rep's exit survey, a modal that takes focus when a session the rep had open ends.
import { useEffect, useRef, useState } from 'preact/hooks';
import { submitSurvey } from '../actions.ts';
import { me, type SessionStore } from '../store.ts';
import { t } from '../i18n.ts';

export function SurveyDialog({ s }: { s: SessionStore }) {
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
        <h2 id="rep-survey-h">{t('survey.title')}</h2>
        {questions.map((q) => (
          <fieldset key={q.id} data-question={q.id}>
            <legend>{q.text}</legend>
            {q.type === 'choice' && (q.choices ?? []).map((c) => (
              <label key={c} class="choice"><input type="radio" name={q.id} value={c} checked={answers[q.id] === c} onChange={() => set(q.id, c)} required /> {c}</label>
            ))}
            {q.type === 'rating' && [1, 2, 3, 4, 5].map((n) => (
              <label key={n} class="choice"><input type="radio" name={q.id} checked={answers[q.id] === n} onChange={() => set(q.id, n)} /> {n}</label>
            ))}
            {q.type === 'text' && <textarea name={q.id} aria-label={q.text} rows={3} value={String(answers[q.id] ?? '')} onInput={(e) => set(q.id, (e.target as HTMLTextAreaElement).value)} />}
          </fieldset>
        ))}
        <div class="row end"><button class="primary" type="submit" disabled={busy}>{t('survey.submit')}</button></div>
      </form></div>
    </div>
  );
}
