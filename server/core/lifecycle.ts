// The session lifecycle (docs/ARCHITECTURE.md, "Session lifecycle"): the only code that changes a
// session's state. Each transition checks it is allowed, changes the row, then emits its named
// event on the one stream (session-events.ts). States and transitions:
//
//   pending ─queue→ queued ─accept→ active ─hold→ held ─accept (resume)→ active
//   queued/held/active ─transfer→ queued            active ─join→ active (another rep)
//   any open state ─end→ ended | orphaned           (end() is the one way out)
import { ErrorCode, ProtocolError, type Actor, type QueueRef } from '../../protocol/index.ts';
import type { LiveSettings } from '../settings/live-settings.ts';
import { newId } from '../secrets.ts';
import type { SessionRow, Store } from '../store/store.ts';
import type { Peer } from '../ws/peer.ts';
import type { Directory } from './directory.ts';
import type { LiveSession } from './live-session.ts';
import type { Queues } from './queues.ts';
import type { Reboots } from './reboots.ts';
import type { RepConsoles } from './rep-consoles.ts';
import type { SessionRegistry } from './registry.ts';
import type { ScreenRequests } from './screen-requests.ts';
import type { Ending, SessionEvents } from './session-events.ts';
import type { Transcript } from './transcript.ts';
import type { SessionViews } from './views.ts';

export type TransferTarget = { kind: 'rep'; id: string } | { kind: 'team'; id: string } | { kind: 'general' };

export interface LifecycleRooms {
  settings: LiveSettings;
  store: Store;
  dir: Directory;
  registry: SessionRegistry;
  views: SessionViews;
  queues: Queues;
  transcript: Transcript;
  screen: ScreenRequests;
  reboots: Reboots;
  consoles: RepConsoles;
  events: SessionEvents;
}

export class SessionLifecycle {
  constructor(private readonly r: LifecycleRooms) {}

  async create(fields: Partial<SessionRow> & { queue: QueueRef }): Promise<LiveSession> {
    const ls = await this.r.registry.create(fields);
    await this.r.events.emit({ type: 'session.started', session: ls });
    return ls;
  }

  /** Into a queue: a customer joined a pending session, a portal submit, or a transfer. */
  async enqueue(ls: LiveSession, ref: QueueRef): Promise<void> {
    await this.r.registry.patch(ls, {
      state: 'queued', queue_kind: ref.kind, queue_id: ref.kind === 'general' ? null : ref.id ?? null, queued_at: Date.now(),
      orphan_at: Date.now() + this.r.settings.get().orphan.timeoutSec * 1000,
      ...(ref.kind === 'team' ? { team_id: ref.id ?? null } : {}),
    });
    this.r.views.sendSession(ls);
    await this.r.events.emit({ type: 'session.queued', session: ls, queue: ref });
  }

  async accept(peer: Peer, ls: LiveSession): Promise<void> {
    const repId = peer.repId!;
    if (ls.row.state !== 'queued' && ls.row.state !== 'held') throw new ProtocolError(ErrorCode.Conflict, `the session is ${ls.row.state}, not waiting`);
    if (!this.r.queues.repCanSeeQueue(repId, ls.queueRef)) throw new ProtocolError(ErrorCode.Forbidden, 'that queue is not yours');
    const now = Date.now();
    const first = ls.row.accepted_at === null;
    const resumed = ls.row.state === 'held';
    if (ls.row.state === 'queued' && ls.row.queued_at !== null) this.r.queues.recordWait(now - ls.row.queued_at);
    const team = ls.row.team_id ?? this.r.dir.teamsOf(repId)[0] ?? null;
    await this.r.registry.patch(ls, { state: 'active', primary_rep_id: repId, accepted_at: first ? now : ls.row.accepted_at, team_id: team, orphan_at: null });
    await this.addRep(ls, repId);
    this.r.views.sendSession(ls);
    await this.r.events.emit({ type: 'session.accepted', session: ls, repId, resumed });
  }

  /**
   * Who may join a session someone else is working on (docs/ARCHITECTURE.md, "Who may join"):
   * an admin, or a member of the session's team (the queue's team, else the accepting rep's
   * first team). Being able to see the general queue is not enough once the session is taken;
   * anyone else needs a transfer from a rep in it.
   */
  mayJoin(repId: string, ls: LiveSession): boolean {
    const rep = this.r.dir.reps.get(repId);
    if (!rep) return false;
    if (rep.is_admin === 1) return true;
    return ls.row.team_id !== null && this.r.dir.teamsOf(repId).includes(ls.row.team_id);
  }

