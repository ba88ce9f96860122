// A transcript, live in a session or from history: chat lines with time and speaker, and
// system lines (joins, grants, files, nudges) set apart; system lines can be hidden.
import { grantText, type Event } from '../../protocol/index.ts';
import { bytes, clock } from '../format.ts';

function systemText(e: Event, myId: string | undefined): string | null {
  const b = e.body;
  const who = e.from.id === myId && e.from.role === 'rep' ? 'You' : e.from.name || e.from.role;
  switch (b.kind) {
    case 'chat': return null;
    case 'system': return b.text;
    case 'nudge': return `${who} sent a nudge`;
    case 'url': return `${who} pushed ${b.url}`;
    case 'notice': return `Notice from ${who}: ${b.text}`;
    case 'grant': return grantText(b);
    case 'agreement': return b.accepted ? 'Customer accepted the agreement' : 'Customer declined the agreement';
    case 'recording': return b.allowed ? 'Customer allowed recording' : 'Customer declined recording';
    case 'file': return `File ${b.name} (${bytes(b.size)}) ${b.status}`;
  }
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
            <div class="meta"><b>{mine ? 'You' : e.from.name}</b> <time>{clock(e.at)}</time></div>
            <div class="text">{e.body.kind === 'chat' ? e.body.text : ''}</div>
          </li>
        );
      })}
      {pending.map((p) => (
        <li key={p.id} class="msg me pending">
          <div class="meta"><b>You</b> <time>{clock(p.at)}</time> · sending…</div>
          <div class="text">{p.text}</div>
        </li>
      ))}
    </ol>
  );
}
