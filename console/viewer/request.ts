// The outstanding screen request of one session, as the server keeps it (`session.screenRequest`,
// docs/ARCHITECTURE.md "Rep console"), and why the last one ended without a grant (the
// server's transcript line: screen.declined / screen.timeout / screen.cancelled). Nothing here
// waits on its own: "waiting" is shown only while the server says a request is outstanding,
// or for a moment after this rep clicked, until the server's answer arrives.
import { signal } from '@preact/signals';
import type { Event, Message, PendingScreenRequest } from '../../protocol/index.ts';

/** Sends one message on the rep's connection; false when it can't go now. */
export type Send = (msg: Message) => boolean;

/** How long a click alone shows "asking…" before the server's session state must confirm it. */
export const ASKING_MS = 5000;

export type Want = PendingScreenRequest['want'];
/** How the last request ended: its transcript line (code, params, English text) and when. */
export interface Outcome { code: string; text: string; params?: Record<string, string | number>; at: number }

const OUTCOME_CODES = new Set(['screen.declined', 'screen.timeout', 'screen.cancelled']);

export class RequestState {
  /** The session's outstanding request (this rep's or another's), or null. */
  readonly pending = signal<PendingScreenRequest | null>(null);
  /** This rep just asked and the server has not said so yet. */
  readonly asking = signal<{ want: Want; at: number } | null>(null);
  /** Why the last request ended without a grant; cleared by the next request or grant. */
  readonly outcome = signal<Outcome | null>(null);

  constructor(private readonly sessionId: string, readonly repId: string, private readonly send: Send) {}

  ask(want: Want): void {
    if (this.send({ t: 'screen.request', sessionId: this.sessionId, want })) this.asking.value = { want, at: Date.now() };
  }

  /** Withdraws the outstanding request (the server writes the transcript line and clears it). */
  cancel(): boolean {
    const p = this.pending.value;
    return p !== null && this.send({ t: 'screen.cancel', sessionId: this.sessionId, requestId: p.id });
  }

  /** What is outstanding now: the server's request, or this rep's click for a few seconds. */
  waiting(at = Date.now()): { want: Want; since: number; repId: string; repName: string | null; id: string | null } | null {
    const p = this.pending.value;
    if (p) return { want: p.want, since: p.at, repId: p.repId, repName: p.repName, id: p.id };
    const a = this.asking.value;
    return a && at - a.at < ASKING_MS ? { want: a.want, since: a.at, repId: this.repId, repName: null, id: null } : null;
  }

  onSession(request: PendingScreenRequest | null): void {
    this.pending.value = request;
    // A new request supersedes the last one's outcome.
    if (request) { this.asking.value = null; this.outcome.value = null; }
  }

  /** A grant (message or transcript line) answers any request. */
  onGranted(): void {
    this.asking.value = null;
    this.outcome.value = null;
  }

  onEvent(e: Event): void {
    const b = e.body;
    if (b.kind === 'grant' || (b.kind === 'system' && b.code === 'screen.requested')) this.outcome.value = null;
    else if (b.kind === 'system' && OUTCOME_CODES.has(b.code)) {
      this.outcome.value = { code: b.code, text: b.text, ...(b.params ? { params: b.params } : {}), at: e.at };
      this.asking.value = null;
    }
  }
}
