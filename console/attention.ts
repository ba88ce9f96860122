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

/** The tab's compact marks, as shown. */
export const SCREEN_FLAG = (s: Exclude<ScreenWait, null>): string => t('attention.screenFlag', { state: s });

/**
 * The tab's accessible name: the customer, then everything that waits, each part starting with
 * the words its mark shows (so someone who says what they see, e.g. to voice control, is heard).
 */
export function attentionLabel(name: string, a: Attention, now: number): string {
  const parts = [name];
  if (a.unread) parts.push(t('attention.unread', { count: a.unread }));
  if (a.waitingSince !== null) parts.push(t('attention.waits', { time: minSec((now - a.waitingSince) / 1000) }));
  if (a.fileOffers) parts.push(t('attention.fileOffers', { count: a.fileOffers }));
  if (a.screen) parts.push(a.screen === 'asked' ? t('attention.screenAsked') : SCREEN_FLAG(a.screen));
  if (a.survey) parts.push(t('attention.survey'));
  return parts.join(t('attention.separator'));
}

export { SCREEN_WORDS };
