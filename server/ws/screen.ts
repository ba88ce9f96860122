// Screen relay between reps and the agent. Frames are relayed as the original bytes (validated,
// never re-encoded) and only to reps the customer's latest grant covers; input from reps gets
// `from` set by the server and goes only to the agent, which alone decides whether to apply it.
import { ErrorCode, INPUT_TYPES, ProtocolError, type Msg } from '../../protocol/index.ts';
import type { LiveSession } from '../core/live-session.ts';
import type { Ctx } from '../context.ts';
import { encodeOut } from '../outgoing.ts';
import type { Peer } from './peer.ts';

type ToAgent = Msg<'frame.ack'> | Msg<'frame.refresh'> | Msg<'pointer'> | Msg<'button'> | Msg<'wheel'> | Msg<'key'> | Msg<'key.combo'>;
type FromAgent = Msg<'frame'> | Msg<'grant'> | Msg<'sysinfo'> | Msg<'input.paused'>;
const INPUT = new Set<string>(INPUT_TYPES);

/** `video`: the server's `screen.video` setting; off, a refresh's codec list is dropped ("Video tier"). */
export function toAgent(ls: LiveSession, peer: Peer, msg: ToAgent, video = false): void {
  const agents = ls.agentPeers();
  // Several nodes: the agent may be connected to another one ("Several nodes").
  if (agents.length === 0 && !ls.link) return;
  // Defence in depth: the agent checks its own grant anyway.
  if (INPUT.has(msg.t) && (ls.grantKind !== 'control' || !ls.grantReps.has(peer.repId!))) throw new ProtocolError(ErrorCode.NotConsented, 'the customer has not granted you control');
  if (msg.t === 'frame.refresh' && !video && msg.video) { const { video: _dropped, ...rest } = msg; msg = rest; }
  const bytes = encodeOut({ ...msg, from: peer.actor } as ToAgent);
  // Only pointer moves may be dropped for a backed-up agent; a lost key or button release
  // would leave a key stuck on the customer's machine.
  for (const a of agents) {
    if (msg.t === 'pointer') a.sendDroppable(bytes);
    else a.sendBytes(bytes);
  }
  ls.link?.toOthers(ls, bytes, 'agent', msg.t === 'pointer');
}

export async function fromAgent(ctx: Ctx, ls: LiveSession, peer: Peer, msg: FromAgent, bytes: Uint8Array): Promise<void> {
  const reps = ls.repPeers();
  switch (msg.t) {
    case 'frame':
      for (const r of reps) if (ls.grantReps.has(r.repId!)) r.sendDroppable(bytes);
      ls.link?.toOthers(ls, bytes, 'granted', true);
      ctx.recordings.recorder.frame(ls, bytes);
      return;
    case 'grant': {
      const covered = coveredBy(ls, peer, msg);
      // An agent says its grant on every connect: a first `none` is no news for the transcript.
      const changed = (ls.grantMsg === null ? 'none' : ls.grantKind) !== msg.grant || !sameSet(ls.grantReps, covered);
      ls.grantKind = msg.grant;
      ls.grantReps = new Set(covered);
      ls.grantMsg = msg;
      const last = ls.lastGrant;
      ls.lastGrant = { agentId: peer.participantId!, epoch: Math.max(msg.epoch, last?.agentId === peer.participantId ? last.epoch : 0), reps: new Set(covered) };
      // Reps read the grant as the server applies it: a rep it no longer covers isn't named.
      const relayed = covered.length === msg.reps.length ? bytes : ls.grant!;
      for (const r of reps) r.sendBytes(relayed);
      ls.link?.grantChanged(ls);
      ls.link?.toOthers(ls, relayed, 'reps');
      await ctx.hub.screen.granted(ls, msg.grant, covered);
      if (!changed) return;
      const names = covered.map((id) => ctx.dir.repName(id));
      await ctx.hub.transcript.append(ls, peer.actor, { kind: 'grant', grant: msg.grant, ...(msg.grant === 'none' ? {} : { reps: names }) });
      ctx.hub.views.sendSession(ls);
      return;
    }
    case 'sysinfo':
      ls.sysinfo = bytes;
      for (const r of reps) r.sendBytes(bytes);
      // Other nodes keep it too, for reps who arrive there later.
      ls.link?.call(ls, 'sysinfo', bytes);
      await ctx.store.saveSysinfo(ls.id, JSON.stringify(msg.info), Date.now()); // for History
      return;
    case 'input.paused':
      for (const r of reps) r.sendBytes(bytes);
      ls.link?.toOthers(ls, bytes, 'reps');
      return;
  }
}

/**
 * The reps a grant from the agent covers: only reps still in the session (hold and transfer take
 * the leaving rep out), and when the agent only repeats a grant it announced before (a reconnect:
 * same agent, no newer epoch) only reps that grant still covered here, so a rep taken out and
 * back since needs a new decision by the customer (docs/ARCHITECTURE.md, "Grants cover reps in
 * the session only").
 */
function coveredBy(ls: LiveSession, agent: Peer, msg: Msg<'grant'>): string[] {
  if (msg.grant === 'none') return [];
  const last = ls.lastGrant;
  const repeat = last !== null && last.agentId === agent.participantId && msg.epoch <= last.epoch;
  return msg.reps.filter((id) => ls.repIds.includes(id) && (!repeat || last.reps.has(id)));
}

function sameSet(a: ReadonlySet<string>, b: readonly string[]): boolean {
  return a.size === b.length && b.every((x) => a.has(x));
}

/** Several nodes: the agent's sysinfo from its node, kept here for reps who arrive later. */
export function listenForSysinfo(ctx: Ctx): void {
  ctx.hub.calls.on('sysinfo', (ls, bytes) => {
    ls.sysinfo = bytes as Uint8Array;
    for (const r of ls.repPeers()) r.sendBytes(ls.sysinfo);
  });
}
