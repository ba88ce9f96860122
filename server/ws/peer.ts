// One WebSocket connection after its handshake: who it is, and sending with the slow-consumer
// policy (frames are dropped when the socket is backed up; a socket that stays over the hard
// limit is closed instead of buffering without bound).
import type { WebSocket } from 'ws';
import { ErrorCode, MiB, type Actor, type Message, type Role } from '../../protocol/index.ts';
import { encodeOut } from '../outgoing.ts';

/** Above this many buffered bytes, frames to this socket are dropped (the agent resends state on refresh). */
export const FRAME_DROP_BYTES = 4 * MiB;
/** Above this, a socket is in trouble; it is closed if it stays there for HARD_LIMIT_MS. */
export const HARD_LIMIT_BYTES = 64 * MiB;
export const HARD_LIMIT_MS = 15_000;

export class Peer {
  /** Set once the handshake succeeded. */
  ready = false;
  sessionId: string | null = null;
  participantId = '';
  repId: string | null = null;
  actor: Actor;
  private overSince = 0;

  constructor(
    readonly ws: WebSocket,
    readonly role: Role,
    /** Reps: the hash of the login cookie the upgrade carried. */
    readonly loginHash: string | null,
    /** Reps: the raw cookie value, for deriving the resume token. */
    readonly loginToken: string | null,
  ) {
    this.actor = { role, name: role === 'rep' ? 'Representative' : 'Customer' };
  }

  /** Closes the socket at `at` (ms since the epoch) unless it closed before: a rep's login ends then. */
  closeAt(at: number, code: number, reason: string): void {
    // setTimeout takes at most 2^31-1 ms (24.8 days); a later end is re-armed when that fires.
    const timer = setTimeout(() => {
      if (Date.now() >= at) this.ws.close(code, reason);
      else this.closeAt(at, code, reason);
    }, Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1));
    timer.unref();
    this.ws.once('close', () => clearTimeout(timer));
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  send(msg: Message): void {
    this.sendBytes(encodeOut(msg));
  }

  /** Control data: never dropped, but a socket stuck over the hard limit is closed. */
  sendBytes(bytes: Uint8Array): void {
    if (!this.open) return;
    if (this.ws.bufferedAmount > HARD_LIMIT_BYTES) {
      const now = Date.now();
      if (!this.overSince) this.overSince = now;
      else if (now - this.overSince > HARD_LIMIT_MS) {
        this.ws.terminate();
        return;
      }
    } else this.overSince = 0;
    this.ws.send(bytes);
  }

  /** Frames and other droppable bulk: false when dropped because the socket is backed up. */
  sendDroppable(bytes: Uint8Array): boolean {
    if (!this.open || this.ws.bufferedAmount > FRAME_DROP_BYTES) return false;
    this.ws.send(bytes);
    return true;
  }

  error(code: (typeof ErrorCode)[keyof typeof ErrorCode], message: string, ref?: string): void {
    this.send(ref === undefined ? { t: 'error', code, message } : { t: 'error', code, message, ref });
  }
}
