// The customer exit survey, questions as configured on the server (welcome.customer.survey).
import { useTakeFocus } from '../lib/focus.ts';
import { useState } from 'preact/hooks';
import type { SurveyQuestion } from '../../protocol/messages/index.ts';
import type { ChatStore } from '../state/store.ts';
import { t } from '../lib/i18n.ts';

/** Shown after a question the form needs answered (the browser's own check stops the send). */
function RequiredMark() {
  return <span class="hint"> {t('survey.required')}</span>;
}

function Question({ q, value, set }: { q: SurveyQuestion; value: string | number | undefined; set: (v: string | number) => void }) {
  if (q.type === 'text') {
    return <label class="q">{q.text}{q.required && <RequiredMark />}<textarea name={q.id} rows={3} maxLength={4000} required={q.required} value={String(value ?? '')} onInput={(e) => set(e.currentTarget.value)} /></label>;
  }
  const options: (string | number)[] = q.type === 'rating' ? [1, 2, 3, 4, 5] : q.choices ?? [];
  return (
    <fieldset class={`q ${q.type}`}>
      <legend>{q.text}{q.type === 'rating' && <span class="hint"> {t('survey.scale')}</span>}{q.required && <RequiredMark />}</legend>
      {options.map((o) => (
        <label key={String(o)}><input type="radio" name={q.id} value={String(o)} required={q.required} checked={value === o} onChange={() => set(o)} /> {o}</label>
      ))}
    </fieldset>
  );
}

export function Survey({ store }: { store: ChatStore }) {
  const questions = store.settings.value.survey;
  const [answers, setAnswers] = useState<Record<string, string | number>>({});
  const [state, setState] = useState<'idle' | 'sending' | 'failed'>('idle');
  if (!questions.length) return null;
  if (store.surveySent.value) return <SurveyThanks />;
  const submit = (e: Event) => {
    e.preventDefault();
    setState('sending');
    store.submitSurvey(answers).catch(() => setState('failed'));
  };
  return (
    <form class="card survey" aria-labelledby="survey-h" onSubmit={submit}>
      <h2 id="survey-h">{t('survey.title')}</h2>
      {questions.map((q) => <Question key={q.id} q={q} value={answers[q.id]} set={(v) => setAnswers({ ...answers, [q.id]: v })} />)}
      {state === 'failed' && <p class="error" role="alert">{t('survey.failed')}</p>}
      <button type="submit" class="primary" disabled={state === 'sending'}>{state === 'sending' ? t('survey.sending') : t('survey.send')}</button>
    </form>
  );
}

/** The survey's result; focus moves here, so a screen reader says it and the keyboard is not lost. */
function SurveyThanks() {
  const ref = useTakeFocus<HTMLElement>();
  return <section class="card survey" ref={ref} tabIndex={-1} role="status" aria-labelledby="survey-h"><h2 id="survey-h">{t('survey.thanks')}</h2><p>{t('survey.sent')}</p></section>;
}
