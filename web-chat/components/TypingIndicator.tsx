import type { ChatStore } from '../state/store.ts';

// Not a live region: "is typing" every few seconds would drown the messages for screen readers.
export function TypingIndicator({ store }: { store: ChatStore }) {
  const who = store.typing.value;
  return <div class="typing">{who ? `${who.name} is typing…` : ''}</div>;
}
