// Who is connected to which session: customer and agent sockets join their session's peers on
// hello; a rep console follows every open session its rep is in. Leaving updates what the others
// see (online marks, the agent's grant going with it).
import type { Peer } from '../ws/peer.ts';
import type { Directory } from './directory.ts';
import type { LiveSession } from './live-session.ts';
import type { Queues } from './queues.ts';
import type { RepConsoles } from './rep-consoles.ts';
import type { SessionRegistry } from './registry.ts';
import type { SessionViews } from './views.ts';

export class Presence {
  constructor(
    private readonly registry: SessionRegistry,
    private readonly consoles: RepConsoles,
    private readonly dir: Directory,
    private readonly views: SessionViews,
    private readonly queues: Queues,
  ) {}

  attach(peer: Peer, ls: LiveSession): void {
    const had = ls.peers.has(peer);
    ls.peers.add(peer);
    if (!had && peer.role !== 'rep') this.views.sendSession(ls);
  }

  detach(peer: Peer): void {
    if (peer.role === 'rep' && peer.repId) {
      this.consoles.remove(peer.repId, peer);
      this.dir.disconnected(peer.repId);
      this.queues.scheduleRepQueues();
    }
    for (const ls of this.registry.all()) {
      if (!ls.peers.delete(peer)) continue;
      if (peer.role === 'agent' && ls.agentPeers().length === 0) ls.dropGrant();
      // Reps still looking at an ended session see the customer and the agent go too.
      if (peer.role !== 'rep') this.views.sendSession(ls);
      if (peer.role !== 'rep' && !ls.closed) this.queues.scheduleRepQueues();
      this.registry.forgetIfIdle(ls);
    }
  }

  addRepPeer(peer: Peer): void {
    const repId = peer.repId!;
    this.consoles.add(repId, peer);
    this.dir.connected(repId);
    // The rep's sessions take the console one by one, each just before its replay (the handshake).
    this.queues.scheduleRepQueues();
  }
}
