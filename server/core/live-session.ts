// A session the server is routing right now: its record (mirrored to the store), the peers
// connected to it, its next sequence number and its timers. Only the registry creates these.
import { ErrorCode, ProtocolError, systemText, type StoredSystemBody, type Actor, type Message, type Msg, type PendingScreenRequest, type QueueRef, type RebootOutcome, type SessionInfo, type EmbedSource, type Event as EventMsg } from '../../protocol/index.ts';
import { serverTranslator } from '../../protocol/i18n/compile.ts';
import { DEFAULT_LANGUAGE, negotiate } from '../../protocol/i18n/locales.ts';
import type { EventRow, SessionRow } from '../store/store.ts';
import { encodeOut } from '../outgoing.ts';
import type { Peer } from '../ws/peer.ts';

export type QueueKey = string;

export function queueKey(ref: QueueRef): QueueKey {
  return ref.kind === 'general' ? 'general' : `${ref.kind}:${ref.id ?? ''}`;
}
export function rowQueueRef(row: Pick<SessionRow, 'queue_kind' | 'queue_id'>): QueueRef {
  const kind = row.queue_kind as QueueRef['kind'];
  return kind === 'general' ? { kind } : { kind, id: row.queue_id ?? '' };
}

export function eventToMessage(row: EventRow): EventMsg {
  const from: Actor = { role: row.from_role as Actor['role'], name: row.from_name };
  if (row.from_id) from.id = row.from_id;
  const stored = JSON.parse(row.body) as EventMsg['body'] | StoredSystemBody;
  // A system line is stored as code + params; the English words go along for readers without the
  // catalogue (docs/ARCHITECTURE.md, "Languages" → "System events"). Old rows have their text.
  const body: EventMsg['body'] = stored.kind === 'system' && !('text' in stored) ? { ...stored, text: systemText(stored, serverTranslator('events', DEFAULT_LANGUAGE)) } : stored as EventMsg['body'];
  const msg: EventMsg = { t: 'event', sessionId: row.session_id, seq: row.seq, at: row.at, from, body };
  if (row.client_id) msg.id = row.client_id;
  return msg;
}

/** Who of a session is connected to one node. */
export interface NodePresence {
  customer: boolean;
  agent: boolean;
  reps: string[];
}

/** Whom a message is for: everyone, the agent, the customer side (customer and agent), the reps, or the reps the grant covers (frames). */
export type Audience = 'all' | 'agent' | 'customers' | 'reps' | 'granted';

/**
 * What the session rooms tell other bridge servers (docs/ARCHITECTURE.md, "Several nodes"). One
 * node alone has no link: each call site checks `ls.link` and otherwise does what it always did.
 * server/cluster/ implements it on NATS; the rooms never see NATS.
 */
export interface ClusterLink {
  /** This node's name on the bus. */
  readonly nodeId: string;
  /** Encoded message for the session's participants (of `to`) on other nodes; `droppable`: frames and pointer moves. */
  toOthers(ls: LiveSession, bytes: Uint8Array, to?: Audience, droppable?: boolean): void;
  /** The agent's grant as this node applied it (or dropped it): other nodes relay and check input by it. */
  grantChanged(ls: LiveSession): void;
  /** A transcript line is stored: delivered here and on every other node in seq order. */
  eventStored(ls: LiveSession, row: EventRow): void;
  /** The session's record changed here (or the session was created: the whole row). */
  rowChanged(ls: LiveSession, patch: Partial<SessionRow>): void;
  /** Who of the session is connected to this node changed. */
  peersChanged(ls: LiveSession): void;
  /** Hands `body` to the `kind` handler (`NodeCalls`) of the other nodes, in order with everything else of the session. */
  call(ls: LiveSession, kind: string, body: unknown): void;
}

/** The peers connected to this node; a change is told to the cluster link (who-is-where). */
class PeerSet extends Set<Peer> {
  constructor(private readonly changed: () => void) {
    super();
  }
  override add(p: Peer): this {
    const had = this.has(p);
    super.add(p);
    if (!had) this.changed?.();
    return this;
  }
  override delete(p: Peer): boolean {
    const had = super.delete(p);
    if (had) this.changed();
    return had;
  }
}

/** The wait while the customer's computer restarts (the row's `reboot_wait`, JSON; docs/ARCHITECTURE.md, "Reboot and reconnect"). */
export interface RebootWait {
  requestId: string;
  /** The rep who asked: consent is asked again for them after the restart. */
  repId: string;
  repName: string;
  answer: 'restart' | 'logout';
  /** When the customer confirmed; the agent after the restart reads the transcript from here. */
  since: number;
  /** The deadline: the agent must have rejoined by then (moved on by server downtime). */
  until: number;
  /** sha256 of the credential's secret part. */
  hash: string;
  /** What the customer's grant was before the restart ('none': nothing to ask again). */
  grant: 'none' | 'view' | 'control';
}

