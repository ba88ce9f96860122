// Words for transcript events, the one place every reader takes them from (browser chat, agent
// window, terminal, console, text transcripts, browser notifications), in the reader's language
// through the `events` catalogue (docs/ARCHITECTURE.md, "Languages" → "System events").
import type { Actor, EventBody } from './messages/index.ts';
import type { MessageParams, Translator } from './i18n/translate.ts';
import { textDirection, type Language } from './i18n/languages.ts';
import { formatBytes, formatList, isolateIfNeeded } from './i18n/intl.ts';

export { formatBytes } from './i18n/intl.ts';

/** "Ana", "Ana and Ben", "Ana, Ben and Cy". */
export function nameList(names: readonly string[], lang = 'en'): string {
  return formatList(names, lang);
}

/** How a line names its sender: `self` for the reader's own lines ("You sent a nudge."). */
export interface Who {
  name: string;
  self?: boolean;
}

export interface RenderOptions {
  /** Wrap user text (names, file names) in Unicode isolates: plain-text exports (docs/ARCHITECTURE.md, "Languages"). */
  isolate?: boolean;
}

const asWho = (who: string | Who): Who => (typeof who === 'string' ? { name: who } : who);

/** Isolates user text when asked (plain-text exports), where it changes the display. */
const userText = (s: string, tr: Translator, o: RenderOptions) => (o.isolate ? isolateIfNeeded(s, textDirection(tr.lang as Language) === 'rtl') : s);

/** The customer's grant as the reference logs word it, naming the reps it covers. */
export function grantText(b: Extract<EventBody, { kind: 'grant' }>, tr: Translator, o: RenderOptions = {}): string {
  const { t } = tr;
  if (b.grant === 'none') return t('grant.none');
  // Records from before grants named their reps.
  if (!b.reps?.length) return t('grant.customer', { grant: b.grant });
  const reps = b.reps.map((r) => userText(r, tr, o));
  return t('grant.reps', { reps: nameList(reps, tr.lang), count: reps.length, grant: b.grant });
}

/** A system line: from its code and params, or (rows from before codes, lines a client made) its text. */
export function systemText(b: { code: string; params?: Record<string, string | number>; text?: string }, tr: Translator, o: RenderOptions = {}): string {
  const { t } = tr;
  if (b.params === undefined) return b.text ?? b.code;
  const user = (s: string | number) => (typeof s === 'string' ? userText(s, tr, o) : s);
  const p: MessageParams = Object.fromEntries(Object.entries(b.params).map(([k, v]) => [k, ['want', 'to', 'reason', 'answer', 'why'].includes(k) ? v : user(v)]));
  if (b.code === 'ended') {
    const why = t('endReason', { reason: b.params.reason ?? 'other', reasonText: p.reasonText ?? '' });
    return b.params.by ? t('system.endedBy', { by: p.by!, why }) : t('system.ended', { why });
  }
  const key = `system.${b.code}`;
  const text = t(key, p);
  return text === key ? (b.text ?? b.code) : text;
}

/** A piece of an event's line: plain text, a link (a UI may make it clickable), or a label to stress. */
export type TextPart = string | { url: string } | { strong: string };

/**
 * The line for an event, in pieces. `who` is the sender (a name, or `{name, self}` where `self`
 * marks the reader's own lines: "You sent a nudge."); chat is the text itself.
 */
export function eventParts(body: EventBody, who: string | Who, tr: Translator, o: RenderOptions = {}): TextPart[] {
  const { t } = tr;
  const w = asWho(who);
  const name = w.self ? t('you') : userText(w.name, tr, o);
  const by = { who: name, self: w.self ? 'yes' : 'no' };
    switch (body.kind) {
    case 'chat': return [body.text];
    case 'system': return [systemText(body, tr, o)];
    case 'nudge': return [t('nudge', by)];
    case 'url': return [t('url', by), { url: body.url }];
    case 'notice': return [{ strong: t('notice') }, ` ${body.text}`];
    case 'grant': return [grantText(body, tr, o)];
    case 'agreement': return [t('agreement', { ...by, accepted: body.accepted ? 'yes' : 'no' })];
    case 'recording': return [t('recording', { ...by, allowed: body.allowed ? 'yes' : 'no' })];
    case 'file': return [t(`file.${body.status}`, { ...by, name: userText(body.name, tr, o), size: formatBytes(body.size, tr.lang) })];
  }
}

/** The line as plain text (terminal, text transcript, notification). */
export function eventText(body: EventBody, who: string | Who, tr: Translator, o: RenderOptions = {}): string {
  return eventParts(body, who, tr, o).map((p) => (typeof p === 'string' ? p : 'url' in p ? p.url : p.strong)).join('');
}

/** The sender's name as readers show it (a name may be empty: then the role). */
export const actorName = (a: Actor): string => a.name || a.role;

/** The system lines of remote diagnostics (their `code`s), in the order they happen. */
export const DIAG_CODES = {
  requested: 'diagnostics.requested',
  allowed: 'diagnostics.allowed',
  refused: 'diagnostics.refused',
  collected: 'diagnostics.collected',
} as const;

/** The system lines of reboot and reconnect (their `code`s), in the order they happen. */
export const REBOOT_CODES = {
  requested: 'reboot.requested',
  confirmed: 'reboot.confirmed',
  declined: 'reboot.declined',
  reconnected: 'reboot.reconnected',
  failed: 'reboot.failed',
} as const;

/** The system lines of Show My Screen (their `code`s): the rep started, and how it ended. */
export const REP_SCREEN_CODES = {
  started: 'repscreen.started',
  stopped: 'repscreen.stopped',
  closed: 'repscreen.closed',
} as const;
