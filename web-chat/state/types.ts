// What the chat store holds, as types the components share.
import type { Actor, EventBody } from '../../protocol/messages/index.ts';

/** One line of the chat log: a stored event (seq set) or a local line (pending send, queue message). */
export interface LogEntry {
  key: string;
  seq: number | null;
  at: number;
  from: Actor;
  body: EventBody;
  /** Our own message not yet acknowledged by the server. */
  pending?: boolean;
  /** Our own message the server refused for good (the reason follows as a system line). */
  failed?: boolean;
}

export interface Queue { position: number; estimatedWaitSec: number | null }
export interface Ended { reason: string; byNotice: boolean; noService: boolean }
export interface ActiveNotice { key: string; text: string; leaveAllowed: boolean }

/** Where the store keeps what a reload needs (sessionStorage in the browser). */
export interface PersistLike { getItem(k: string): string | null; setItem(k: string, v: string): void; removeItem(k: string): void }
