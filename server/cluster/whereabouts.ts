// Who is where: which of a session's participants are connected to which node
// (docs/ARCHITECTURE.md, "Several nodes"). Each node announces its own share of a session when it
// changes, and all of it when another node starts; what others announce lands in
// `LiveSession.elsewhere`, which the session's views read (customer online, agent online).
import type { LiveSession, NodePresence } from '../core/live-session.ts';
import type { SessionRegistry } from '../core/registry.ts';
import type { Bus } from './connection.ts';
import { NODES, PRESENCE, type NodeMsg, type PresenceMsg } from './subjects.ts';

function here(ls: LiveSession): NodePresence {
  const reps = new Set<string>();
  let customer = false;
  let agent = false;
  for (const p of ls.peers) {
    if (p.role === 'customer') customer = true;
    else if (p.role === 'agent') agent = true;
    else if (p.repId) reps.add(p.repId);
  }
  return { customer, agent, reps: [...reps].sort() };
}

function same(a: NodePresence | undefined, b: NodePresence): boolean {
  return !!a && a.customer === b.customer && a.agent === b.agent && a.reps.join() === b.reps.join();
}

export class Whereabouts {
  /** What this node last announced per session. */
  private readonly told = new Map<string, NodePresence>();

  constructor(private readonly bus: Bus, private readonly registry: SessionRegistry, private readonly changed: (ls: LiveSession) => void) {}

  start(): void {
    this.bus.subscribe(PRESENCE, (m) => this.heard(m as PresenceMsg));
    this.bus.subscribe(NODES, (m) => this.node(m as NodeMsg));
    this.bus.publish(NODES, { k: 'hello', node: this.bus.nodeId } satisfies NodeMsg);
  }

  stop(): void {
    this.bus.publish(NODES, { k: 'bye', node: this.bus.nodeId } satisfies NodeMsg);
  }

  /** This node's share of the session changed (a peer came or went): tell the others. */
  peersChanged(ls: LiveSession): void {
    const now = here(ls);
    if (same(this.told.get(ls.id), now)) return;
    if (!now.customer && !now.agent && now.reps.length === 0) this.told.delete(ls.id);
    else this.told.set(ls.id, now);
    this.bus.publish(PRESENCE, { ...now, node: this.bus.nodeId, id: ls.id } satisfies PresenceMsg);
  }

  private async heard(m: PresenceMsg): Promise<void> {
    const ls = await this.registry.load(m.id);
    if (!ls) return;
    if (!m.customer && !m.agent && m.reps.length === 0) ls.elsewhere.delete(m.node);
    else ls.elsewhere.set(m.node, { customer: m.customer, agent: m.agent, reps: m.reps });
    this.changed(ls);
  }

  private node(m: NodeMsg): void {
    // A node that stopped holds nobody; one that started needs to hear what this node holds.
    for (const ls of this.registry.all()) {
      if (m.k === 'bye' && ls.elsewhere.delete(m.node)) this.changed(ls);
    }
    if (m.k === 'hello') {
      for (const [id, p] of this.told) this.bus.publish(PRESENCE, { ...p, node: this.bus.nodeId, id } satisfies PresenceMsg);
    }
  }
}
