// Who is where: which of a session's participants are connected to which node
// (docs/ARCHITECTURE.md, "Several nodes"). Each node announces its own share of a session when it
// changes, and all of it when another node starts; what others announce lands in
// `LiveSession.elsewhere`, which the session's views read (customer online, agent online). A node
// that dies without a bye is forgotten once it has been silent past the expiry (liveness.ts).
import type { LiveSession, NodePresence } from '../core/live-session.ts';
import type { SessionRegistry } from '../core/registry.ts';
import type { Bus } from './connection.ts';
import { NodeLiveness, type LivenessTiming } from './liveness.ts';
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

  private readonly liveness: NodeLiveness;

  /** `changed`: who is online elsewhere changed; `lost`: a dead node's share of the session was dropped (after `changed`). */
  constructor(private readonly bus: Bus, private readonly registry: SessionRegistry, private readonly changed: (ls: LiveSession) => void, timing: LivenessTiming, private readonly lost: (ls: LiveSession, had: NodePresence) => void) {
    this.liveness = new NodeLiveness(timing, () => this.say('beat'), (node) => this.dead(node), () => this.say('hello'));
  }

  start(): void {
    this.bus.subscribe(PRESENCE, (m) => this.heard(m as PresenceMsg));
    this.bus.subscribe(NODES, (m) => this.node(m as NodeMsg));
    this.say('hello');
    this.liveness.start();
  }

  stop(): void {
    this.liveness.stop();
    this.say('bye');
  }

  private say(k: NodeMsg['k']): void {
    this.bus.publish(NODES, { k, node: this.bus.nodeId } satisfies NodeMsg);
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
    this.liveness.alive(m.node);
    const ls = await this.registry.load(m.id);
    if (!ls) return;
    if (!m.customer && !m.agent && m.reps.length === 0) ls.elsewhere.delete(m.node);
    else ls.elsewhere.set(m.node, { customer: m.customer, agent: m.agent, reps: m.reps });
    this.changed(ls);
  }

  private node(m: NodeMsg): void {
    if (m.k === 'bye') this.liveness.left(m.node);
    else this.liveness.alive(m.node);
    if (m.k === 'beat') return;
    // A node that stopped holds nobody; one that started needs to hear what this node holds.
    for (const ls of this.registry.all()) {
      if (m.k === 'bye' && ls.elsewhere.delete(m.node)) this.changed(ls);
    }
    if (m.k === 'hello') {
      for (const [id, p] of this.told) this.bus.publish(PRESENCE, { ...p, node: this.bus.nodeId, id } satisfies PresenceMsg);
    }
  }

  /** A node went silent (kill -9, a lost machine): whoever it held is offline until they connect again. */
  private dead(node: string): void {
    for (const ls of this.registry.all()) {
      const had = ls.elsewhere.get(node);
      if (!had || !ls.elsewhere.delete(node)) continue;
      this.changed(ls);
      this.lost(ls, had);
    }
  }
}
