// This bridge server as one node of several (docs/ARCHITECTURE.md, "Several nodes"): the
// cluster link the session rooms call, on NATS. Loaded by main.ts only when `cluster.natsUrl` is
// set. What a room would deliver here to a participant connected elsewhere goes out on the
// session's subject; what other nodes send is delivered to the participants held here.
import { randomBytes } from 'node:crypto';
import type { ServerConfig } from '../config.ts';
import type { Hub } from '../core/hub.ts';
import type { Audience, ClusterLink, LiveSession, NodePresence } from '../core/live-session.ts';
import type { EventRow, SessionRow, Store } from '../store/store.ts';
import { connectBus, type Bus } from './connection.ts';
import { EventOrder } from './event-order.ts';
import { RepsOnline } from './reps-online.ts';
import { RECORDS, SESSIONS, sessionOfSubject, sessionSubject, type RecordMsg, type SessionMsg } from './subjects.ts';
import { KvCounts } from './kv-counts.ts';
import type { LivenessTiming } from './liveness.ts';
import { lostWithNode } from './node-death.ts';
import { TimerOwnerLease } from './timer-lease.ts';
import { Whereabouts } from './whereabouts.ts';

export class ClusterNode implements ClusterLink {
  private readonly orders = new WeakMap<LiveSession, EventOrder>();
  private readonly where: Whereabouts;
  private lease: TimerOwnerLease | null = null;
  /** The rate limits' counts, shared by all nodes (main.ts hands them to the HTTP routes). */
  counts: KvCounts | null = null;
  private readonly repsOnline: RepsOnline;

  private constructor(private readonly bus: Bus, private readonly hub: Hub, private readonly store: Store, timing: LivenessTiming) {
    // Who is online shows in consoles' queue entries; a dead node's people also in the session views here.
    this.where = new Whereabouts(bus, hub.sessions, (ls) => hub.queues.changedElsewhere(ls), timing, (ls, had) => lostWithNode(hub, ls, had));
    // Who is available shows in consoles' lists, the portal and the embed.
    this.repsOnline = new RepsOnline(bus, hub.dir, () => hub.queues.scheduleRepQueues());
  }

  /** Connects to NATS and links the hub's sessions; call before the hub starts (it loads the open sessions). */
  static async join(config: ServerConfig, hub: Hub, store: Store): Promise<ClusterNode> {
    const nodeId = config.cluster.nodeId ?? randomBytes(6).toString('base64url');
    const bus = await connectBus(config.cluster.natsUrl!, nodeId);
    const node = new ClusterNode(bus, hub, store, config.cluster);
    bus.subscribe(SESSIONS, (m, subject) => node.fromSession(sessionOfSubject(subject), m as SessionMsg));
    bus.subscribe(RECORDS, (m) => node.fromRecords(m as RecordMsg));
    // Listening for other nodes' reps before the hello that makes them announce.
    node.repsOnline.start();
    node.where.start();
    await bus.flush();
    hub.sessions.linkTo(node);
    // Deadlines run on the one node holding the timer lease ("Timers once cluster-wide").
    node.lease = await TimerOwnerLease.open(bus);
    hub.timers.shareWith(node.lease);
    node.counts = await KvCounts.open(bus);
    return node;
  }

  get nodeId(): string {
    return this.bus.nodeId;
  }

  async stop(): Promise<void> {
    this.where.stop();
    await this.lease?.stop();
    this.repsOnline.stop();
    await this.bus.close();
  }

  // ---- ClusterLink: what the rooms here tell the other nodes

  toOthers(ls: LiveSession, bytes: Uint8Array, to: Audience = 'all', droppable = false): void {
    // Frames and input cross only when their other end is on another node.
    if (to !== 'all' && ![...ls.elsewhere.values()].some((n) => wants(ls, n, to))) return;
    this.bus.publish(sessionSubject(ls.id), { k: 'send', bytes, to, droppable } satisfies SessionMsg);
  }

  grantChanged(ls: LiveSession): void {
    const last = ls.lastGrant && { agentId: ls.lastGrant.agentId, epoch: ls.lastGrant.epoch, reps: [...ls.lastGrant.reps] };
    this.bus.publish(sessionSubject(ls.id), { k: 'grant', kind: ls.grantKind, reps: [...ls.grantReps], msg: ls.grantMsg, last } satisfies SessionMsg);
  }

  eventStored(ls: LiveSession, row: EventRow): void {
    this.bus.publish(sessionSubject(ls.id), { k: 'event', row } satisfies SessionMsg);
    this.order(ls).offer(row);
  }

  rowChanged(ls: LiveSession, patch: Partial<SessionRow>): void {
    this.bus.publish(RECORDS, { id: ls.id, patch } satisfies RecordMsg);
  }

  peersChanged(ls: LiveSession): void {
    this.where.peersChanged(ls);
  }

  call(ls: LiveSession, kind: string, body: unknown): void {
    this.bus.publish(sessionSubject(ls.id), { k: 'call', kind, body, node: this.nodeId } satisfies SessionMsg);
  }

  // ---- what other nodes send

  private order(ls: LiveSession): EventOrder {
    let o = this.orders.get(ls);
    if (!o) this.orders.set(ls, (o = new EventOrder(ls, this.store)));
    return o;
  }

  private async fromSession(id: string, m: SessionMsg): Promise<void> {
    const ls = this.hub.sessions.get(id);
    if (!ls) return; // not loaded here: nobody here is in it
    if (m.k === 'event') this.order(ls).offer(m.row);
    else if (m.k === 'call') await this.hub.calls.handle(m.kind, ls, m.body, m.node);
    else if (m.k === 'send') ls.sendHereTo(m.to, m.bytes, m.droppable);
    else {
      // The agent's node decided; here it only decides whom frames reach and whose input passes.
      ls.grantKind = m.kind;
      ls.grantReps = new Set(m.reps);
      ls.grantMsg = m.msg;
      // The agent may come back on this node (its own died): a repeated grant then covers no more than here.
      if (m.last) ls.lastGrant = { agentId: m.last.agentId, epoch: m.last.epoch, reps: new Set(m.last.reps) };
    }
  }

  private async fromRecords(m: RecordMsg): Promise<void> {
    const before = this.hub.sessions.get(m.id)?.repIds ?? [];
    const ls = await this.hub.sessions.applyRemote(m.id, m.patch);
    if (!ls) return;
    // A rep taken out on another node (hold, transfer) is no longer covered by an earlier grant here either.
    for (const id of before) if (!ls.repIds.includes(id)) ls.uncover(id);
    // A rep's consoles here follow an accept, hold or transfer on another node.
    if (m.patch.rep_ids !== undefined) await this.hub.lifecycle.repsChangedElsewhere(ls, before);
    // Positions and consoles' lists follow what changed elsewhere.
    this.hub.queues.changedElsewhere(ls);
  }
}

/** Whether a node holding these participants wants a message for `to`. */
function wants(ls: LiveSession, n: NodePresence, to: Audience): boolean {
  if (to === 'agent') return n.agent;
  if (to === 'reps') return n.reps.length > 0;
  if (to === 'customers') return n.customer || n.agent;
  return n.reps.some((id) => ls.grantReps.has(id));
}
