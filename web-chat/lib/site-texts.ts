// The site's own texts (agreement, notices, survey, portal message and categories) in the page's
// language: the administrator's version for it where there is one, else the default (English)
// one (docs/ARCHITECTURE.md "Languages"). Values sent back (a category, a survey choice) stay
// the default text, so what is stored doesn't depend on the customer's language.
import type { CustomerSettings, SurveyQuestion } from '../../protocol/messages/index.ts';
import type { PortalInfo } from '../../protocol/http.ts';
import { language } from './i18n.ts';

const texts = (s: CustomerSettings) => s.translations?.[language.value];

export function agreementText(s: CustomerSettings): string {
  return texts(s)?.agreement || s.agreement?.text || '';
}

/** The nth of the site's notices shown on join. */
export function noticeText(s: CustomerSettings, index: number, fallback: string): string {
  return texts(s)?.notices?.[index] || fallback;
}

/** A survey question's text and its choices' labels (the values stay the defaults). */
export function surveyTexts(s: CustomerSettings, q: SurveyQuestion): { text: string; choiceLabels: string[] } {
  const tr = texts(s)?.survey?.[q.id];
  return { text: tr?.text || q.text, choiceLabels: (q.choices ?? []).map((c, i) => tr?.choices?.[i] || c) };
}

export function portalMessage(info: PortalInfo): string | undefined {
  return info.translations?.[language.value]?.message || info.message;
}

/** The categories as [value, label]: the default text is what is submitted. */
export function issueCategories(info: PortalInfo): [string, string][] {
  const tr = info.translations?.[language.value]?.issueCategories;
  return info.issueCategories.map((c, i) => [c, tr?.[i] || c]);
}
