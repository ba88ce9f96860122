// The console's queue view, folded from the server's `rep.queues` snapshot and the
// `rep.queues.delta` changes numbered after it (docs/ARCHITECTURE.md "Queue views"). Pure: the
// console's client writes the result into the store; tests fold what the wire carried the same way.
import type { Msg, QueueRef, QueueView, SessionInfo } from '../protocol/index.ts';

export interface QueueState {
  /** The seq of the last snapshot or delta applied; null before the first snapshot and after a gap. */
  seq: number | null;
  queues: QueueView[];
  mine: SessionInfo[];
  reps: Msg<'rep.queues'>['reps'];
}

export const emptyQueueState = (): QueueState => ({ seq: null, queues: [], mine: [], reps: [] });

const refKey = (r: QueueRef) => (r.kind === 'general' ? 'general' : `${r.kind}:${r.id ?? ''}`);

/** The new state, and whether a delta was missed (then ask for a snapshot: deltas wait for it). */
export function applyQueues(state: QueueState, msg: Msg<'rep.queues'> | Msg<'rep.queues.delta'>): { state: QueueState; gap: boolean } {
  if (msg.t === 'rep.queues') return { state: { seq: msg.seq, queues: msg.queues, mine: msg.mine, reps: msg.reps }, gap: false };
  if (state.seq === null) return { state, gap: false };
  if (msg.seq !== state.seq + 1) return { state: { ...state, seq: null }, gap: true };
  return {
    state: {
      seq: msg.seq,
      queues: applyToQueues(state.queues, msg),
      mine: upsert(state.mine, new Set(msg.mineRemoved), [...msg.mineAdded, ...msg.mineChanged]),
      reps: msg.reps.length || msg.repsRemoved.length ? upsert(state.reps, new Set(msg.repsRemoved), msg.reps) : state.reps,
    },
    gap: false,
  };
}

/** Only the queues a delta touches are rebuilt (the others keep their identity for rendering). */
function applyToQueues(queues: QueueView[], d: Msg<'rep.queues.delta'>): QueueView[] {
  const removed = new Map<string, Set<string>>();
  const put = new Map<string, SessionInfo[]>();
  for (const r of d.removed) removed.set(refKey(r.ref), (removed.get(refKey(r.ref)) ?? new Set()).add(r.sessionId));
  for (const e of [...d.added, ...d.changed]) put.set(refKey(e.ref), [...(put.get(refKey(e.ref)) ?? []), e.session]);
  if (removed.size === 0 && put.size === 0) return queues;
  return queues.map((q) => {
    const k = refKey(q.ref);
    if (!removed.has(k) && !put.has(k)) return q;
    const sessions = upsert(q.sessions, removed.get(k) ?? new Set(), put.get(k) ?? []);
    return { ...q, sessions: sessions.sort((a, b) => (a.queuedAt ?? 0) - (b.queuedAt ?? 0)) };
  });
}

/** Removes the ids, replaces items with the same id in place, appends the new ones. */
function upsert<T extends { id: string }>(list: readonly T[], remove: ReadonlySet<string>, items: readonly T[]): T[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  const out: T[] = [];
  for (const x of list) {
    if (remove.has(x.id)) continue;
    const y = byId.get(x.id);
    out.push(y ?? x);
    byId.delete(x.id);
  }
  for (const y of byId.values()) if (!remove.has(y.id)) out.push(y);
  return out;
}
