// A survey's answers with the questions' texts: History, the reporting API and the outbound
// survey events show them the same way.
import type { Config } from '../config.ts';

export interface SurveyItem { id: string; question: string; answer: unknown }

/** Each answer with the question's text from the config (an id the config no longer has shows as is). */
export function surveyItems(surveys: Config['surveys'], role: string, answersJson: string): SurveyItem[] {
  const answers = JSON.parse(answersJson) as Record<string, unknown>;
  const questions = role === 'rep' ? surveys.rep : surveys.customer;
  const known = questions.filter((q) => q.id in answers).map((q) => ({ id: q.id, question: q.text, answer: answers[q.id] }));
  const other = Object.keys(answers).filter((id) => !questions.some((q) => q.id === id)).map((id) => ({ id, question: id, answer: answers[id] }));
  return [...known, ...other];
}
