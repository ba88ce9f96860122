// What in a session waits for the rep, for the session tabs: unread lines, file offers to
// answer, a customer waiting for a reply (and since when), the screen request's state, the survey.
import type { Event } from '../protocol/index.ts';
import { minSec } from './format.ts';
import type { SessionStore } from './store.ts';

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

const SCREEN_WORDS: Record<Exclude<ScreenWait, null>, string> = {
  asked: 'screen request waiting for the customer',
  declined: 'screen request declined',
  timeout: 'screen request timed out',
  cancelled: 'screen request cancelled',
};

/** The tab's compact marks, as shown. */
export const SCREEN_FLAG = { asked: 'screen asked', declined: 'screen declined', timeout: 'screen timed out', cancelled: 'screen cancelled' } as const;

/**
 * The tab's accessible name: the customer, then everything that waits, each part starting with
 * the words its mark shows (so someone who says what they see, e.g. to voice control, is heard).
 */
export function attentionLabel(name: string, a: Attention, now: number): string {
  const parts = [name];
  if (a.unread) parts.push(a.unread === 1 ? '1 unread message' : `${a.unread} unread messages`);
  if (a.waitingSince !== null) parts.push(`waits ${minSec((now - a.waitingSince) / 1000)} for your reply`);
  if (a.fileOffers) parts.push(a.fileOffers === 1 ? 'file offer to answer' : `file ×${a.fileOffers}: ${a.fileOffers} offers to answer`);
  if (a.screen) parts.push(a.screen === 'asked' ? `${SCREEN_FLAG.asked}, waiting for the customer` : SCREEN_FLAG[a.screen]);
  if (a.survey) parts.push('survey to fill in');
  return parts.join(', ');
}

export { SCREEN_WORDS };