  async joinRep(peer: Peer, ls: LiveSession): Promise<void> {
    const repId = peer.repId!;
    if (ls.row.state !== 'active') throw new ProtocolError(ErrorCode.Conflict, `the session is ${ls.row.state}: only an active session can be joined (accept it from its queue instead)`);
    if (ls.repIds.includes(repId)) return;
    if (!this.mayJoin(repId, ls)) {
      throw new ProtocolError(ErrorCode.Forbidden, 'only the session\'s team and administrators may join it: ask a representative in the session to transfer it to you');
    }
    await this.addRep(ls, repId);
    this.r.views.sendSession(ls);
    await this.r.events.emit({ type: 'session.joined', session: ls, repId });
  }

  async transfer(peer: Peer, ls: LiveSession, to: TransferTarget): Promise<void> {
    ls.requireRep(peer);
    if (ls.closed) throw new ProtocolError(ErrorCode.Ended, 'the session has ended');
    const { dir } = this.r;
    let ref: QueueRef;
    let toName = '';
    if (to.kind === 'rep') {
      if (!dir.reps.has(to.id)) throw new ProtocolError(ErrorCode.NotFound, 'no such representative');
      ref = { kind: 'personal', id: to.id };
      toName = dir.repName(to.id);
    } else if (to.kind === 'team') {
      if (!dir.teams.has(to.id)) throw new ProtocolError(ErrorCode.NotFound, 'no such team');
      ref = { kind: 'team', id: to.id };
      toName = dir.teamName(to.id);
    } else {
      ref = { kind: 'general' };
    }
    const left = await this.removeReps(ls);
    await this.r.registry.patch(ls, { primary_rep_id: null });
    await this.enqueue(ls, ref);
    await this.r.events.emit({ type: 'session.transferred', session: ls, to: ref, toName, left });
  }

  async hold(peer: Peer, ls: LiveSession): Promise<void> {
    ls.requireRep(peer);
    if (ls.row.state !== 'active') throw new ProtocolError(ErrorCode.Conflict, `the session is ${ls.row.state}`);
    const repId = peer.repId!;
    const left = await this.removeReps(ls);
    await this.r.registry.patch(ls, { state: 'held', queue_kind: 'personal', queue_id: repId });
    this.r.views.sendSession(ls);
    await this.r.events.emit({ type: 'session.held', session: ls, repId, left });
  }

  /**
   * A rep who may no longer work (an administrator disabled them) leaves every open session. One
   * that others are in carries on without them; one they had alone, held, or that waits in their
   * personal queue goes back to a queue someone sees: the queue it came from, or for their own
   * queue the session's team, else the general queue (docs/ARCHITECTURE.md, "Administration").
   */
  async releaseRep(repId: string): Promise<void> {
    const { registry, dir } = this.r;
    for (const ls of registry.openSessions()) {
      const inIt = ls.repIds.includes(repId);
      const theirs = ls.queueRef.kind === 'personal' && ls.queueRef.id === repId;
      if (!inIt && !theirs) continue;
      const others = ls.repIds.filter((id) => id !== repId);
      if (inIt && others.length > 0) {
        const left = await this.removeReps(ls, (id) => id !== repId);
        if (ls.row.primary_rep_id === repId) await registry.patch(ls, { primary_rep_id: others[0] });
        this.r.views.sendSession(ls);
        await this.r.events.emit({ type: 'session.left', session: ls, repId, left });
        continue;
      }
      const ref: QueueRef = !theirs ? ls.queueRef : ls.row.team_id && dir.teams.has(ls.row.team_id) ? { kind: 'team', id: ls.row.team_id } : { kind: 'general' };
      if (ls.row.state === 'pending') {
        // Its key is not used yet: the customer who uses it will wait where someone can see them.
        await registry.patch(ls, { queue_kind: ref.kind, queue_id: ref.kind === 'general' ? null : ref.id ?? null });
        continue;
      }
      const left = await this.removeReps(ls);
      await registry.patch(ls, { primary_rep_id: null });
      await this.enqueue(ls, ref);
      await this.r.events.emit({ type: 'session.transferred', session: ls, to: ref, toName: dir.repName(repId), unavailable: true, left });
    }
  }

