// A tiny element builder: attributes as strings, `on…` keys as listeners, children as nodes or
// text (never HTML, so nothing a page or a server sends is parsed as markup).
type Attrs = Record<string, string | ((e: never) => void)>;

export function h(tag: string, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else el.setAttribute(k, v);
  }
  el.append(...children.filter((c) => c !== ''));
  return el;
}
