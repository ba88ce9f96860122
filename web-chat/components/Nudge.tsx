// What a nudge does: bring the window forward, shake the chat, chime. (The log shows the line.)
import { useEffect } from 'preact/hooks';
import type { ChatStore } from '../state/store.ts';
import { playChime } from '../lib/sound.ts';

export function NudgeEffect({ store, target = 'chat-root' }: { store: ChatStore; target?: string }) {
  const n = store.nudges.value;
  useEffect(() => {
    if (!n) return;
    window.focus();
    const el = document.getElementById(target);
    el?.classList.remove('shake');
    void el?.offsetWidth; // restart the animation when nudges come quickly
    el?.classList.add('shake');
    void playChime();
    const t = setTimeout(() => el?.classList.remove('shake'), 900);
    return () => clearTimeout(t);
  }, [n]);
  return null;
}
