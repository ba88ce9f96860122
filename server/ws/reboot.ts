// Reboot and reconnect between a rep and the agent (docs/ARCHITECTURE.md, "Reboot and reconnect"):
// the server passes a rep's request to the agent and writes the customer's answer; after a
// confirmation it gives that agent the one credential its successor uses after the restart. It
// never restarts anything itself: only the customer's OK in the agent's own window does.
import { ErrorCode, ProtocolError, REBOOT_CODES, rebootDeclinedText, rebootRequestedText, type Msg } from '../../protocol/index.ts';
import type { LiveSession } from '../core/live-session.ts';
import type { Ctx } from '../context.ts';
import { encodeOut } from '../outgoing.ts';
import { newId } from '../secrets.ts';
import type { Peer } from './peer.ts';

const ASK_AGAIN_MS = 60_000;

/** A rep in the session asks (the router checked membership). */
export async function requestReboot(ctx: Ctx, ls: LiveSession, rep: Peer, msg: Msg<'reboot.request'>): Promise<void> {
  const agents = ls.agentPeers();
  if (ls.row.reboot_wait) throw new ProtocolError(ErrorCode.Conflict, "The customer's computer is restarting: wait for the support program to come back.");
  if (agents.length === 0) throw new ProtocolError(ErrorCode.Conflict, "The customer's support program isn't connected: ask them to start it (Share my screen), then ask again.");
  // An unanswered request may be asked again after a while (replacing it): the customer may have missed it.
  if (ls.rebootRequest && Date.now() - ls.rebootRequest.at < ASK_AGAIN_MS) throw new ProtocolError(ErrorCode.Conflict, 'A restart was asked for already: wait for the customer to answer, or ask again in a minute.');
  ls.rebootRequest = { requestId: newId(), repId: rep.repId!, repName: rep.actor.name, at: Date.now() };
  await ctx.hub.transcript.append(ls, rep.actor, { kind: 'system', code: REBOOT_CODES.requested, text: rebootRequestedText(rep.actor.name) });
  const bytes = encodeOut(forAgent(ls, msg.id));
  for (const a of agents) a.sendBytes(bytes);
}

/** An agent that (re)connects hears the open request again. */
export function resendRebootRequest(ls: LiveSession, agent: Peer): void {
  if (ls.rebootRequest) agent.sendBytes(encodeOut(forAgent(ls, ls.rebootRequest.requestId)));
}

function forAgent(ls: LiveSession, id: string): Msg<'reboot.request'> {
  const r = ls.rebootRequest!;
  return { t: 'reboot.request', sessionId: ls.id, id, requestId: r.requestId, from: { role: 'rep', id: r.repId, name: r.repName } };
}

/** The customer answered in the agent: declined, or confirmed (then this agent gets the credential). */
export async function answerReboot(ctx: Ctx, ls: LiveSession, agent: Peer, msg: Msg<'reboot.answer'>): Promise<void> {
  const r = ls.rebootRequest;
  if (!r || r.requestId !== msg.requestId) throw new ProtocolError(ErrorCode.NotFound, 'no such restart request is open');
  ls.rebootRequest = null;
  if (msg.answer === 'decline') {
    await ctx.hub.transcript.append(ls, agent.actor, { kind: 'system', code: REBOOT_CODES.declined, text: rebootDeclinedText() });
    return;
  }
  const { credential, expiresAt } = await ctx.hub.reboots.confirmed(ls, r, msg.answer);
  agent.send({ t: 'reboot.ticket', sessionId: ls.id, requestId: r.requestId, answer: msg.answer, credential, expiresAt });
}
