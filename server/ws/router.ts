// Routes every message of a connection after its handshake. Session-scoped messages are
// checked against the sender's rights: a customer token reaches its own session only, a rep
// acts only in sessions they are in (or may take from a queue they see).
import { CUSTOMER_ONLY_TYPES, ErrorCode, isTranscriptMessage, ProtocolError, REP_ONLY_TYPES, type Actor, type EventBody, type Message, type Msg, type TranscriptMessage } from '../../protocol/index.ts';
import type { LiveSession } from '../core/live-session.ts';
import type { Ctx } from '../http/context.ts';
import type { FileRelay } from './files.ts';
import type { Peer } from './peer.ts';
import { fromAgent, toAgent } from './screen.ts';


export async function sessionFor(ctx: Ctx, peer: Peer, sessionId: string, opts: { open?: boolean; member?: boolean } = {}): Promise<LiveSession> {
  if (peer.role !== 'rep' && sessionId !== peer.sessionId) throw new ProtocolError(ErrorCode.Forbidden, 'not your session');
  const ls = peer.role === 'rep' ? ctx.hub.get(sessionId) : await ctx.hub.load(sessionId);
  if (!ls) throw new ProtocolError(ErrorCode.NotFound, 'no such open session');
  if (opts.member !== false && peer.role === 'rep') ctx.hub.requireRepInSession(peer, ls);
  if (opts.open && ls.closed) throw new ProtocolError(ErrorCode.Ended, 'the session has ended');
  return ls;
}

function requireRep(peer: Peer, t: string): void {
  if (peer.role !== 'rep') throw new ProtocolError(ErrorCode.Forbidden, `only representatives send ${t}`);
}

function bodyOf(msg: TranscriptMessage): EventBody {
  switch (msg.t) {
    case 'chat': return { kind: 'chat', text: msg.text };
    case 'nudge': return { kind: 'nudge' };
    case 'url.push': return { kind: 'url', url: msg.url };
    case 'notice': return { kind: 'notice', text: msg.text, leaveAllowed: msg.leaveAllowed ?? false };
    case 'agreement': return { kind: 'agreement', accepted: msg.accepted };
    case 'recording': return { kind: 'recording', allowed: msg.allowed };
  }
}

async function reliable(ctx: Ctx, peer: Peer, msg: TranscriptMessage): Promise<void> {
  if (REP_ONLY_TYPES.has(msg.t)) requireRep(peer, msg.t);
  if (CUSTOMER_ONLY_TYPES.has(msg.t) && peer.role === 'rep') throw new ProtocolError(ErrorCode.Forbidden, `only the customer sends ${msg.t}`);
  const ls = await sessionFor(ctx, peer, msg.sessionId);
  if (ls.closed) {
    // A resend of something stored before the end still gets its ack.
    const stored = await ctx.store.getEventByClientId(ls.id, msg.id);
    if (!stored) throw new ProtocolError(ErrorCode.Ended, 'the session has ended');
    peer.send({ t: 'ack', sessionId: ls.id, id: msg.id, seq: stored.seq });
    return;
  }
  // The agent speaks for the customer in the chat.
  const from: Actor = peer.role === 'agent' && msg.t === 'chat' ? { role: 'customer', name: ls.row.customer_name || 'Customer' } : peer.actor;
  const { row, dup } = await ctx.hub.append(ls, from, bodyOf(msg), msg.id);
  peer.send({ t: 'ack', sessionId: ls.id, id: msg.id, seq: row.seq });
  if (!dup && msg.t === 'agreement') await ctx.hub.agreementDecision(ls, msg.accepted, peer.actor);
}

