// A session's live chat: the log follows the newest message while the rep is at the bottom; a
// rep who scrolled up keeps the place and gets a "new messages" button instead. Own messages
// always bring the log down.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { chat, typing } from '../actions.ts';
import type { CannedMessage } from '../../protocol/index.ts';
import { canned, me, type SessionStore } from '../store.ts';
import { CANNED_LIST_ID, CannedMenu, cannedOptionId, matchCanned } from './CannedMenu.tsx';
import { ChatLog } from './ChatLog.tsx';
import { t } from '../i18n.ts';

/** A textarea that controls a listbox is a combobox (ARIA 1.2); Preact's types only allow "textbox" there. */
const COMBOBOX = { role: 'combobox' } as Record<string, string>;

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

/** The canned-message menu's state beside the chat input: open while the text starts with "/". */
function useCanned(text: string, setText: (t: string) => void, input: { current: HTMLTextAreaElement | null }) {
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const items = dismissed ? null : matchCanned(canned.value, text);
  const pick = (m: CannedMessage) => {
    setText(m.text);
    setActive(0);
    input.current?.focus();
  };
  /** Handles the menu's keys; true when the key was the menu's. */
  const onKey = (e: KeyboardEvent): boolean => {
    if (!items) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const n = Math.max(items.length, 1);
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if ((e.key === 'Enter' || e.key === 'Tab') && items[active]) pick(items[active]);
    else if (e.key === 'Escape') setDismissed(true);
    else return false;
    e.preventDefault();
    return true;
  };
  const onText = (t: string) => {
    if (!t.startsWith('/')) setDismissed(false);
    setActive(0);
  };
  const open = () => {
    setDismissed(false);
    setText('/');
    input.current?.focus();
  };
  return { items, active: Math.min(active, Math.max((items?.length ?? 1) - 1, 0)), pick, onKey, onText, open };
}

export function Chat({ s, ended }: { s: SessionStore; ended: boolean }) {
  const [text, setText] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  const menu = useCanned(text, setText, input);
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
      <div class="chat-scroll" ref={list} onScroll={onScroll} role="log" tabIndex={0} aria-label={t('chat.label', { name: s.info.value?.customer.name || t('chat.theCustomer') })}>
        <ChatLog events={events} myId={myId} pending={s.pending.value} />
        {s.typing.value && <p class="typing">{t('chat.typing', { name: s.typing.value.name || t('common.customer') })}</p>}
      </div>
      {unseen > 0 && (
        <button class="new-messages" onClick={toBottom}>{t('chat.newMessages', { count: unseen })} ↓</button>
      )}
      {menu.items && <CannedMenu items={menu.items} active={menu.active} onPick={menu.pick} />}
      <form class="chat-input" onSubmit={submit}>
        <textarea
          ref={input} aria-label={t('chat.message')} rows={2} value={text} disabled={ended} placeholder={ended ? t('chat.ended') : t('chat.placeholder')}
          {...COMBOBOX} aria-autocomplete="list" aria-expanded={!!menu.items} aria-controls={CANNED_LIST_ID}
          aria-activedescendant={menu.items?.length ? cannedOptionId(menu.active) : undefined}
          onInput={(e) => { const v = (e.target as HTMLTextAreaElement).value; setText(v); menu.onText(v); typing(s.id, v.length > 0); }}
          onKeyDown={(e) => { if (menu.onKey(e)) return; if (e.key === 'Enter' && !e.shiftKey) submit(e); }}
        />
        <div class="chat-buttons">
          <button type="button" onClick={menu.open} disabled={ended} aria-haspopup="listbox" title={t('chat.cannedTitle')}>{t('chat.canned')}</button>
          <button class="primary" type="submit" disabled={ended}>{t('chat.send')}</button>
        </div>
      </form>
    </section>
  );
}
