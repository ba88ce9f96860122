// A rep's request for the customer's screen is session state, not a one-shot message: it is kept
// in the session row (so it survives restarts) and sent to every participant inside `session`
// until the customer answers it in the agent, declines it, the rep cancels it, it times out or the
// session ends. Every outcome is a transcript line both sides see. Only the agent's own window
// turns a request into a grant (docs/ARCHITECTURE.md, "Screen requests").
import { ErrorCode, ProtocolError, type Grant, type PendingScreenRequest } from '../../protocol/index.ts';
import { newId } from '../secrets.ts';
import type { Peer } from '../ws/peer.ts';
import type { ServerConfig } from '../config.ts';
import type { LiveSession } from './live-session.ts';
import type { SessionRegistry } from './registry.ts';
import type { Transcript } from './transcript.ts';
import type { SessionViews } from './views.ts';

export class ScreenRequests {
  constructor(
    private readonly config: ServerConfig,
    private readonly registry: SessionRegistry,
    private readonly views: SessionViews,
    private readonly transcript: Transcript,
  ) {}

  private get timeoutMs(): number {
    return this.config.screenRequestTimeoutSec * 1000;
  }

  /** A rep in the session asks for view or control; asking again replaces the earlier request. */
  async request(peer: Peer, ls: LiveSession, want: 'view' | 'control'): Promise<void> {
    ls.requireRep(peer);
    if (ls.row.state !== 'active') throw new ProtocolError(ErrorCode.Conflict, `the session is ${ls.row.state}; accept it first`);
    await this.requestFor(ls, { id: peer.repId!, name: peer.actor.name }, want);
  }

  /** The request made for a rep in the session (also by the server: consent asked again after a restart). */
  async requestFor(ls: LiveSession, rep: { id: string; name: string }, want: 'view' | 'control'): Promise<void> {
    const current = ls.screenRequest;
    if (current && current.repId === rep.id && current.want === want) return;
    const now = Date.now();
    const req: PendingScreenRequest = { id: newId(), want, repId: rep.id, repName: rep.name, at: now, expiresAt: now + this.timeoutMs };
    await this.set(ls, req);
    await this.transcript.systemEvent(ls, 'screen.requested', `${rep.name} is requesting to ${want} your screen.`);
  }

  /** A rep in the session withdraws the outstanding request. */
  async cancel(peer: Peer, ls: LiveSession, requestId: string): Promise<void> {
    ls.requireRep(peer);
    const req = this.matching(ls, requestId);
    await this.set(ls, null);
    await this.transcript.systemEvent(ls, 'screen.cancelled', `${peer.actor.name} withdrew the request to ${req.want} the screen.`);
  }

  /** The customer refused, in the agent's window or in the browser chat. */
  async decline(ls: LiveSession, requestId: string): Promise<void> {
    const req = this.matching(ls, requestId);
    await this.set(ls, null);
    await this.transcript.systemEvent(ls, 'screen.declined', `The customer declined the request to ${req.want} the screen.`);
  }

  /** The agent reported a grant: a grant that covers the asking rep answers the request. */
  async granted(ls: LiveSession, grant: Grant, repIds: readonly string[]): Promise<void> {
    const req = ls.screenRequest;
    if (!req || grant === 'none' || !repIds.includes(req.repId)) return;
    await this.set(ls, null);
  }

  /** Requests past their time: cleared with a transcript line. Called by the timers' loop. */
  async expire(ls: LiveSession, now: number): Promise<void> {
    const req = ls.screenRequest;
    if (!req || req.expiresAt > now) return;
    await this.set(ls, null);
    await this.transcript.systemEvent(ls, 'screen.timeout', `The request to ${req.want} the screen timed out without an answer.`);
  }

  /** The asking rep left (hold, transfer) or the session closed: the request goes without a line. */
  async dropUnlessRepIn(ls: LiveSession): Promise<void> {
    const req = ls.screenRequest;
    if (req && (ls.closed || !ls.repIds.includes(req.repId))) await this.set(ls, null, false);
  }

  private matching(ls: LiveSession, requestId: string): PendingScreenRequest {
    const req = ls.screenRequest;
    if (!req || req.id !== requestId) throw new ProtocolError(ErrorCode.NotFound, 'that screen request is no longer open');
    return req;
  }

  private async set(ls: LiveSession, req: PendingScreenRequest | null, announce = true): Promise<void> {
    await this.registry.patch(ls, { screen_request: req ? JSON.stringify(req) : null });
    if (announce) this.views.sendSession(ls);
  }
}