export class LiveSession {
  /** Set by the registry when this node is one of several (docs/ARCHITECTURE.md, "Several nodes"). */
  link: ClusterLink | null = null;
  /** Who of this session is connected to each other node (empty on one node alone). */
  readonly elsewhere = new Map<string, NodePresence>();
  readonly peers: Set<Peer> = new PeerSet(() => this.link?.peersChanged(this));
  nextSeq = 1;
  /** The highest seq stored when this node loaded the session: where in-order delivery starts on several nodes. */
  loadedSeq = 0;
  /** Client ids whose event is being written, so a racing resend waits for the first write. */
  readonly inflight = new Map<string, Promise<EventRow>>();
  /** Rep ids the agent's latest grant covers: frames go to these reps only. */
  grantReps = new Set<string>();
  grantKind: 'none' | 'view' | 'control' = 'none';
  /** Set by the recorder once it decided (docs/ARCHITECTURE.md, "Recording"). */
  recording: 'on' | 'off' | null = null;
  /** The customer's IANA zone from their last hello (browser or agent); shown to reps. */
  customerTimeZone: string | null = null;
  /** The agent's latest sysinfo, encoded, for reps who arrive later. */
  sysinfo: Uint8Array | null = null;
  /** The rep's diagnostics request the agent hasn't answered (or, once allowed, reported) yet. */
  diagRequest: { requestId: string; repId: string; repName: string; allowed: boolean; at: number } | null = null;
  /** The latest diagnostics report, encoded, for reps who arrive later. */
  diagnostics: Uint8Array | null = null;
  /** The rep's restart request the customer hasn't answered yet (docs/ARCHITECTURE.md, "Reboot and reconnect"). */
  rebootRequest: { requestId: string; repId: string; repName: string; at: number } | null = null;
  /** The agent's latest grant message (its `reps` as the server allowed them). */
  grantMsg: Msg<'grant'> | null = null;
  /**
   * The agent's latest grant as the server let it cover reps, kept when the agent disconnects.
   * An agent re-announcing that grant (same agent, no newer epoch) after a reconnect can't cover
   * a rep the server took out since (hold, transfer), even one who is back in the session.
   */
  lastGrant: { agentId: string; epoch: number; reps: Set<string> } | null = null;
  agreementTimer: ReturnType<typeof setTimeout> | null = null;
  agreementDecided = false;
  /** Times the customer asked for more time on the agreement (AGREEMENT_EXTENSIONS at most). */
  agreementExtensions = 0;
  /** Queue position last told to the customer side, to skip unchanged updates. */
  lastPosition = 0;

  constructor(public row: SessionRow) {}

  get id(): string {
    return this.row.id;
  }
  private repIdsCache: { src: string; ids: string[] } = { src: '[]', ids: [] };
  /** A fresh copy of the rep ids in the session (parsed once per change of the row). */
  get repIds(): string[] {
    if (this.repIdsCache.src !== this.row.rep_ids) this.repIdsCache = { src: this.row.rep_ids, ids: JSON.parse(this.row.rep_ids) as string[] };
    return [...this.repIdsCache.ids];
  }
  private requestCache: { src: string | null; req: PendingScreenRequest | null } = { src: null, req: null };
  /** The outstanding screen request (parsed once per change of the row; the timer loop reads it often). */
  get screenRequest(): PendingScreenRequest | null {
    if (this.requestCache.src !== this.row.screen_request) {
      this.requestCache = { src: this.row.screen_request, req: this.row.screen_request ? (JSON.parse(this.row.screen_request) as PendingScreenRequest) : null };
    }
    return this.requestCache.req;
  }
  /** While the customer's computer restarts: the wait kept in the row (server/core/reboots.ts). */
  get rebootWait(): RebootWait | null {
    return this.row.reboot_wait ? (JSON.parse(this.row.reboot_wait) as RebootWait) : null;
  }
  get closed(): boolean {
    return this.row.state === 'ended' || this.row.state === 'orphaned';
  }
  get queueRef(): QueueRef {
    return rowQueueRef(this.row);
  }

  /** The latest grant as relayed, naming only reps it still covers, for reps who arrive later. */
  get grant(): Uint8Array | null {
    const g = this.grantMsg;
    return g ? encodeOut({ ...g, reps: g.reps.filter((id) => this.grantReps.has(id)) }) : null;
  }

