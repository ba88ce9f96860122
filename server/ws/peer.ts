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
  /** While a transcript replay reads the store: how many replays hold this socket, and the sends waiting. */
  private holds = 0;
  private held: Uint8Array[] = [];
  private heldBytes = 0;

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
    if (this.holds > 0) return this.keep(bytes);
    this.write(bytes);
  }

  /**
   * A transcript replay starts (docs/ARCHITECTURE.md, "No loss"): the socket is in the session's
   * peers already, so no live line can be missed, but live lines must not reach it before the
   * replayed ones (a client takes a seq at or below the last it saw as a repeat). Until
   * `release`, live sends wait here (frames are dropped, as on a backed-up socket).
   */
  hold(): void {
    this.holds++;
  }

  /** The replay's lines go out, then (once no replay holds the socket) the live sends that waited. */
  release(replayed: Uint8Array[]): void {
    this.holds--;
    for (const bytes of replayed) this.sendNow(bytes);
    if (this.holds > 0) return;
    const waited = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const bytes of waited) this.sendNow(bytes);
  }

  private sendNow(bytes: Uint8Array): void {
    if (this.open) this.write(bytes);
  }

  /** Held sends are bounded as the socket's own buffer is: past the hard limit the socket goes. */
  private keep(bytes: Uint8Array): void {
    this.heldBytes += bytes.byteLength;
    if (this.heldBytes > HARD_LIMIT_BYTES) {
      this.ws.terminate();
      return;
    }
    this.held.push(bytes);
  }

  private write(bytes: Uint8Array): void {
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
    if (!this.open || this.holds > 0 || this.ws.bufferedAmount > FRAME_DROP_BYTES) return false;
    this.ws.send(bytes);
    return true;
  }

  error(code: (typeof ErrorCode)[keyof typeof ErrorCode], message: string, ref?: string): void {
    this.send(ref === undefined ? { t: 'error', code, message } : { t: 'error', code, message, ref });
  }
}
