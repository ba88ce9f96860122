// The transcript as the customer sees it: who said what, when; system lines in between.
// role="log" is an implicit polite live region: screen readers read new lines as they come.
import { eventParts } from '../../protocol/event-text.ts';
import { eventWords } from '../lib/event-words.ts';
import type { ChatStore } from '../state/store.ts';
import type { LogEntry } from '../state/types.ts';
import { language, t } from '../lib/i18n.ts';

const time = (at: number) => new Date(at).toLocaleTimeString(language.value, { hour: '2-digit', minute: '2-digit' });

/** Only http(s) links are clickable: a pushed `javascript:` URL stays text. */
export function SafeLink({ url }: { url: string }) {
  return /^https?:\/\//i.test(url) ? <a href={url} target="_blank" rel="noopener noreferrer">{url}</a> : <span>{url}</span>;
}

/** Chat text with its http(s) addresses clickable; everything else stays plain text. */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]])/i);
  return <>{parts.map((p, i) => (i % 2 ? <SafeLink key={i} url={p} /> : p))}</>;
}

/** A line's words (protocol/event-text.ts) with its link clickable and its label stressed. */
function lineText(e: LogEntry, mine: boolean) {
  if (e.body.kind === 'chat') return <Linkified text={e.body.text} />;
  return eventParts(e.body, { name: e.from.name, self: mine }, eventWords.value).map((p, i) => (typeof p === 'string' ? p : 'url' in p ? <SafeLink key={i} url={p.url} /> : <strong key={i}>{p.strong}</strong>));
}

export function ChatLog({ store }: { store: ChatStore }) {
  const entries = store.log.value;
  return (
    // The live region wraps the list, so the list keeps its own role (and its items theirs).
    <div role="log" aria-live="polite" aria-label={t('chat.messages')}>
    <ol class="log">
      {entries.map((e) => {
        const mine = store.isMine(e.from);
        const chat = e.body.kind === 'chat';
        const cls = `line ${chat ? (mine ? 'me' : e.from.role) : 'sys'}${e.pending ? ' pending' : ''}${e.failed ? ' failed' : ''}${e.body.kind === 'nudge' ? ' nudge' : ''}`;
        return (
          <li key={e.key} class={cls} data-seq={e.seq ?? undefined}>
            {chat && <bdi class="who">{mine ? t('chat.you') : e.from.name}</bdi>}
            <time dateTime={new Date(e.at).toISOString()}>{time(e.at)}</time>
            <span class="text" dir={chat ? 'auto' : undefined}>{lineText(e, mine)}</span>
            {e.pending && <span class="sr-only"> {t('chat.sending')}</span>}
            {e.failed && <span class="not-sent"> {t('chat.notSent')}</span>}
          </li>
        );
      })}
    </ol>
    </div>
  );
}
