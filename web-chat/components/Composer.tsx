// Message box: Enter sends, Shift+Enter breaks the line; typing is announced to the rep.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../state/store.ts';
import { SendFile } from './Files.tsx';
import { t } from '../lib/i18n.ts';

export function Composer({ store, disabled }: { store: ChatStore; disabled?: boolean }) {
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  // Keyboard users land in the message box when the chat opens; phones keep their keyboard closed.
  useEffect(() => { if (matchMedia('(pointer: fine)').matches) box.current?.focus(); }, []);
  const send = (e?: Event) => {
    e?.preventDefault();
    if (!text.trim()) return;
    store.say(text);
    setText('');
    box.current?.focus();
  };
  return (
    <form class="composer" onSubmit={send}>
      <label for="chat-input" class="sr-only">{t('composer.label')}</label>
      <textarea
        id="chat-input"
        ref={box}
        rows={2}
        maxLength={8000}
        placeholder={disabled ? t('composer.closed') : t('composer.placeholder')}
        disabled={disabled}
        value={text}
        onInput={(e) => { setText(e.currentTarget.value); store.setTyping(e.currentTarget.value.length > 0); }}
        onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) send(e); }}
      />
      <div class="composer-actions">
        <SendFile store={store} disabled={disabled} />
        <button type="submit" class="primary" disabled={disabled || !text.trim()}>{t('composer.send')}</button>
      </div>
    </form>
  );
}
