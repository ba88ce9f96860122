// The subjects nodes talk on and what travels on each (docs/ARCHITECTURE.md, "Several nodes").
//   bridge.session.<id>  per session: its transcript lines and what one node broadcasts to the
//                        session's participants; delivered by the node that holds them
//   bridge.records       every change of a session record (all nodes hold all open sessions)
//   bridge.presence      who of a session is connected to which node
//   bridge.nodes         a node starting, beating (alive) or stopping
//   bridge.reps          which reps are online on a node, with the availability they chose
import type { Msg } from '../../protocol/index.ts';
import type { Availability } from '../core/directory.ts';
import type { Audience, NodePresence } from '../core/live-session.ts';
import type { EventRow, SessionRow } from '../store/store.ts';

export const SESSIONS = 'bridge.session.*';
export const RECORDS = 'bridge.records';
export const PRESENCE = 'bridge.presence';
export const NODES = 'bridge.nodes';
export const REPS = 'bridge.reps';

export function sessionSubject(id: string): string {
  return `bridge.session.${id}`;
}
export function sessionOfSubject(subject: string): string {
  return subject.slice('bridge.session.'.length);
}

export type SessionMsg =
  | { k: 'event'; row: EventRow }
  | { k: 'send'; bytes: Uint8Array; to: Audience; droppable: boolean }
  /** For a room's handler on the other nodes (`NodeCalls`); `node`: who sent it, for an answer. */
  | { k: 'call'; kind: string; body: unknown; node: string }
  /** The agent's grant as its node applied it; `msg` is the agent's grant message, for reps who come later; `last` what a re-announced grant may cover (LiveSession.lastGrant). */
  | { k: 'grant'; kind: 'none' | 'view' | 'control'; reps: string[]; msg: Msg<'grant'> | null; last?: { agentId: string; epoch: number; reps: string[] } | null };
export interface RecordMsg { id: string; patch: Partial<SessionRow> }
export interface PresenceMsg extends NodePresence { node: string; id: string }
export interface NodeMsg { k: 'hello' | 'beat' | 'bye'; node: string }
export interface RepsMsg { node: string; reps: [string, Exclude<Availability, 'offline'> | null][] }
