// What in a session waits for the rep, for the session tabs: unread lines, file offers to
// answer, a customer waiting for a reply (and since when), the screen request's state, the survey.
import type { Event } from '../protocol/index.ts';
import { minSec } from './format.ts';
import type { SessionStore } from './store.ts';
import { t } from './i18n.ts';

export type ScreenWait = 'asked' | 'declined' | 'timeout' | 'cancelled' | null;

export interface Attention {
  unread: number;
  fileOffers: number;
  /** When the customer's last chat line went unanswered (ms since epoch), or null. */
  waitingSince: number | null;
  screen: ScreenWait;
  survey: boolean;
}

const SCREEN_OUTCOMES: Record<string, ScreenWait> = { 'screen.declined': 'declined', 'screen.timeout': 'timeout', 'screen.cancelled': 'cancelled' };

function waitingSince(events: Event[]): number | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.body.kind !== 'chat') continue;
    return e.from.role === 'rep' ? null : e.at;
  }
  return null;
}

export function attention(s: SessionStore): Attention {
  const info = s.info.value;
  const events = s.events.value;
  const active = info?.state === 'active';
  const outcome = s.screen.req.outcome.value;
  return {
    unread: s.unread.value,
    fileOffers: s.files.value.filter((f) => f.dir === 'in' && f.state === 'offered').length,
    waitingSince: active ? waitingSince(events) : null,
    screen: info?.screenRequest ? 'asked' : outcome ? SCREEN_OUTCOMES[outcome.code] ?? null : null,
    survey: s.surveyDue.value,
  };
}

/** The screen request's state in words (the mark's title). */
const SCREEN_WORDS = (s: Exclude<ScreenWait, null>): string => t('attention.screenWords', { state: s });

/** The tab's compact mark for the screen request, as shown. */
const SCREEN_FLAG = (s: Exclude<ScreenWait, null>): string => t('attention.screenFlag', { state: s });

/** One mark on a session tab: the words it shows, what it means (its tooltip), its style. */
export interface Mark { shown: string; meaning: string; cls: string }

export function attentionMarks(a: Attention, now: number): Mark[] {
  const marks: Mark[] = [];
  if (a.unread) marks.push({ shown: String(a.unread), meaning: t('attention.unread', { count: a.unread }), cls: 'count' });
  if (a.waitingSince !== null) {
    const time = minSec((now - a.waitingSince) / 1000);
    marks.push({ shown: t('tabs.waits', { time }), meaning: t('attention.waits', { time }), cls: 'flag waiting' });
  }
  if (a.fileOffers) marks.push({ shown: t('tabs.file', { count: a.fileOffers }), meaning: t('attention.fileOffers', { count: a.fileOffers }), cls: 'flag file' });
  if (a.screen) marks.push({ shown: SCREEN_FLAG(a.screen), meaning: SCREEN_WORDS(a.screen), cls: `flag screen ${a.screen}` });
  if (a.survey) marks.push({ shown: t('tabs.survey'), meaning: t('attention.survey'), cls: 'flag survey' });
  return marks;
}

/**
 * The tab's accessible name: what the tab shows, word for word (so someone who says what they
 * see, e.g. to voice control, is heard, and axe's label-in-name rule holds), then what each mark
 * means.
 */
export function attentionLabel(name: string, marks: Mark[]): string {
  if (marks.length === 0) return name;
  return t('attention.label', { shown: [name, ...marks.map((m) => m.shown)].join(' '), meanings: marks.map((m) => m.meaning).join(t('attention.separator')) });
}
