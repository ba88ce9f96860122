// What participants are told about a session: its SessionInfo (names from the directory) and
// the `session` message. Read-only: nothing here changes a session.
import type { QueueRef, SessionInfo } from '../../protocol/index.ts';
import type { Directory } from './directory.ts';
import type { LiveSession } from './live-session.ts';

export class SessionViews {
  private readonly sentHandlers: ((ls: LiveSession) => void)[] = [];

  constructor(private readonly dir: Directory) {}

  /** Called after each `session` message (the queue views follow the same changes). */
  onSent(handler: (ls: LiveSession) => void): void {
    this.sentHandlers.push(handler);
  }

  queueName(ref: QueueRef): string {
    if (ref.kind === 'general') return 'General queue';
    if (ref.kind === 'team') return this.dir.teamName(ref.id);
    return `${this.dir.repName(ref.id ?? '').slice(0, 185)} (personal)`;
  }

  info(ls: LiveSession): SessionInfo {
    return ls.info((id) => this.dir.repName(id), this.queueName(ls.queueRef));
  }

  /** Tells every participant the session's current state. */
  sendSession(ls: LiveSession): void {
    ls.broadcast({ t: 'session', session: this.info(ls) });
    for (const h of this.sentHandlers) h(ls);
  }
}
