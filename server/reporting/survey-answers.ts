// A survey's answers with their questions' texts: History, the reporting API and the outbound
// survey events read them the same way. Needs only the live settings (the outbox's event source
// uses it without a route context).
import type { LiveSettings } from '../settings/live-settings.ts';
import type { SurveyRow } from '../store/store.ts';

/** Each answer with its question's text from the settings now (an id they no longer have shows as is). */
export function surveyAnswers(ctx: { settings: Pick<LiveSettings, 'get'> }, v: Pick<SurveyRow, 'role' | 'answers'>): { id: string; question: string; answer: unknown }[] {
  const answers = JSON.parse(v.answers) as Record<string, unknown>;
  const { surveys } = ctx.settings.get();
  const questions = v.role === 'rep' ? surveys.rep : surveys.customer;
  const known = questions.filter((q) => q.id in answers).map((q) => ({ id: q.id, question: q.text, answer: answers[q.id] }));
  const other = Object.keys(answers).filter((id) => !questions.some((q) => q.id === id)).map((id) => ({ id, question: id, answer: answers[id] }));
  return [...known, ...other];
}
