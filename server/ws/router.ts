// Routes every message of a connection after its handshake. Session-scoped messages are
// checked against the sender's rights: a customer token reaches its own session only, a rep
// acts only in sessions they are in (or may take from a queue they see).
import { CUSTOMER_ONLY_TYPES, ErrorCode, isTranscriptMessage, ProtocolError, REP_ONLY_TYPES, type Actor, type EventBody, type Message, type Msg, type TranscriptMessage } from '../../protocol/index.ts';
import type { LiveSession } from '../core/live-session.ts';
import type { Ctx } from '../context.ts';
import type { FileRelay } from './files.ts';
import type { MessageBudgets, TokenBucket } from './message-budget.ts';
import type { Peer } from './peer.ts';
import { answerDiagnostics, reportDiagnostics, requestDiagnostics } from './diagnostics.ts';
import { answerReboot, requestReboot } from './reboot.ts';
import { fromAgent, toAgent } from './screen.ts';
import type { TranscriptCap } from './transcript-cap.ts';

/** What route() needs besides the message: the file relay, the senders' budgets and the per-session transcript cap. */
export interface Relays { files: FileRelay; budgets: MessageBudgets; cap: TranscriptCap }


export async function sessionFor(ctx: Ctx, peer: Peer, sessionId: string, opts: { open?: boolean; member?: boolean } = {}): Promise<LiveSession> {
  if (peer.role !== 'rep' && sessionId !== peer.sessionId) throw new ProtocolError(ErrorCode.Forbidden, 'not your session');
  const ls = peer.role === 'rep' ? ctx.hub.sessions.get(sessionId) : await ctx.hub.sessions.load(sessionId);
  if (!ls) throw new ProtocolError(ErrorCode.NotFound, 'no such open session');
  if (opts.member !== false && peer.role === 'rep') ls.requireRep(peer);
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

/** The sender's budget and what this message took from it; null (and the sender told when to resend) when it must wait. */
function charge(budgets: MessageBudgets, peer: Peer, msg: TranscriptMessage, bytes: number): { bucket: TokenBucket; cost: number } | null {
  // Per sender, not per socket: reconnecting doesn't refill it.
  const bucket = budgets.of(peer.role === 'rep' ? `rep:${peer.repId}` : `${peer.role}:${peer.participantId}`);
  const cost = bucket.cost(bytes);
  const wait = bucket.take(msg.id, cost);
  if (wait === 0) return { bucket, cost };
  // Not a protocol violation (not counted as one): the client resends after retryAfterMs.
  peer.send({ t: 'error', code: ErrorCode.RateLimited, message: `You're sending messages too fast: your message goes out by itself in ${Math.ceil(wait / 1000)} s.`, ref: msg.id, retryAfterMs: wait });
  return null;
}

async function reliable(ctx: Ctx, { budgets, cap }: Relays, peer: Peer, msg: TranscriptMessage, bytes: number): Promise<void> {
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
  const paid = charge(budgets, peer, msg, bytes);
  if (!paid) return;
  const body = bodyOf(msg);
  // The answers that decide the session itself are never refused for size.
  const size = CUSTOMER_ONLY_TYPES.has(msg.t) ? 0 : Buffer.byteLength(JSON.stringify(body));
  try {
    await cap.reserve(ls, size);
  } catch (e) {
    paid.bucket.refund(paid.cost);
    // A full session still acks a resend of what it stored before.
    const stored = await ctx.store.getEventByClientId(ls.id, msg.id);
    if (!stored) throw e;
    peer.send({ t: 'ack', sessionId: ls.id, id: msg.id, seq: stored.seq });
    return;
  }
  // The agent speaks for the customer in the chat.
  const from: Actor = peer.role === 'agent' && msg.t === 'chat' ? { role: 'customer', name: ls.row.customer_name || 'Customer' } : peer.actor;
  let stored;
  try {
    stored = await ctx.hub.transcript.append(ls, from, body, msg.id);
  } catch (e) {
    await cap.release(ls, size);
    throw e;
  }
  const { row, dup } = stored;
  if (dup) {
    // A resend of a stored message costs nothing.
    paid.bucket.refund(paid.cost);
    await cap.release(ls, size);
  }
  peer.send({ t: 'ack', sessionId: ls.id, id: msg.id, seq: row.seq });
  if (!dup && msg.t === 'agreement') await ctx.hub.timers.agreementDecision(ls, msg.accepted, peer.actor);
}

/**
 * Answers within limits.surveyBytes. Ids the config doesn't know are kept (the config may have
 * changed while the form was open; History shows them by id), so size is the bound.
 */
function surveyAnswers(ctx: Ctx, msg: Msg<'survey'>): string {
  const answers = JSON.stringify(msg.answers);
  const max = ctx.config.limits.surveyBytes;
  if (Buffer.byteLength(answers) > max) throw new ProtocolError(ErrorCode.TooLarge, `The survey answers are too long (at most ${Math.round(max / 1024)} KiB): please shorten them.`);
  return answers;
}

async function survey(ctx: Ctx, peer: Peer, msg: Msg<'survey'>): Promise<void> {
  const ls = await sessionFor(ctx, peer, msg.sessionId, { member: false });
  if (peer.role === 'rep' && !(await ctx.store.getRepParticipant(ls.id, peer.repId!))) throw new ProtocolError(ErrorCode.Forbidden, 'you were not in this session');
  const role = peer.role === 'rep' ? 'rep' : 'customer';
  const answers = surveyAnswers(ctx, msg);
  // One survey per session from the customer's side (browser or agent) and one from each rep.
  const at = Date.now();
  const added = await ctx.store.addSurvey({ session_id: ls.id, client_id: msg.id, role, rep_id: peer.repId, answers, at });
  if (added === 'answered') throw new ProtocolError(ErrorCode.Conflict, 'You have already answered the survey for this session. Thank you!');
  if (added === 'added') await ctx.integrations.events.surveyAnswered(ls, { role, repId: peer.repId ?? null, answers, at });
  // Surveys are records, not transcript lines: acked with seq 0.
  peer.send({ t: 'ack', sessionId: ls.id, id: msg.id, seq: 0 });
  peer.send({ t: 'done', ref: msg.id, detail: 'survey stored' });
}

export async function route(ctx: Ctx, relays: Relays, peer: Peer, msg: Message, bytes: Uint8Array): Promise<void> {
  if (isTranscriptMessage(msg)) return reliable(ctx, relays, peer, msg, bytes.byteLength);
  switch (msg.t) {
    case 'ping':
      return peer.send({ t: 'pong', ts: msg.ts });
    case 'survey':
      return survey(ctx, peer, msg);
    case 'typing': {
      const ls = await sessionFor(ctx, peer, msg.sessionId, { open: true });
      return ls.broadcast({ ...msg, from: peer.actor }, peer);
    }
    case 'agreement.more':
      if (peer.role === 'rep') throw new ProtocolError(ErrorCode.Forbidden, 'only the customer asks for more time on the agreement');
      return ctx.hub.timers.extendAgreement(await sessionFor(ctx, peer, msg.sessionId, { open: true }));
    case 'end': {
      const ls = await sessionFor(ctx, peer, msg.sessionId);
      if (ls.closed) return;
      return ctx.hub.lifecycle.end(ls, peer.actor, msg.reason ?? (peer.role === 'rep' ? 'ended by the representative' : 'ended by the customer'));
    }
    case 'language': {
      if (peer.role === 'rep') throw new ProtocolError(ErrorCode.Forbidden, 'only the customer chooses the session\'s language');
      const ls = await sessionFor(ctx, peer, msg.sessionId);
      if (ls.row.language === msg.language) return;
      await ctx.hub.sessions.patch(ls, { language: msg.language });
      // Everyone learns it with the session (the agent window follows the customer's choice),
      // reps' queue views too.
      ctx.hub.views.sendSession(ls);
      return ctx.hub.queues.scheduleRepQueues();
    }
    case 'availability':
      requireRep(peer, msg.t);
      ctx.dir.setAvailability(peer.repId!, msg.status);
      return ctx.hub.queues.scheduleRepQueues();
    case 'rep.queues.refresh':
      requireRep(peer, msg.t);
      return ctx.hub.queues.sendRepSnapshot(peer);
    case 'accept':
      requireRep(peer, msg.t);
      return ctx.hub.lifecycle.accept(peer, await sessionFor(ctx, peer, msg.sessionId, { member: false }));
    case 'join':
      requireRep(peer, msg.t);
      return ctx.hub.lifecycle.joinRep(peer, await sessionFor(ctx, peer, msg.sessionId, { member: false }));
    case 'transfer':
      requireRep(peer, msg.t);
      return ctx.hub.lifecycle.transfer(peer, await sessionFor(ctx, peer, msg.sessionId), msg.to);
    case 'hold':
      requireRep(peer, msg.t);
      return ctx.hub.lifecycle.hold(peer, await sessionFor(ctx, peer, msg.sessionId));
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
      return toAgent(await sessionFor(ctx, peer, msg.sessionId, { open: true }), peer, msg, ctx.config.screen.video);
    case 'frame': case 'grant': case 'sysinfo': case 'input.paused':
      if (peer.role !== 'agent') throw new ProtocolError(ErrorCode.Forbidden, `only the agent sends ${msg.t}`);
      return fromAgent(ctx, await sessionFor(ctx, peer, msg.sessionId, { open: true }), peer, msg, bytes);
    case 'diag.request':
      if (peer.role !== 'rep') throw new ProtocolError(ErrorCode.Forbidden, 'only a representative in the session asks for diagnostics');
      return requestDiagnostics(ctx, await sessionFor(ctx, peer, msg.sessionId, { open: true }), peer, msg);
    case 'diag.answer': case 'diag.report': {
      if (peer.role !== 'agent') throw new ProtocolError(ErrorCode.Forbidden, `only the agent sends ${msg.t}`);
      const ls = await sessionFor(ctx, peer, msg.sessionId, { open: true });
      return msg.t === 'diag.answer' ? answerDiagnostics(ctx, ls, peer, msg) : reportDiagnostics(ctx, ls, peer, msg, bytes);
    }
    case 'reboot.request':
      if (peer.role !== 'rep') throw new ProtocolError(ErrorCode.Forbidden, 'only a representative in the session asks to restart the computer');
      return requestReboot(ctx, await sessionFor(ctx, peer, msg.sessionId, { open: true }), peer, msg);
    case 'reboot.answer':
      if (peer.role !== 'agent') throw new ProtocolError(ErrorCode.Forbidden, 'only the agent answers a restart request');
      return answerReboot(ctx, await sessionFor(ctx, peer, msg.sessionId, { open: true }), peer, msg);
    case 'repscreen.start': case 'repscreen.stop': case 'repscreen.frame': {
      if (peer.role !== 'rep') throw new ProtocolError(ErrorCode.Forbidden, 'only a representative in the session shows their screen');
      const ls = await sessionFor(ctx, peer, msg.sessionId, { open: true });
      if (msg.t === 'repscreen.frame') return ctx.hub.repScreen.frame(peer, ls, msg, bytes);
      return msg.t === 'repscreen.start' ? ctx.hub.repScreen.start(peer, ls, msg.codec) : ctx.hub.repScreen.stop(ls, 'rep');
    }
    case 'repscreen.view': case 'repscreen.ack': case 'repscreen.keyframe': case 'repscreen.close': {
      if (peer.role === 'rep') throw new ProtocolError(ErrorCode.Forbidden, "only the customer's side views the representative's screen");
      const ls = await sessionFor(ctx, peer, msg.sessionId, { open: true });
      const rs = ctx.hub.repScreen;
      if (msg.t === 'repscreen.view') return rs.view(peer, ls, msg);
      if (msg.t === 'repscreen.ack') return rs.ack(peer, ls, msg);
      return msg.t === 'repscreen.keyframe' ? rs.keyframe(peer, ls, msg) : rs.close(peer, ls, msg);
    }
    case 'file.offer': case 'file.answer': case 'file.chunk': case 'file.done': case 'file.cancel':
      return relays.files.handle(peer, await sessionFor(ctx, peer, msg.sessionId, { open: msg.t !== 'file.cancel' }), msg, bytes);
    default:
      throw new ProtocolError(ErrorCode.Invalid, `${msg.t} is not accepted from a client here`);
  }
}
