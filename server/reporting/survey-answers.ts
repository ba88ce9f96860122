// A survey's answers with their questions' texts: History, the reporting API and the outbound
// survey events read them the same way. Needs only the config (the outbox's event source uses it
// without a route context).
import type { Config } from '../config.ts';
import type { SurveyRow } from '../store/store.ts';

/** Each answer with its question's text from the config (an id the config no longer has shows as is). */
export function surveyAnswers(ctx: { config: Pick<Config, 'surveys'> }, v: Pick<SurveyRow, 'role' | 'answers'>): { id: string; question: string; answer: unknown }[] {
  const answers = JSON.parse(v.answers) as Record<string, unknown>;
  const questions = v.role === 'rep' ? ctx.config.surveys.rep : ctx.config.surveys.customer;
  const known = questions.filter((q) => q.id in answers).map((q) => ({ id: q.id, question: q.text, answer: answers[q.id] }));
  const other = Object.keys(answers).filter((id) => !questions.some((q) => q.id === id)).map((id) => ({ id, question: id, answer: answers[id] }));
  return [...known, ...other];
}
