// The exit surveys' questions (the customer's and the rep's): text, kind (rating, choice, text),
// choices, required; with a preview of the customer's survey as the chat will show it.
import type { SurveyQuestion } from '../../../protocol/index.ts';
import { Field } from './Field.tsx';
import type { GroupApi } from './SettingsGroup.tsx';
import { SurveyPreview } from './SurveyPreview.tsx';
import { t } from '../../i18n.ts';

function QuestionEditor({ path, q, set, remove, errors, n }: { path: string; q: SurveyQuestion; set: (q: SurveyQuestion) => void; remove: () => void; errors: Record<string, string>; n: number }) {
  const id = path.replace(/\./g, '-');
  return (
    <fieldset class="question">
      <legend>{t('surveys.questionN', { n })}</legend>
      <Field id={`${id}-text`} label={t('surveys.question')} error={errors[`${path}.text`]}>{(a) => <input {...a} value={q.text} onInput={(e) => set({ ...q, text: e.currentTarget.value })} />}</Field>
      <div class="field-row">
        <Field id={`${id}-type`} label={t('surveys.answer')} error={errors[`${path}.type`]}>
          {(a) => (
            <select {...a} value={q.type} onChange={(e) => set({ ...q, type: e.currentTarget.value as SurveyQuestion['type'] })}>
              <option value="rating">{t('surveys.rating')}</option><option value="choice">{t('surveys.choice')}</option><option value="text">{t('surveys.text')}</option>
            </select>
          )}
        </Field>
        <label class="check"><input type="checkbox" checked={q.required === true} onChange={(e) => set({ ...q, required: e.currentTarget.checked })} /> {t('surveys.required')}</label>
        <button type="button" onClick={remove} aria-label={t('surveys.remove', { n })}>{t('common.remove')}</button>
      </div>
      {q.type === 'choice' && (
        <Field id={`${id}-choices`} label={t('surveys.choices')} hint={t('settings.onePerLine')} error={errors[`${path}.choices`]}>
          {(a) => <textarea {...a} rows={3} value={(q.choices ?? []).join('\n')} onInput={(e) => set({ ...q, choices: e.currentTarget.value.split('\n') })} />}
        </Field>
      )}
    </fieldset>
  );
}

function QuestionList({ who, list, onChange, errors }: { who: 'customer' | 'rep'; list: SurveyQuestion[]; onChange: (l: SurveyQuestion[]) => void; errors: Record<string, string> }) {
  return (
    <div class="questions">
      {list.map((q, i) => (
        <QuestionEditor key={q.id} n={i + 1} path={`surveys.${who}.${i}`} q={q} errors={errors}
          set={(nq) => onChange(list.map((x, j) => (j === i ? nq : x)))} remove={() => onChange(list.filter((_, j) => j !== i))} />
      ))}
      <button type="button" onClick={() => onChange([...list, { id: `q${Date.now().toString(36)}`, text: '', type: 'text' }])}>{t('surveys.add', { who })}</button>
    </div>
  );
}

export function SurveysEditor({ draft, set, errors }: GroupApi) {
  // Blank lines in choices are the editor's, not the customer's.
  const clean = (l: SurveyQuestion[]) => l.map((q) => (q.type === 'choice' ? { ...q, choices: (q.choices ?? []).filter((c) => c.trim()) } : q));
  const setList = (who: 'customer' | 'rep', l: SurveyQuestion[]) => set({ surveys: { ...draft.surveys, [who]: l } });
  return (
    <div class="surveys-editor">
      <div>
        <h4>{t('surveys.customer')}</h4>
        <QuestionList who="customer" list={draft.surveys.customer} onChange={(l) => setList('customer', l)} errors={errors} />
        <h4>{t('surveys.rep')}</h4>
        <QuestionList who="rep" list={draft.surveys.rep} onChange={(l) => setList('rep', l)} errors={errors} />
      </div>
      <SurveyPreview questions={clean(draft.surveys.customer)} />
    </div>
  );
}
