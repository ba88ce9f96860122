// The restart question (docs/ARCHITECTURE.md, "Reboot and reconnect"): who asks, what happens
// (the program comes back by itself and asks again before sharing), and three answers: restart,
// only log out, or not now. The answer goes to the agent over loopback; nothing restarts without it.
import { signal } from '@preact/signals';
import type { RebootAnswerKind } from '../../../protocol/index.ts';
import { useTakeFocus } from '../../../web-chat/lib/focus.ts';
import { REBOOT_PATH, type RebootAnswerBody, type RebootAskView } from '../local-api.ts';

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
  await fetch(REBOOT_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => {});
}

export function RebootPrompt({ ask }: { ask: NonNullable<RebootAskView> }) {
  const ref = useTakeFocus<HTMLElement>();
  return (
    <section class="card consent reboot-ask" ref={ref} tabIndex={-1} role="alertdialog" aria-labelledby="reboot-h" aria-describedby="reboot-what">
      <h2 id="reboot-h">{ask.repName} asks to restart this computer</h2>
      <p id="reboot-what">Save your work and close your programs first. After the restart this support program starts again by itself and rejoins the session; it asks you again before your screen is shared.</p>
      <div class="row wrap">
        <button type="button" class="primary" onClick={() => void answer(ask.requestId, 'restart')}>Restart now</button>
        <button type="button" onClick={() => void answer(ask.requestId, 'logout')}>Only log out</button>
        <button type="button" class="danger" onClick={() => void answer(ask.requestId, 'decline')}>Not now</button>
      </div>
    </section>
  );
}

export function RebootLeaving({ answer: a }: { answer: RebootAnswerKind }) {
  return (
    <section class="card reboot-leaving" role="status">
      <p>{a === 'restart' ? 'Restarting your computer…' : 'Logging you out…'} The support program comes back by itself afterwards.</p>
    </section>
  );
}
