// The customer agreement: accept to continue; decline, or let the countdown run out, and the
// session ends.
import { useEffect, useState } from 'preact/hooks';
import type { ChatStore } from '../state/store.ts';
import { t } from '../lib/i18n.ts';
import { agreementText } from '../lib/site-texts.ts';

export function Agreement({ store }: { store: ChatStore }) {
  const a = store.settings.value.agreement;
  const [left, setLeft] = useState(a?.timeoutSec ?? 0);
  useEffect(() => {
    if (!a?.timeoutSec) return;
    const started = Date.now();
    const t = setInterval(() => {
      const l = Math.max(0, a.timeoutSec - Math.floor((Date.now() - started) / 1000));
      setLeft(l);
      if (l === 0) { clearInterval(t); store.agree(false); }
    }, 250);
    return () => clearInterval(t);
  }, [a?.timeoutSec]);
  if (!a) return null;
  return (
    <section class="card agreement" role="dialog" aria-modal="false" aria-labelledby="agr-h" aria-describedby="agr-text">
      <h2 id="agr-h">{t('agreement.title')}</h2>
      <div id="agr-text" class="agreement-text" tabIndex={0} dir="auto">{agreementText(store.settings.value)}</div>
      {a.timeoutSec > 0 && <p class="countdown" aria-live="off">{t('agreement.countdown', { n: left })}</p>}
      <div class="row">
        <button type="button" class="primary" autoFocus onClick={() => store.agree(true)}>{t('agreement.accept')}</button>
        <button type="button" onClick={() => store.agree(false)}>{t('common.decline')}</button>
      </div>
    </section>
  );
}
