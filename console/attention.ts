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
const SCREEN_FLAG = { asked: 'screen asked', declined: 'screen declined', timeout: 'screen timed out', cancelled: 'screen cancelled' } as const;

/** One mark on a session tab: the words it shows, what it means (its tooltip), its style. */
export interface Mark { shown: string; meaning: string; cls: string }

export function attentionMarks(a: Attention, now: number): Mark[] {
  const marks: Mark[] = [];
  if (a.unread) marks.push({ shown: String(a.unread), meaning: a.unread === 1 ? '1 unread message' : `${a.unread} unread messages`, cls: 'count' });
  if (a.waitingSince !== null) {
    const t = minSec((now - a.waitingSince) / 1000);
    marks.push({ shown: `waits ${t}`, meaning: `waits ${t} for your reply`, cls: 'flag waiting' });
  }
  if (a.fileOffers) marks.push({ shown: a.fileOffers > 1 ? `file ×${a.fileOffers}` : 'file', meaning: a.fileOffers === 1 ? 'file offer to answer' : `${a.fileOffers} file offers to answer`, cls: 'flag file' });
  if (a.screen) marks.push({ shown: SCREEN_FLAG[a.screen], meaning: SCREEN_WORDS[a.screen], cls: `flag screen ${a.screen}` });
  if (a.survey) marks.push({ shown: 'survey', meaning: 'survey to fill in', cls: 'flag survey' });
  return marks;
}

/**
 * The tab's accessible name: what the tab shows, word for word (so someone who says what they
 * see, e.g. to voice control, is heard, and axe's label-in-name rule holds), then what each mark
 * means.
 */
export function attentionLabel(name: string, marks: Mark[]): string {
  if (marks.length === 0) return name;
  return `${[name, ...marks.map((m) => m.shown)].join(' ')}: ${marks.map((m) => m.meaning).join(', ')}`;
}
