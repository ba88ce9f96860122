// A transcript, live in a session or from history: chat lines with time and speaker, and
// system lines (joins, grants, files, nudges) set apart; system lines can be hidden.
import { actorName, eventText, type Event } from '../../protocol/index.ts';
import { clock } from '../format.ts';
import { eventWords, t } from '../i18n.ts';

/** A system line's words (protocol/event-text.ts); null for chat. */
function systemText(e: Event, myId: string | undefined): string | null {
  if (e.body.kind === 'chat') return null;
  return eventText(e.body, { name: actorName(e.from), self: e.from.id === myId && e.from.role === 'rep' }, eventWords());
}

export function ChatLog({ events, myId, hideSystem = false, pending = [] }: { events: Event[]; myId?: string; hideSystem?: boolean; pending?: { id: string; text: string; at: number }[] }) {
  return (
    <ol class="chatlog">
      {events.map((e) => {
        const text = systemText(e, myId);
        if (text !== null) {
          if (hideSystem) return null;
          return <li key={e.seq} class={`sys ${e.body.kind}`}><time>{clock(e.at)}</time> {text}</li>;
        }
        const mine = e.from.role === 'rep' && e.from.id === myId;
        return (
          <li key={e.seq} class={mine ? 'msg me' : `msg ${e.from.role}`}>
            <div class="meta"><b><bdi>{mine ? t('chat.you') : e.from.name}</bdi></b> <time dateTime={new Date(e.at).toISOString()}>{clock(e.at)}</time></div>
            <div class="text" dir="auto">{e.body.kind === 'chat' ? e.body.text : ''}</div>
          </li>
        );
      })}
      {pending.map((p) => (
        <li key={p.id} class="msg me pending">
          <div class="meta"><b>{t('chat.you')}</b> <time>{clock(p.at)}</time> · {t('chat.sending')}</div>
          <div class="text" dir="auto">{p.text}</div>
        </li>
      ))}
    </ol>
  );
}
