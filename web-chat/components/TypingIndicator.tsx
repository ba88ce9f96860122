import type { ChatStore } from '../state/store.ts';
import { t } from '../lib/i18n.ts';

// Not a live region: "is typing" every few seconds would drown the messages for screen readers.
export function TypingIndicator({ store }: { store: ChatStore }) {
  const who = store.typing.value;
  return <div class="typing">{who ? t('chat.typing', { name: who.name }) : ''}</div>;
}