async function survey(ctx: Ctx, peer: Peer, msg: Msg<'survey'>): Promise<void> {
  const ls = await sessionFor(ctx, peer, msg.sessionId, { member: false });
  if (peer.role === 'rep' && !(await ctx.store.getRepParticipant(ls.id, peer.repId!))) throw new ProtocolError(ErrorCode.Forbidden, 'you were not in this session');
  await ctx.store.addSurvey({ session_id: ls.id, client_id: msg.id, role: peer.role === 'rep' ? 'rep' : 'customer', rep_id: peer.repId, answers: JSON.stringify(msg.answers), at: Date.now() });
  // Surveys are records, not transcript lines: acked with seq 0.
  peer.send({ t: 'ack', sessionId: ls.id, id: msg.id, seq: 0 });
  peer.send({ t: 'done', ref: msg.id, detail: 'survey stored' });
}

export async function route(ctx: Ctx, files: FileRelay, peer: Peer, msg: Message, bytes: Uint8Array): Promise<void> {
  if (isTranscriptMessage(msg)) return reliable(ctx, peer, msg);
  switch (msg.t) {
    case 'ping':
      return peer.send({ t: 'pong', ts: msg.ts });
    case 'survey':
      return survey(ctx, peer, msg);
    case 'typing': {
      const ls = await sessionFor(ctx, peer, msg.sessionId, { open: true });
      return ls.broadcast({ ...msg, from: peer.actor }, peer);
    }
    case 'end': {
      const ls = await sessionFor(ctx, peer, msg.sessionId);
      if (ls.closed) return;
      return ctx.hub.end(ls, peer.actor, msg.reason ?? (peer.role === 'rep' ? 'ended by the representative' : 'ended by the customer'));
    }
    case 'availability':
      requireRep(peer, msg.t);
      ctx.dir.setAvailability(peer.repId!, msg.status);
      return ctx.hub.scheduleRepQueues();
    case 'accept':
      requireRep(peer, msg.t);
      return ctx.hub.accept(peer, await sessionFor(ctx, peer, msg.sessionId, { member: false }));
    case 'join':
      requireRep(peer, msg.t);
      return ctx.hub.joinRep(peer, await sessionFor(ctx, peer, msg.sessionId, { member: false }));
    case 'transfer':
      requireRep(peer, msg.t);
      return ctx.hub.transfer(peer, await sessionFor(ctx, peer, msg.sessionId), msg.to);
    case 'hold':
      requireRep(peer, msg.t);
      return ctx.hub.hold(peer, await sessionFor(ctx, peer, msg.sessionId));
    case 'screen.request':
      requireRep(peer, msg.t);
      return ctx.hub.screen.request(peer, await sessionFor(ctx, peer, msg.sessionId, { open: true }), msg.want);
    case 'screen.cancel':
      requireRep(peer, msg.t);
      return ctx.hub.screen.cancel(peer, await sessionFor(ctx, peer, msg.sessionId, { open: true }), msg.requestId);
    case 'screen.decline':
      if (peer.role === 'rep') throw new ProtocolError(ErrorCode.Forbidden, 'only the customer declines a screen request');
      return ctx.hub.screen.decline(await sessionFor(ctx, peer, msg.sessionId, { open: true }), msg.requestId);
    case 'frame.ack': case 'frame.refresh':
    case 'pointer': case 'button': case 'wheel': case 'key': case 'key.combo':
      requireRep(peer, msg.t);
      return toAgent(await sessionFor(ctx, peer, msg.sessionId, { open: true }), peer, msg);
    case 'frame': case 'grant': case 'sysinfo': case 'input.paused':
      if (peer.role !== 'agent') throw new ProtocolError(ErrorCode.Forbidden, `only the agent sends ${msg.t}`);
      return fromAgent(ctx, await sessionFor(ctx, peer, msg.sessionId, { open: true }), peer, msg, bytes);
    case 'file.offer': case 'file.answer': case 'file.chunk': case 'file.done': case 'file.cancel':
      return files.handle(peer, await sessionFor(ctx, peer, msg.sessionId, { open: msg.t !== 'file.cancel' }), msg, bytes);
    default:
      throw new ProtocolError(ErrorCode.Invalid, `${msg.t} is not accepted from a client here`);
  }
}
