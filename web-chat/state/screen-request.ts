// The rep's outstanding screen request as the customer sees it: session state
// (docs/ARCHITECTURE.md, web chat "Screen request and agent state"), hidden once answered here.
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Message, PendingScreenRequest, SessionInfo } from '../../protocol/messages/index.ts';

export function createScreenRequest(sessionId: string, session: ReadonlySignal<SessionInfo | null>, over: ReadonlySignal<boolean>, send: (m: Message) => boolean) {
  /** A request answered here, hidden until the server's next `session` drops it. */
  const answered = signal<string | null>(null);
  const screenRequest = computed<PendingScreenRequest | null>(() => {
    const r = session.value?.screenRequest ?? null;
    return r && r.id !== answered.value && !over.value ? r : null;
  });
  return {
    screenRequest,
    /** The request was answered here (agent window): hide it now, not at the server's next update. */
    dismissScreenRequest(): void { answered.value = screenRequest.value?.id ?? null; },
    /** The customer refuses the outstanding request (browser chat: no agent needed to say no). */
    declineScreen(): void {
      const r = screenRequest.value;
      if (!r) return;
      // Offline, the card stays: the refusal would be lost and the request still open.
      if (send({ t: 'screen.decline', sessionId, requestId: r.id })) answered.value = r.id;
    },
  };
}
