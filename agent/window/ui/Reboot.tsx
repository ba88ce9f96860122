// The restart question (docs/ARCHITECTURE.md, "Reboot and reconnect"): who asks, what happens
// (the program comes back by itself and asks again before sharing), and three answers: restart,
// only log out, or not now. The answer goes to the agent over loopback; nothing restarts without it.
import { signal } from '@preact/signals';
import type { RebootAnswerKind } from '../../../protocol/index.ts';
import { useTakeFocus } from '../../../web-chat/lib/focus.ts';
import { REBOOT_PATH, type RebootAnswerBody, type RebootAskView } from '../local-api.ts';
import { t } from '../../../web-chat/lib/i18n.ts';
import { postToAgent } from './post.ts';

/** The open question, as the agent holds it. */
export const rebootAsk = signal<RebootAskView>(null);
/** The customer confirmed: the window says what happens next until it closes. */
export const rebootLeaving = signal<RebootAnswerKind | null>(null);

/** Reads the agent's open question (on start and whenever a request is relayed). */
export async function loadRebootAsk(): Promise<void> {
  try {
    rebootAsk.value = (await (await fetch(REBOOT_PATH)).json()) as RebootAskView;
  } catch { /* the agent is gone; nothing to ask */ }
}

async function answer(requestId: string, a: RebootAnswerKind): Promise<void> {
  const body: RebootAnswerBody = { requestId, answer: a };
  rebootAsk.value = null;
  if (a !== 'decline') rebootLeaving.value = a;
  await postToAgent(REBOOT_PATH, body).catch(() => {});
}

export function RebootPrompt({ ask }: { ask: NonNullable<RebootAskView> }) {
  const ref = useTakeFocus<HTMLElement>();
  return (
    <section class="card consent reboot-ask" ref={ref} tabIndex={-1} role="alertdialog" aria-labelledby="reboot-h" aria-describedby="reboot-what">
      <h2 id="reboot-h">{t('reboot.asks', { rep: ask.repName })}</h2>
      <p id="reboot-what">{t('reboot.what')}</p>
      <div class="row wrap">
        <button type="button" class="primary" onClick={() => void answer(ask.requestId, 'restart')}>{t('reboot.restart')}</button>
        <button type="button" onClick={() => void answer(ask.requestId, 'logout')}>{t('reboot.logout')}</button>
        <button type="button" class="danger" onClick={() => void answer(ask.requestId, 'decline')}>{t('common.notNow')}</button>
      </div>
    </section>
  );
}

export function RebootLeaving({ answer: a }: { answer: RebootAnswerKind }) {
  return (
    <section class="card reboot-leaving" role="status">
      <p>{t('reboot.leaving', { answer: a })}</p>
    </section>
  );
}
