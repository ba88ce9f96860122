// The one stream of what happens to a session (docs/ARCHITECTURE.md, "Session lifecycle"): the
// lifecycle emits a named event after each transition has changed the session's state, and the
// rooms that react (transcript lines, timers, queue views; later integrations and recording)
// subscribe here instead of being called from every place a session changes.
import type { Actor, QueueRef } from '../../protocol/index.ts';
import type { LiveSession } from './live-session.ts';

export type SessionEvent =
  | { type: 'session.started'; session: LiveSession }
  | { type: 'session.queued'; session: LiveSession; queue: QueueRef }
  | { type: 'session.accepted'; session: LiveSession; repId: string; resumed: boolean }
  | { type: 'session.joined'; session: LiveSession; repId: string }
  /** `unavailable`: its rep was disabled, so it went back to a queue; `toName` names the target (or that rep). */
  | { type: 'session.transferred'; session: LiveSession; to: QueueRef; toName: string; unavailable?: boolean; left: string[] }
  | { type: 'session.held'; session: LiveSession; repId: string; left: string[] }
  /** A rep was taken out while others carry on (their account was disabled). */
  | { type: 'session.left'; session: LiveSession; repId: string; left: string[] }
  | { type: 'session.ended'; session: LiveSession; ending: Ending; from: string };

/** How a session ends: every end (a person, the agreement, the orphan deadline, an unused key) is one of these. */
export interface Ending {
  state: 'ended' | 'orphaned';
  reason: string;
  by: Actor;
  /** Where the customer is sent (orphaned sessions: the config's redirect). */
  redirectUrl?: string | null;
}

export type SessionEventType = SessionEvent['type'];
type Handler = (e: SessionEvent) => void | Promise<void>;

export class SessionEvents {
  private readonly handlers: Handler[] = [];

  /** Subscribers run in the order they subscribed, one after the other, so transcript lines keep their order. */
  subscribe(handler: Handler): void {
    this.handlers.push(handler);
  }

  async emit(e: SessionEvent): Promise<void> {
    for (const h of this.handlers) await h(e);
  }
}
