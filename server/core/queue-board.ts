// The rep consoles' view of the queues (docs/ARCHITECTURE.md "Queue views"): the last state sent,
// kept indexed by queue and by rep, so a change goes out as a delta to the consoles whose rep may
// see it, and a snapshot is cut only when a console connects or asks for one.
import type { Msg, QueueRef, SessionInfo } from '../../protocol/index.ts';
import type { Peer } from '../ws/peer.ts';
import type { Directory } from './directory.ts';
import { queueKey, type LiveSession, type QueueKey } from './live-session.ts';
import type { RepConsoles } from './rep-consoles.ts';
import type { SessionRegistry } from './registry.ts';
import type { SessionViews } from './views.ts';

/** One session as the consoles last saw it: in a queue (queued, held) and/or in reps' own lists (active). */
interface Entry {
  ref: QueueRef | null;
  key: QueueKey | null;
  repIds: readonly string[];
  info: SessionInfo;
  json: string;
}

type Delta = Omit<Msg<'rep.queues.delta'>, 't' | 'seq'>;

const emptyDelta = (): Delta => ({ added: [], changed: [], removed: [], mineAdded: [], mineChanged: [], mineRemoved: [], reps: [], repsRemoved: [] });

/** Where a session shows in consoles now, or null when it shows nowhere. */
function placement(ls: LiveSession): { ref: QueueRef | null; repIds: readonly string[] } | null {
  const state = ls.row.state;
  if (state === 'queued' || state === 'held') return { ref: ls.queueRef, repIds: [] };
  if (state === 'active') return { ref: null, repIds: [...ls.repIds] };
  return null;
}

export class QueueBoard {
  private readonly entries = new Map<string, Entry>();
  private readonly byQueue = new Map<QueueKey, Map<string, Entry>>();
  private readonly byRep = new Map<string, Map<string, Entry>>();
  private readonly dirty = new Set<string>();
  /** Every session is looked at on the first flush and after the directory changed (names, teams). */
  private scanAll = true;
  /** Each rep's presence as last sent (JSON), by rep id. */
  private readonly repsSent = new Map<string, string>();
  /** Per console: the seq of the last snapshot or delta sent; a console without one has no snapshot yet. */
  private readonly seqs = new WeakMap<Peer, number>();
  private pending = false;

  constructor(
    private readonly registry: SessionRegistry,
    private readonly dir: Directory,
    private readonly views: SessionViews,
    private readonly consoles: RepConsoles,
    private readonly canSee: (repId: string, ref: QueueRef) => boolean,
  ) {}

  /** A session's state, queue, reps or details may have changed. */
  touch(sessionId: string): void {
    this.dirty.add(sessionId);
    this.schedule();
  }

  /** Reps, teams or names changed: every session is compared again, and every console gets a snapshot. */
  directoryChanged(): void {
    this.scanAll = true;
    this.flush();
    for (const [, peers] of this.consoles.byRep()) for (const p of peers) if (this.seqs.has(p)) this.sendSnapshot(p);
  }

