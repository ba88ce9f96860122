// A session the server is routing right now: its record (mirrored to the store), the peers
// connected to it, its next sequence number and its timers. Only the registry creates these.
import { ErrorCode, ProtocolError, type Actor, type Message, type Msg, type PendingScreenRequest, type QueueRef, type RebootOutcome, type SessionInfo, type EmbedSource, type Event as EventMsg } from '../../protocol/index.ts';
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
  const msg: EventMsg = { t: 'event', sessionId: row.session_id, seq: row.seq, at: row.at, from, body: JSON.parse(row.body) };
  if (row.client_id) msg.id = row.client_id;
  return msg;
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
  readonly peers = new Set<Peer>();
  nextSeq = 1;
  /** Client ids whose event is being written, so a racing resend waits for the first write. */
  readonly inflight = new Map<string, Promise<EventRow>>();
  /** Rep ids the agent's latest grant covers: frames go to these reps only. */
  grantReps = new Set<string>();
  grantKind: 'none' | 'view' | 'control' = 'none';
  /** Set by the recorder once it decided (docs/ARCHITECTURE.md, "Recording"). */
  recording: 'on' | 'off' | null = null;
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
      customerOnline: [...this.peers].some((p) => p.role === 'customer'),
      agentOnline: [...this.peers].some((p) => p.role === 'agent'),
      endReason: r.end_reason,
      redirectUrl: r.redirect_url,
      screenRequest: this.screenRequest,
      sharing: !this.closed && this.agentPeers().length > 0 ? this.grantKind : 'none',
      ...(this.recording ? { recording: this.recording } : {}),
      ...(r.email ? { email: r.email } : {}),
      ...(r.embed ? { embed: parseEmbedSource(r.embed) } : {}),
      ...(r.reboot !== 'no' || r.reboot_wait ? { reboot: { outcome: r.reboot as RebootOutcome, waitingUntil: this.rebootWait?.until ?? null } } : {}),
    };
  }

  broadcast(msg: Message, except?: Peer): void {
    const bytes = encodeOut(msg);
    for (const p of this.peers) if (p !== except) p.sendBytes(bytes);
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
