// Prompts that need the customer's answer take focus when they appear (docs/ARCHITECTURE.md,
// "Prompts where people look").
import { useEffect, useRef } from 'preact/hooks';

/** Whether the customer is in the middle of writing something (focus in a field with text). */
function typing(): boolean {
  const a = document.activeElement;
  if (a instanceof HTMLTextAreaElement) return a.value.length > 0;
  if (a instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit'].includes(a.type) && a.value.length > 0;
  return false;
}

/**
 * Focus moves to the prompt itself (give it tabIndex={-1}), not to one of its buttons: a key
 * pressed at that moment must not answer it. While the customer is typing a message focus stays
 * put and the prompt's role (alertdialog / alert) announces it instead.
 */
export function useTakeFocus<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (!typing()) el.focus({ preventScroll: true });
    showInDock(el);
  }, []);
  return ref;
}

/** The dock scrolls itself when it holds a lot: bring a new prompt's top into its view. */
function showInDock(el: HTMLElement): void {
  const dock = el.closest<HTMLElement>('.dock');
  if (!dock) return;
  const top = el.getBoundingClientRect().top - dock.getBoundingClientRect().top;
  if (top < 0 || top > dock.clientHeight - 48) dock.scrollTop += top - 8;
}
