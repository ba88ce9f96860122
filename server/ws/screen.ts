// Screen relay between reps and the agent. Frames are relayed as the original bytes (validated,
// never re-encoded) and only to reps the customer's latest grant covers; input from reps gets
// `from` set by the server and goes only to the agent, which alone decides whether to apply it.
import { ErrorCode, INPUT_TYPES, ProtocolError, type Msg } from '../../protocol/index.ts';
import type { LiveSession } from '../core/live-session.ts';
import type { Ctx } from '../http/context.ts';
import { encodeOut } from '../outgoing.ts';
import type { Peer } from './peer.ts';

type ToAgent = Msg<'frame.ack'> | Msg<'frame.refresh'> | Msg<'pointer'> | Msg<'button'> | Msg<'wheel'> | Msg<'key'> | Msg<'key.combo'>;
type FromAgent = Msg<'frame'> | Msg<'grant'> | Msg<'sysinfo'> | Msg<'input.paused'>;
const INPUT = new Set<string>(INPUT_TYPES);

export function toAgent(ls: LiveSession, peer: Peer, msg: ToAgent): void {
  const agents = ls.agentPeers();
  if (agents.length === 0) return;
  // Defence in depth: the agent checks its own grant anyway.
  if (INPUT.has(msg.t) && (ls.grantKind !== 'control' || !ls.grantReps.has(peer.repId!))) throw new ProtocolError(ErrorCode.NotConsented, 'the customer has not granted you control');
  const bytes = encodeOut({ ...msg, from: peer.actor } as ToAgent);
  // Only pointer moves may be dropped for a backed-up agent; a lost key or button release
  // would leave a key stuck on the customer's machine.
  for (const a of agents) {
    if (msg.t === 'pointer') a.sendDroppable(bytes);
    else a.sendBytes(bytes);
  }
}

export async function fromAgent(ctx: Ctx, ls: LiveSession, _peer: Peer, msg: FromAgent, bytes: Uint8Array): Promise<void> {
  const reps = ls.repPeers();
  switch (msg.t) {
    case 'frame':
      for (const r of reps) if (ls.grantReps.has(r.repId!)) r.sendDroppable(bytes);
      return;
    case 'grant': {
      // Only reps still in the session can be covered (hold and transfer take the leaving rep out).
      const covered = msg.grant === 'none' ? [] : msg.reps.filter((id) => ls.repIds.includes(id));
      // An agent says its grant on every connect: a first `none` is no news for the transcript.
      const changed = (ls.grant === null ? 'none' : ls.grantKind) !== msg.grant || !sameSet(ls.grantReps, covered);
      ls.grantKind = msg.grant;
      ls.grantReps = new Set(covered);
      ls.grant = bytes;
      for (const r of reps) r.sendBytes(bytes);
      await ctx.hub.screen.granted(ls, msg.grant, covered);
      if (!changed) return;
      const names = covered.map((id) => ctx.dir.repName(id));
      await ctx.hub.append(ls, _peer.actor, { kind: 'grant', grant: msg.grant, ...(msg.grant === 'none' ? {} : { reps: names }) });
      ctx.hub.sendSession(ls);
      return;
    }
    case 'sysinfo':
      ls.sysinfo = bytes;
      for (const r of reps) r.sendBytes(bytes);
      await ctx.store.saveSysinfo(ls.id, JSON.stringify(msg.info), Date.now()); // for History
      return;
    case 'input.paused':
      for (const r of reps) r.sendBytes(bytes);
      return;
  }
}

function sameSet(a: ReadonlySet<string>, b: readonly string[]): boolean {
  return a.size === b.length && b.every((x) => a.has(x));
}
