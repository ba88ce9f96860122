// A session's live chat: the log follows the newest message while the rep is at the bottom; a
// rep who scrolled up keeps the place and gets a "new messages" button instead. Own messages
// always bring the log down.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { chat, typing } from '../actions.ts';
import { me, type SessionStore } from '../store.ts';
import { ChatLog } from './ChatLog.tsx';

/** Pixels from the bottom that still count as "at the newest message". */
const NEAR_BOTTOM = 24;

function atBottom(el: HTMLElement): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM;
}

/** Follows the newest content unless the reader scrolled away; counts what they have not seen. */
function useFollow(events: number, pending: number, others: number, typingName: string | null) {
  const list = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const seen = useRef({ events, pending, others });
  const [unseen, setUnseen] = useState(0);

  const toBottom = () => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
    following.current = true;
    setUnseen(0);
  };
  // Only the reader moving up stops following: a log that got shorter (a panel next to it grew)
  // also leaves it "not at the bottom" for a moment, and must still follow.
  const lastTop = useRef(0);
  const onScroll = () => {
    const el = list.current!;
    if (atBottom(el)) following.current = true;
    else if (el.scrollTop < lastTop.current - 1) following.current = false;
    lastTop.current = el.scrollTop;
    if (following.current) setUnseen(0);
  };

  useLayoutEffect(() => {
    const before = seen.current;
    seen.current = { events, pending, others };
    if (following.current || pending > before.pending) toBottom();
    else if (others > before.others) setUnseen((n) => n + others - before.others);
  }, [events, pending, others, typingName]);

  // A resized window or a panel growing next to the chat must not push the newest line away.
  useEffect(() => {
    const el = list.current!;
    const ro = new ResizeObserver(() => { if (following.current) el.scrollTop = el.scrollHeight; });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  return { list, unseen, onScroll, toBottom };
}

export function Chat({ s, ended }: { s: SessionStore; ended: boolean }) {
  const [text, setText] = useState('');
  const myId = me.value?.id;
  const events = s.events.value;
  const others = events.filter((e) => e.body.kind === 'chat' && !(e.from.role === 'rep' && e.from.id === myId)).length;
  const { list, unseen, onScroll, toBottom } = useFollow(events.length, s.pending.value.length, others, s.typing.value?.name ?? null);
  const submit = (e: Event) => {
    e.preventDefault();
    const t = text.trim();
    if (!t) return;
    chat(s.id, t);
    setText('');
  };
  return (
    <section class="card chat">
      <div class="chat-scroll" ref={list} onScroll={onScroll} role="log" aria-label={`Chat with ${s.info.value?.customer.name || 'the customer'}`}>
        <ChatLog events={events} myId={myId} pending={s.pending.value} />
        {s.typing.value && <p class="typing">{s.typing.value.name || 'Customer'} is typing…</p>}
      </div>
      {unseen > 0 && (
        <button class="new-messages" onClick={toBottom}>{unseen === 1 ? '1 new message' : `${unseen} new messages`} ↓</button>
      )}
      <form class="chat-input" onSubmit={submit}>
        <textarea
          aria-label="Message" rows={2} value={text} disabled={ended} placeholder={ended ? 'Session ended' : 'Type a message (Enter sends)'}
          onInput={(e) => { const v = (e.target as HTMLTextAreaElement).value; setText(v); typing(s.id, v.length > 0); }}
          onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey) submit(e); }}
        />
        <button class="primary" type="submit" disabled={ended}>Send</button>
      </form>
    </section>
  );
}
