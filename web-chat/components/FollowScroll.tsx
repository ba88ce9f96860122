// The scrolling conversation: it follows the newest line unless the reader scrolled up; then a
// "New messages" button appears that jumps to the end (docs/ARCHITECTURE.md, web chat).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../lib/i18n.ts';

/** How close to the end (px) still counts as "reading the newest". */
const END_SLACK = 48;

export interface FollowScrollProps {
  id?: string;
  /** Grows with each new line; a change while scrolled up shows the marker. */
  count: number;
  /** The newest line is the reader's own: always go to the end. */
  mine?: boolean;
  children: ComponentChildren;
}

export function FollowScroll({ id, count, mine = false, children }: FollowScrollProps) {
  const box = useRef<HTMLElement>(null);
  const inner = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  const lastTop = useRef(0);
  const [unseen, setUnseen] = useState(false);
  const toEnd = () => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
    atEnd.current = true;
    setUnseen(false);
  };
  // The button goes away once used: focus moves to the log it scrolled, not to nowhere.
  const jump = () => { toEnd(); box.current?.focus({ preventScroll: true }); };
  // Only the reader moving up leaves the end: a scroll event can arrive after more lines came in,
  // which makes our own jump to the end look short of it.
  const onScroll = () => {
    const el = box.current!;
    const top = el.scrollTop;
    if (el.scrollHeight - top - el.clientHeight <= END_SLACK) atEnd.current = true;
    else if (top < lastTop.current) atEnd.current = false;
    lastTop.current = top;
    if (atEnd.current) setUnseen(false);
  };
  // Content or box size changed (new line, file progress, a prompt opened above): stay at the end.
  useEffect(() => {
    const el = box.current, content = inner.current;
    if (!el || !content) return;
    const ro = new ResizeObserver(() => { if (atEnd.current) el.scrollTop = el.scrollHeight; });
    ro.observe(el);
    ro.observe(content);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    if (atEnd.current || mine) toEnd();
    else setUnseen(true);
  }, [count]);
  return (
    <div class="scroll-wrap">
      <main class="main scroll" id={id} ref={box} tabIndex={0} aria-label={t('chat.conversation')} onScroll={onScroll}>
        <div class="scroll-inner" ref={inner}>{children}</div>
      </main>
      {unseen && <button type="button" class="new-messages" onClick={jump}>{t('chat.newMessages')}</button>}
    </div>
  );
}
