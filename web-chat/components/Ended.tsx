// "The session has ended": pinned in the dock and focused, so a customer scrolled anywhere in a
// long chat sees it (and a screen reader reads it).
import type { ComponentChildren } from 'preact';
import { useTakeFocus } from '../lib/focus.ts';
import { t } from '../lib/i18n.ts';

export function EndedCard({ children }: { children: ComponentChildren }) {
  const ref = useTakeFocus<HTMLElement>();
  return (
    <section class="card ended" ref={ref} tabIndex={-1} role="alert" aria-labelledby="end-h">
      <h2 id="end-h">{t('ended.title')}</h2>
      {children}
    </section>
  );
}
