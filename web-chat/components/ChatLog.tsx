// The transcript as the customer sees it: who said what, when; system lines in between.
// role="log" is an implicit polite live region: screen readers read new lines as they come.
import { grantText } from '../../protocol/event-text.ts';
import type { LogEntry, ChatStore } from '../state/store.ts';
import { formatBytes } from '../state/store.ts';

const time = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** Only http(s) links are clickable: a pushed `javascript:` URL stays text. */
export function SafeLink({ url }: { url: string }) {
  return /^https?:\/\//i.test(url) ? <a href={url} target="_blank" rel="noopener noreferrer">{url}</a> : <span>{url}</span>;
}

/** Chat text with its http(s) addresses clickable; everything else stays plain text. */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]])/i);
  return <>{parts.map((p, i) => (i % 2 ? <SafeLink key={i} url={p} /> : p))}</>;
}

function fileLine(who: string, name: string, size: number, status: string): string {
  if (status === 'offered') return `${who} offered the file ${name} (${formatBytes(size)}).`;
  if (status === 'done') return `The file ${name} (${formatBytes(size)}) was transferred.`;
  if (status === 'failed') return `The file ${name} could not be transferred.`;
  return `${who} ${status} the file ${name}.`;
}

function lineText(e: LogEntry, mine: boolean) {
  const b = e.body;
  const who = mine ? 'You' : e.from.name;
  switch (b.kind) {
    case 'chat': return <Linkified text={b.text} />;
    case 'system': return b.text;
    case 'nudge': return e.from.role === 'rep' ? `The representative (${who}) sent a nudge.` : `${who} sent a nudge.`;
    case 'url': return <>{who} shared a link: <SafeLink url={b.url} /></>;
    case 'notice': return <><strong>Notice:</strong> {b.text}</>;
    case 'grant': return grantText(b);
    case 'agreement': return mine || e.from.role === 'customer' ? `${who} ${b.accepted ? 'accepted' : 'declined'} the customer agreement.` : '';
    case 'recording': return `${who} ${b.allowed ? 'allowed' : 'did not allow'} recording of this session.`;
    case 'file': return fileLine(who, b.name, b.size, b.status);
  }
}

export function ChatLog({ store }: { store: ChatStore }) {
  const entries = store.log.value;
  return (
    <ol class="log" role={"log" as "list"} aria-live="polite" aria-label="Chat messages">
      {entries.map((e) => {
        const mine = store.isMine(e.from);
        const chat = e.body.kind === 'chat';
        const cls = `line ${chat ? (mine ? 'me' : e.from.role) : 'sys'}${e.pending ? ' pending' : ''}${e.failed ? ' failed' : ''}${e.body.kind === 'nudge' ? ' nudge' : ''}`;
        return (
          <li key={e.key} class={cls} data-seq={e.seq ?? undefined}>
            {chat && <span class="who">{mine ? 'You' : e.from.name}</span>}
            <time dateTime={new Date(e.at).toISOString()}>{time(e.at)}</time>
            <span class="text">{lineText(e, mine)}</span>
            {e.pending && <span class="sr-only"> (sending)</span>}
            {e.failed && <span class="not-sent"> (not sent)</span>}
          </li>
        );
      })}
    </ol>
  );
}