  /** Changes are gathered for one turn of the event loop and sent together. */
  schedule(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => this.flush());
  }

  /** Everything this rep may see, numbered so the deltas that follow continue from it. */
  sendSnapshot(peer: Peer): void {
    this.flush();
    const repId = peer.repId!;
    const seq = this.seqs.get(peer) ?? 0;
    this.seqs.set(peer, seq);
    const queues = this.refsFor(repId).map((ref) => ({ ref, name: this.views.queueName(ref), sessions: this.queueSessions(queueKey(ref)) }));
    const mine = [...(this.byRep.get(repId)?.values() ?? [])].map((e) => e.info);
    peer.send({ t: 'rep.queues', seq, queues, mine, reps: this.dir.repList() });
  }

  /** The queues a rep's console lists: their own, their teams' (an admin: every team and rep), the general one. */
  private refsFor(repId: string): QueueRef[] {
    const admin = this.dir.reps.get(repId)?.is_admin === 1;
    const refs: QueueRef[] = [{ kind: 'personal', id: repId }];
    for (const id of admin ? this.dir.teams.keys() : this.dir.teamsOf(repId)) refs.push({ kind: 'team', id });
    refs.push({ kind: 'general' });
    if (admin) for (const id of this.dir.reps.keys()) if (id !== repId) refs.push({ kind: 'personal', id });
    return refs;
  }

  /** Oldest first, as customers wait. */
  private queueSessions(key: QueueKey): SessionInfo[] {
    return [...(this.byQueue.get(key)?.values() ?? [])].map((e) => e.info).sort((a, b) => (a.queuedAt ?? 0) - (b.queuedAt ?? 0));
  }

  /** Compares the touched sessions with what was sent and sends each console its part of the difference. */
  flush(): void {
    this.pending = false;
    if (this.scanAll) {
      this.scanAll = false;
      for (const id of this.entries.keys()) this.dirty.add(id);
      for (const s of this.registry.all()) this.dirty.add(s.id);
    }
    const out = new Map<string, Delta>();
    const delta = (repId: string): Delta => {
      let d = out.get(repId);
      if (!d) out.set(repId, (d = emptyDelta()));
      return d;
    };
    const viewerCache = new Map<QueueKey, string[]>();
    const viewers = (ref: QueueRef, key: QueueKey): string[] => {
      let v = viewerCache.get(key);
      if (!v) viewerCache.set(key, (v = [...this.consoles.byRep()].map(([id]) => id).filter((id) => this.canSee(id, ref))));
      return v;
    };
    for (const id of this.dirty) {
      const ls = this.registry.get(id);
      const prev = this.entries.get(id);
      const place = ls ? placement(ls) : null;
      if (!prev && !place) continue;
      if (prev) this.unindex(id, prev);
      if (!ls || !place) {
        if (prev?.ref) for (const r of viewers(prev.ref, prev.key!)) delta(r).removed.push({ ref: prev.ref, sessionId: id });
        for (const r of prev?.repIds ?? []) if (this.consoles.has(r)) delta(r).mineRemoved.push(id);
        continue;
      }
      const info = this.views.info(ls);
      const json = JSON.stringify(info);
      const changed = json !== prev?.json;
      const entry: Entry = { ref: place.ref, key: place.ref ? queueKey(place.ref) : null, repIds: place.repIds, info, json };
      this.index(id, entry);
      if (prev?.ref && prev.key !== entry.key) for (const r of viewers(prev.ref, prev.key!)) delta(r).removed.push({ ref: prev.ref, sessionId: id });
      if (entry.ref) {
        const list = prev?.key === entry.key ? (changed ? 'changed' : null) : 'added';
        if (list) for (const r of viewers(entry.ref, entry.key!)) delta(r)[list].push({ ref: entry.ref, session: info });
      }
      const before = prev?.repIds ?? [];
      for (const r of before) if (!entry.repIds.includes(r) && this.consoles.has(r)) delta(r).mineRemoved.push(id);
      for (const r of entry.repIds) {
        if (!this.consoles.has(r)) continue;
        if (!before.includes(r)) delta(r).mineAdded.push(info);
        else if (changed) delta(r).mineChanged.push(info);
      }
    }
    this.dirty.clear();
    const { reps, repsRemoved } = this.repChanges();
    for (const [repId, peers] of this.consoles.byRep()) {
      const d = out.get(repId);
      if (!d && reps.length === 0 && repsRemoved.length === 0) continue;
      const body = { ...(d ?? emptyDelta()), reps, repsRemoved };
      for (const p of peers) {
        const last = this.seqs.get(p);
        if (last === undefined) continue; // its snapshot comes after and includes this
        this.seqs.set(p, last + 1);
        p.send({ t: 'rep.queues.delta', seq: last + 1, ...body });
      }
    }
  }

  private repChanges(): Pick<Delta, 'reps' | 'repsRemoved'> {
    const reps: Delta['reps'] = [];
    const seen = new Set<string>();
    for (const r of this.dir.repList()) {
      seen.add(r.id);
      const json = JSON.stringify(r);
      if (this.repsSent.get(r.id) === json) continue;
      this.repsSent.set(r.id, json);
      reps.push(r);
    }
    const repsRemoved = [...this.repsSent.keys()].filter((id) => !seen.has(id));
    for (const id of repsRemoved) this.repsSent.delete(id);
    return { reps, repsRemoved };
  }

  private index(id: string, e: Entry): void {
    this.entries.set(id, e);
    if (e.key) {
      if (!this.byQueue.has(e.key)) this.byQueue.set(e.key, new Map());
      this.byQueue.get(e.key)!.set(id, e);
    }
    for (const r of e.repIds) {
      if (!this.byRep.has(r)) this.byRep.set(r, new Map());
      this.byRep.get(r)!.set(id, e);
    }
  }

  private unindex(id: string, e: Entry): void {
    this.entries.delete(id);
    if (e.key) this.byQueue.get(e.key)?.delete(id);
    for (const r of e.repIds) this.byRep.get(r)?.delete(id);
  }
}
