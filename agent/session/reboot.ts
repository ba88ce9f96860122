// The customer's side of reboot and reconnect (docs/ARCHITECTURE.md, "Reboot and reconnect"): a
// rep's request waits here until the customer answers in the window: restart, only log out, or
// not now. After a confirmation the server's ticket (the one-time credential) is handed to the
// run, which prepares the start-up entry and restarts. Nothing restarts without this answer.
import type { Msg, RebootAnswerKind } from '../../protocol/index.ts';
import type { Upstream } from '../window/host/relay.ts';

export interface RebootAsk { requestId: string; repName: string }

export interface RebootDeps {
  up: Upstream;
  /** The customer confirmed and the server sent the credential: prepare and restart. */
  onTicket: (ticket: Msg<'reboot.ticket'>) => void;
  /** A new question for the customer (the window is told by the relayed request; the terminal here). */
  onAsk?: (ask: RebootAsk) => void;
  log?: (line: string) => void;
}

export class RebootDesk {
  private asking: (RebootAsk & { sessionId: string }) | null = null;
  /** The request the customer confirmed, until its ticket arrives. */
  private confirmed: string | null = null;

  constructor(private readonly d: RebootDeps) {}

  /** The open question, for the window (null when nothing is asked). */
  get ask(): RebootAsk | null {
    return this.asking ? { requestId: this.asking.requestId, repName: this.asking.repName } : null;
  }

  /** The server passes on a rep's request (again after a reconnect: same id, asked once). */
  request(msg: Msg<'reboot.request'>): void {
    if (!msg.requestId || this.asking?.requestId === msg.requestId || this.confirmed === msg.requestId) return;
    this.asking = { sessionId: msg.sessionId, requestId: msg.requestId, repName: msg.from?.name ?? 'Your representative' };
    this.d.onAsk?.(this.ask!);
  }

  /** The customer's answer; false when it answers nothing open (a stale window). */
  answer(requestId: string, answer: RebootAnswerKind): boolean {
    const a = this.asking;
    if (!a || a.requestId !== requestId) return false;
    this.asking = null;
    if (answer !== 'decline') this.confirmed = requestId;
    this.d.up.send({ t: 'reboot.answer', sessionId: a.sessionId, requestId, answer });
    this.d.log?.(answer === 'decline' ? 'Restart declined' : `The customer confirmed: ${answer === 'restart' ? 'restart' : 'log out'}`);
    return true;
  }

  /** The server's credential for the confirmed request. */
  ticket(msg: Msg<'reboot.ticket'>): void {
    if (msg.requestId !== this.confirmed) return;
    this.confirmed = null;
    this.d.onTicket(msg);
  }
}
