// The on-screen keyboard covers the lower part of a phone's screen. Android Chrome shrinks the
// page for it (the viewport meta's interactive-widget=resizes-content); iOS Safari shrinks only
// the visual viewport, so the chat's height follows that (--app-height) and the focused text box
// is kept in view: the message box and Send stay usable while typing.
import { useEffect } from 'preact/hooks';

export function useKeyboardViewport(): void {
  useEffect(() => {
    const vv = window.visualViewport;
    if (!vv) return;
    const root = document.documentElement;
    function follow(): void {
      root.style.setProperty('--app-height', `${Math.round(vv!.height)}px`);
      const el = document.activeElement;
      if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) el.scrollIntoView({ block: 'nearest' });
    }
    vv.addEventListener('resize', follow);
    follow();
    return () => {
      vv.removeEventListener('resize', follow);
      root.style.removeProperty('--app-height');
    };
  }, []);
}
