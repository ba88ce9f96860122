import type { ChatStore } from '../state/store.ts';

export function TypingIndicator({ store }: { store: ChatStore }) {
  const who = store.typing.value;
  return <div class="typing" aria-live="polite">{who ? `${who.name} is typing…` : ''}</div>;
}
