// "Is typing", both halves, with the timings in protocol/limits.ts: the sender repeats `active`
// while keys keep coming and says it stopped after a pause; the reader hides the line when told,
// when that person's next line arrives, or after TYPING_SHOWN_MS without news.
import { TYPING_IDLE_MS, TYPING_REPEAT_MS, TYPING_SHOWN_MS } from '../protocol/limits.ts';
import type { Actor } from '../protocol/messages/index.ts';
import type { Cell } from './cell.ts';

/** The sending half: `set(true)` on every key, `set(false)` when the message is sent. */
export function typingSender(send: (active: boolean) => void) {
  let sentAt = 0;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const set = (active: boolean): void => {
    const now = Date.now();
    clearTimeout(idle);
    if (active) {
      if (now - sentAt > TYPING_REPEAT_MS) { sentAt = now; send(true); }
      idle = setTimeout(() => set(false), TYPING_IDLE_MS);
    } else if (sentAt) {
      sentAt = 0;
      send(false);
    }
  };
  return { set, dispose: () => clearTimeout(idle) };
}

/** The reading half: who is typing now, in `who`. */
export function typingWatch(who: Cell<Actor | null>) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    /** A `typing` message from someone else. */
    onTyping(from: Actor, active: boolean): void {
      clearTimeout(timer);
      who.value = active ? from : null;
      if (active) timer = setTimeout(() => (who.value = null), TYPING_SHOWN_MS);
    },
    /** A line from `from` arrived: they are done typing it. */
    onLine(from: Actor): void {
      if (who.value && samePerson(who.value, from)) { clearTimeout(timer); who.value = null; }
    },
    dispose: () => clearTimeout(timer),
  };
}

/** The customer's side (browser chat, agent) is one person; reps are told apart by id. */
const customerSide = (a: Actor) => a.role === 'customer' || a.role === 'agent';
const samePerson = (a: Actor, b: Actor) => (customerSide(a) ? customerSide(b) : a.role === b.role && a.id === b.id);
