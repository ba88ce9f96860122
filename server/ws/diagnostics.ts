// Remote diagnostics between a rep and the agent (docs/ARCHITECTURE.md, "Remote diagnostics"):
// the server passes a rep's request to the agent, writes the customer's answer and the result in
// the transcript, stores the report and relays it to the session's reps. It never asks the agent
// to collect anything the customer didn't allow: only the agent's own window or terminal does.
// Several nodes: the rep may be on one node and the agent on another; every change of the open
// request and the latest report is shared with the other nodes ("Several nodes").
import { DIAG_CODES, ErrorCode, systemBody, ProtocolError, type Msg } from '../../protocol/index.ts';
import type { LiveSession } from '../core/live-session.ts';
import type { Ctx } from '../context.ts';
import { encodeOut } from '../outgoing.ts';
import { newId } from '../secrets.ts';
import type { Peer } from './peer.ts';

/** A rep in the session asks (the router checked membership). */
export async function requestDiagnostics(ctx: Ctx, ls: LiveSession, rep: Peer, msg: Msg<'diag.request'>): Promise<void> {
  const agents = ls.agentPeers();
  const agentElsewhere = [...ls.elsewhere.values()].some((n) => n.agent);
  if (agents.length === 0 && !agentElsewhere) throw new ProtocolError(ErrorCode.Conflict, "The customer's support program isn't connected: ask them to start it (Share my screen), then ask again.");
  if (ls.diagRequest && !stale(ls.diagRequest)) throw new ProtocolError(ErrorCode.Conflict, 'Diagnostics were asked for already: wait for the customer to answer.');
  ls.diagRequest = { requestId: newId(), repId: rep.repId!, repName: rep.actor.name, allowed: false, at: Date.now() };
  share(ls);
  await ctx.hub.transcript.append(ls, rep.actor, systemBody(DIAG_CODES.requested, { rep: rep.actor.name }));
  const bytes = encodeOut(forAgent(ls, msg.id));
  for (const a of agents) a.sendBytes(bytes);
  // After share(): on the session's subject the agent's node has the request before its agent does.
  ls.link?.toOthers(ls, bytes, 'agent');
}

/** What another node's diagnostics left: the open request and, with a new report, the report itself. */
interface DiagState { request: LiveSession['diagRequest']; report: Uint8Array | null }

/** Several nodes: the others follow this node's change of the request (and a new report goes to their reps). */
function share(ls: LiveSession, report: Uint8Array | null = null): void {
  ls.link?.call(ls, 'diag', { request: ls.diagRequest, report } satisfies DiagState);
}

/** Several nodes: takes in what another node's diagnostics changed. */
export function listenForDiagnostics(ctx: Ctx): void {
  ctx.hub.calls.on('diag', (ls, body) => {
    const { request, report } = body as DiagState;
    ls.diagRequest = request;
    if (!report) return;
    ls.diagnostics = report;
    for (const p of ls.repPeers()) p.sendBytes(report);
  });
}

/** Allowed but never reported (the agent went away while collecting): a rep may ask again. */
const REPORT_WAIT_MS = 60_000;
function stale(r: NonNullable<LiveSession['diagRequest']>): boolean {
  return r.allowed && Date.now() - r.at > REPORT_WAIT_MS;
}

/** An agent that (re)connects hears the open request again. */
export function resendDiagnosticsRequest(ls: LiveSession, agent: Peer): void {
  if (ls.diagRequest && !ls.diagRequest.allowed) agent.sendBytes(encodeOut(forAgent(ls, ls.diagRequest.requestId)));
}

function forAgent(ls: LiveSession, id: string): Msg<'diag.request'> {
  const r = ls.diagRequest!;
  return { t: 'diag.request', sessionId: ls.id, id, requestId: r.requestId, from: { role: 'rep', id: r.repId, name: r.repName } };
}

function openRequest(ls: LiveSession, requestId: string): NonNullable<LiveSession['diagRequest']> {
  const r = ls.diagRequest;
  if (!r || r.requestId !== requestId) throw new ProtocolError(ErrorCode.NotFound, 'no such diagnostics request is open');
  return r;
}

/** The customer answered in the agent. */
export async function answerDiagnostics(ctx: Ctx, ls: LiveSession, agent: Peer, msg: Msg<'diag.answer'>): Promise<void> {
  const r = openRequest(ls, msg.requestId);
  if (r.allowed) return; // a resend after a reconnect
  if (msg.allowed) Object.assign(r, { allowed: true, at: Date.now() });
  else ls.diagRequest = null;
  share(ls);
  await ctx.hub.transcript.append(ls, agent.actor, systemBody(msg.allowed ? DIAG_CODES.allowed : DIAG_CODES.refused, {}));
}

/** What the agent collected after the customer's OK: stored, written, relayed as the original bytes. */
export async function reportDiagnostics(ctx: Ctx, ls: LiveSession, agent: Peer, msg: Msg<'diag.report'>, bytes: Uint8Array): Promise<void> {
  const r = openRequest(ls, msg.requestId);
  if (!r.allowed) throw new ProtocolError(ErrorCode.NotConsented, 'the customer has not allowed diagnostics for this request');
  ls.diagRequest = null;
  ls.diagnostics = bytes;
  share(ls, bytes);
  await ctx.store.saveDiagnostics(ls.id, JSON.stringify(msg.report), msg.report.collectedAt);
  await ctx.hub.transcript.append(ls, agent.actor, systemBody(DIAG_CODES.collected, { sections: msg.report.sections.length }));
  for (const p of ls.repPeers()) p.sendBytes(bytes);
}
