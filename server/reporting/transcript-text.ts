// A session's transcript as plain text: the customer's download, the rep's History, the reporting
// API and help-desk connectors all print it the same way, in the reader's language and zone
// (docs/ARCHITECTURE.md, "Languages"). The header says which zone the times are in; names and
// messages are isolated where their direction could differ from the line's.
import { actorName, eventText, type Event } from '../../protocol/index.ts';
import { serverTranslator } from '../../protocol/i18n/compile.ts';
import { DEFAULT_LANGUAGE, textDirection, type Language } from '../../protocol/i18n/locales.ts';
import { formatDateTime, isolateIfNeeded } from '../../protocol/i18n/intl.ts';
import type { SessionRow } from '../store/store.ts';
import type { Ctx } from '../context.ts';

export interface TranscriptTextOptions {
  /** Include the lines nobody typed (joins, grants, files, ...); a help desk may hide them. */
  system?: boolean;
  /** The reader's language. */
  lang?: Language;
  /** An IANA zone for the times (default UTC). */
  timeZone?: string;
}

export function transcriptText(ctx: Ctx, s: SessionRow, events: Event[], opts: TranscriptTextOptions = {}): string {
  const system = opts.system ?? true;
  const tr = serverTranslator('events', opts.lang ?? DEFAULT_LANGUAGE);
  const { t, lang } = tr;
  const timeZone = opts.timeZone ?? 'UTC';
  const user = (x: string) => isolateIfNeeded(x, textDirection(lang) === 'rtl');
  const when = (ms: number) => formatDateTime(ms, lang, { timeZone });
  const lines = [
    t('transcript.title', { company: user(ctx.settings.get().companyName), id: s.id }),
    s.company ? t('transcript.customerCompany', { name: user(s.customer_name), company: user(s.company) }) : t('transcript.customer', { name: user(s.customer_name) }),
    t('transcript.started', { time: when(s.created_at) }),
  ];
  if (s.ended_at) lines.push(t('transcript.ended', { time: when(s.ended_at) }));
  lines.push(t('transcript.zone', { zone: timeZone }), '');
  for (const e of events) {
    if (!system && e.body.kind !== 'chat') continue;
    // Chat as said; every other line in the words all readers use, marked with "*".
    const text = e.body.kind === 'chat' ? user(e.body.text) : `* ${eventText(e.body, actorName(e.from), tr, { isolate: true })}`;
    lines.push(`[${when(e.at)}] ${user(e.from.name)}: ${text}`);
  }
  return lines.join('\n') + '\n';
}
