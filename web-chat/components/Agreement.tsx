// The customer agreement: accept to continue; decline, or let the countdown run out, and the
// session ends. The countdown can be extended (WCAG 2.2.1): "More time" restarts it, and a
// warning is announced once while little time is left.
import { useEffect, useRef, useState } from 'preact/hooks';
import { AGREEMENT_EXTENSIONS, AGREEMENT_WARN_SEC } from '../../protocol/limits.ts';
import type { ChatStore } from '../state/store.ts';

/** Seconds left of a countdown that restarts whenever `round` changes. */
function useCountdown(timeoutSec: number, round: number, onZero: () => void): number {
  const [left, setLeft] = useState(timeoutSec);
  useEffect(() => {
    if (!timeoutSec) return;
    const started = Date.now();
    setLeft(timeoutSec);
    const t = setInterval(() => {
      const l = Math.max(0, timeoutSec - Math.floor((Date.now() - started) / 1000));
      setLeft(l);
      if (l === 0) { clearInterval(t); onZero(); }
    }, 250);
    return () => clearInterval(t);
  }, [timeoutSec, round]);
  return left;
}

export function Agreement({ store }: { store: ChatStore }) {
  const a = store.settings.value.agreement;
  const [round, setRound] = useState(0);
  const left = useCountdown(a?.timeoutSec ?? 0, round, () => store.agree(false));
  const accept = useRef<HTMLButtonElement>(null);
  if (!a) return null;
  const warn = a.timeoutSec > AGREEMENT_WARN_SEC && left > 0 && left <= AGREEMENT_WARN_SEC;
  const canExtend = round < AGREEMENT_EXTENSIONS;
  function moreTime(): void {
    store.moreTimeOnAgreement();
    setRound((r) => r + 1);
    // The last extension removes the button: focus goes to the answer, not to the page.
    if (round + 1 >= AGREEMENT_EXTENSIONS) accept.current?.focus();
  }
  return (
    <section class="card agreement" role="dialog" aria-modal="false" aria-labelledby="agr-h" aria-describedby="agr-text">
      <h2 id="agr-h">Customer agreement</h2>
      <div id="agr-text" class="agreement-text" tabIndex={0}>{a.text}</div>
      {a.timeoutSec > 0 && <p class="countdown" aria-live="off">Please answer within <strong>{left}</strong> second{left === 1 ? '' : 's'}; otherwise the session ends.</p>}
      <p class="sr-only" role="status">{warn ? `${AGREEMENT_WARN_SEC} seconds or less left to answer the agreement.${canExtend ? ' Choose More time if you need it.' : ''}` : ''}</p>
      <div class="row">
        <button type="button" class="primary" ref={accept} autoFocus onClick={() => store.agree(true)}>Accept</button>
        <button type="button" onClick={() => store.agree(false)}>Decline</button>
        {a.timeoutSec > 0 && canExtend && <button type="button" onClick={moreTime}>More time</button>}
      </div>
    </section>
  );
}