  /** A person ended the session (or the agreement was declined or not answered in time). */
  end(ls: LiveSession, by: Actor, reason: string): Promise<void> {
    return this.close(ls, { state: 'ended', reason, by });
  }

  /**
   * The one way a session ends, whoever ends it: the row closes (no deadlines left), a pending
   * screen request goes, then `session.ended` (its transcript line, timers, queue views), then
   * everyone is told the new state.
   */
  async close(ls: LiveSession, ending: Ending): Promise<void> {
    if (ls.closed) return;
    const from = ls.row.state;
    // A computer still restarting can't bring its agent back into an ended session.
    await this.r.reboots.abandon(ls);
    const closed = await this.r.registry.closeOnce(ls, {
      state: ending.state, ended_at: Date.now(), end_reason: ending.reason, orphan_at: null, agreement_at: null,
      ...(ending.redirectUrl !== undefined ? { redirect_url: ending.redirectUrl } : {}),
    });
    if (!closed) return; // another node ended it first and says so
    await this.r.screen.dropUnlessRepIn(ls);
    await this.r.events.emit({ type: 'session.ended', session: ls, ending, from });
    this.r.views.sendSession(ls);
  }

  private async addRep(ls: LiveSession, repId: string): Promise<void> {
    const { store, registry } = this.r;
    const ids = ls.repIds;
    if (!ids.includes(repId)) ids.push(repId);
    await registry.patch(ls, { rep_ids: JSON.stringify(ids) });
    const part = await store.getRepParticipant(ls.id, repId);
    if (!part) {
      await store.createParticipant({ id: newId(), session_id: ls.id, role: 'rep', rep_id: repId, name: this.r.dir.repName(repId), token_hash: null, resume_token_hash: null, resume_expires_at: null, joined_at: Date.now(), left_at: null });
    } else if (part.left_at !== null) {
      await store.updateParticipant(part.id, { left_at: null }); // back after a hold or transfer
    }
    await this.attachConsoles(ls, repId);
  }

  /** The rep's consoles on this node follow the session: its view, the transcript, what the agent said. */
  private async attachConsoles(ls: LiveSession, repId: string): Promise<void> {
    for (const p of this.r.consoles.of(repId)) {
      ls.peers.add(p);
      p.send({ t: 'session', session: this.r.views.info(ls) });
      await this.r.transcript.replay(p, ls, 0);
      if (ls.sysinfo) p.sendBytes(ls.sysinfo);
      if (ls.diagnostics) p.sendBytes(ls.diagnostics);
      if (ls.grant) p.sendBytes(ls.grant);
    }
  }

  /**
   * Several nodes: another node took reps into the session or out of it (accept, join, hold,
   * transfer; the record says so, `before` is who was in it here). This node's consoles of those
   * reps follow, as the consoles of the node that did it did (docs/ARCHITECTURE.md, "Several nodes").
   */
  async repsChangedElsewhere(ls: LiveSession, before: string[]): Promise<void> {
    const now = ls.closed ? before : ls.repIds;
    const leaving = before.filter((id) => !now.includes(id));
    if (leaving.length > 0) {
      const info = { t: 'session' as const, session: this.r.views.info(ls) };
      for (const p of ls.repPeers()) {
        if (!leaving.includes(p.repId!)) continue;
        p.send(info);
        ls.peers.delete(p);
      }
      for (const id of leaving) ls.uncover(id);
    }
    for (const id of now) if (!before.includes(id)) await this.attachConsoles(ls, id);
  }

  /** Takes reps out of the session; returns who left (the transcript announces them). */
  private async removeReps(ls: LiveSession, keep: (id: string) => boolean = () => false): Promise<string[]> {
    const leaving = ls.repIds.filter((id) => !keep(id));
    await this.r.registry.patch(ls, { rep_ids: JSON.stringify(ls.repIds.filter(keep)) });
    const info = { t: 'session' as const, session: this.r.views.info(ls) };
    for (const p of ls.repPeers()) {
      if (p.repId && leaving.includes(p.repId)) {
        p.send(info);
        ls.peers.delete(p);
      }
    }
    for (const id of leaving) ls.uncover(id);
    await this.r.screen.dropUnlessRepIn(ls);
    // The record shows when each rep left (hold, transfer); the end time covers the rest.
    const now = Date.now();
    for (const id of leaving) {
      const part = await this.r.store.getRepParticipant(ls.id, id);
      if (part) await this.r.store.updateParticipant(part.id, { left_at: now });
    }
    return leaving;
  }
}