  /** What only a rep in the session may do (transfer, hold, screen requests). */
  requireRep(peer: Peer): void {
    if (!peer.repId || !this.repIds.includes(peer.repId)) throw new ProtocolError(ErrorCode.Forbidden, 'you are not in this session');
  }

  /** A rep left the session: no grant the agent made before covers them any more. */
  uncover(repId: string): void {
    this.grantReps.delete(repId);
    this.lastGrant?.reps.delete(repId);
  }

  /** The agent went away: whatever it granted goes with it (it sends a fresh grant when back). */
  dropGrant(): void {
    this.grantKind = 'none';
    this.grantReps = new Set();
    this.grantMsg = null;
    this.link?.grantChanged(this);
  }

  customerPeers(): Peer[] {
    return [...this.peers].filter((p) => p.role !== 'rep');
  }
  agentPeers(): Peer[] {
    return [...this.peers].filter((p) => p.role === 'agent');
  }
  repPeers(): Peer[] {
    return [...this.peers].filter((p) => p.role === 'rep');
  }

  info(repName: (id: string) => string, queueName: string): SessionInfo {
    const r = this.row;
    return {
      id: r.id,
      state: r.state as SessionInfo['state'],
      queue: this.queueRef,
      queueName,
      customer: { name: r.customer_name, company: r.company, issue: r.issue, description: r.description, platform: r.platform },
      reps: this.repIds.map((id) => ({ id, name: repName(id) })),
      primaryRepId: r.primary_rep_id,
      createdAt: r.created_at,
      queuedAt: r.queued_at,
      acceptedAt: r.accepted_at,
      endedAt: r.ended_at,
      externalKey: r.external_key,
      customerOnline: this.online('customer'),
      agentOnline: this.online('agent'),
      endReason: r.end_reason,
      redirectUrl: r.redirect_url,
      screenRequest: this.screenRequest,
      sharing: !this.closed && this.online('agent') ? this.grantKind : 'none',
      ...(this.recording ? { recording: this.recording } : {}),
      ...(r.email ? { email: r.email } : {}),
      ...(r.embed ? { embed: parseEmbedSource(r.embed) } : {}),
      ...(r.reboot !== 'no' || r.reboot_wait ? { reboot: { outcome: r.reboot as RebootOutcome, waitingUntil: this.rebootWait?.until ?? null } } : {}),
      // A help desk may have prefilled any tag ("pt-BR"); the pages speak the nearest supported one.
      ...(r.language ? { language: negotiate(r.language) } : {}),
      ...(this.customerTimeZone ? { customerTimeZone: this.customerTimeZone } : {}),
    };
  }

  /** A customer or agent connected here or (several nodes) on another node. */
  private online(role: 'customer' | 'agent'): boolean {
    if ([...this.peers].some((p) => p.role === role)) return true;
    for (const n of this.elsewhere.values()) if (n[role]) return true;
    return false;
  }

  /** To every participant: those connected here, and through the cluster link those on other nodes. */
  broadcast(msg: Message, except?: Peer): void {
    const bytes = encodeOut(msg);
    this.sendHere(bytes, except);
    this.link?.toOthers(this, bytes);
  }

  /** To the participants connected to this node only (what another node sent for them). */
  sendHere(bytes: Uint8Array, except?: Peer): void {
    for (const p of this.peers) if (p !== except) p.sendBytes(bytes);
  }

  /** To this node's participants of one kind; droppable bytes (frames, pointer moves) skip a backed-up socket. */
  sendHereTo(to: Audience, bytes: Uint8Array, droppable = false): void {
    for (const p of this.peers) {
      const wanted = to === 'all' || (to === 'agent' ? p.role === 'agent' : to === 'customers' ? p.role !== 'rep' : p.role === 'rep' && (to === 'reps' || this.grantReps.has(p.repId!)));
      if (!wanted) continue;
      if (droppable) p.sendDroppable(bytes);
      else p.sendBytes(bytes);
    }
  }
}

/** The row's click-to-chat source (written by the server from EmbedSource; an unreadable one reads as unsigned). */
function parseEmbedSource(json: string): EmbedSource {
  try {
    const e = JSON.parse(json) as EmbedSource;
    return { origin: String(e.origin ?? ''), verifiedBy: e.verifiedBy ?? null, verified: Array.isArray(e.verified) ? e.verified : [] };
  } catch {
    return { origin: '', verifiedBy: null, verified: [] };
  }
}
