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

/** The focused element left the page, or can no longer hold focus (disabled or hidden). */
function gone(el: Element): boolean {
  return !el.isConnected || (el as HTMLButtonElement).disabled === true || el.closest('[hidden]') !== null;
}

/** Where focus goes when the element that had it is gone: the message box, else the ended card, else the log. */
const FALLBACKS = ['#chat-input', '.dock .ended', '#chat-main'];

/**
 * An answered prompt (a file offer, the end confirmation, the survey) leaves the page with focus in
 * it, and the browser drops focus to <body>: a keyboard or screen-reader user is lost at the top of
 * the page. Inside `root`, when the element that had focus is removed and focus fell to <body>, it
 * moves to the next useful place. Focus the customer moved away on purpose is left alone (on a
 * phone, focusing the message box would open the keyboard).
 */
export function useFocusRescue(rootId: string): void {
  useEffect(() => {
    const root = document.getElementById(rootId);
    if (!root) return;
    let last: Element | null = null;
    const onFocusIn = (e: FocusEvent) => { last = e.target as Element; };
    // A blur while the element stays in the page is the customer's doing: forget it.
    const onFocusOut = (e: FocusEvent) => { queueMicrotask(() => { if (!gone(e.target as Element)) last = null; }); };
    const rescue = () => {
      if (!last || !gone(last)) return;
      last = null;
      if (document.activeElement && document.activeElement !== document.body) return;
      for (const sel of FALLBACKS) {
        const el = root.querySelector<HTMLElement>(sel);
        if (el) { el.focus({ preventScroll: true }); return; }
      }
    };
    const watch = new MutationObserver(rescue);
    watch.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled', 'hidden'] });
    root.addEventListener('focusin', onFocusIn);
    root.addEventListener('focusout', onFocusOut);
    return () => { watch.disconnect(); root.removeEventListener('focusin', onFocusIn); root.removeEventListener('focusout', onFocusOut); };
  }, [rootId]);
}
