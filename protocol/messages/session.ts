// Session lifecycle, queues, rep operations and surveys.
import * as v from 'valibot';
import { RebootState } from './reboot.ts';
import { ClientId, Grant, Id, NoControl, SessionId, ShortText, Text, Time, UInt, Url } from './common.ts';

export const SessionState = v.picklist(['pending', 'queued', 'active', 'held', 'orphaned', 'ended']);
export type SessionState = v.InferOutput<typeof SessionState>;

export const QueueRef = v.object({ kind: v.picklist(['general', 'team', 'personal']), id: v.optional(Id) });
export type QueueRef = v.InferOutput<typeof QueueRef>;

export const CustomerInfo = v.object({
  name: ShortText,
  company: ShortText,
  issue: ShortText,
  description: v.pipe(v.string(), v.maxLength(4000)),
  platform: ShortText,
});
export type CustomerInfo = v.InferOutput<typeof CustomerInfo>;

/**
 * A rep's outstanding request for screen access. It is session state, not a one-shot message:
 * kept (and stored) until the customer answers in the agent, declines, the rep cancels, it times
 * out or the session ends, so an agent that starts, reconnects or returns after a server restart
 * still gets it. Only the agent's own window turns it into a grant.
 */
export const PendingScreenRequest = v.object({
  id: Id,
  want: v.picklist(['view', 'control']),
  repId: Id,
  repName: ShortText,
  at: Time,
  expiresAt: Time,
});
export type PendingScreenRequest = v.InferOutput<typeof PendingScreenRequest>;

/** The fields a help desk may sign for click-to-chat; signed ones are shown to reps as verified. */
export const SIGNED_FIELDS = ['externalKey', 'name', 'email'] as const;
export type SignedField = (typeof SIGNED_FIELDS)[number];

/** A click-to-chat session: the embedding page's origin and the fields a help desk vouched for. */
export const EmbedSource = v.object({
  origin: ShortText,
  /** The API account whose signature verified the fields (its name); null when unsigned. */
  verifiedBy: v.nullable(ShortText),
  verified: v.array(v.picklist(SIGNED_FIELDS)),
});
export type EmbedSource = v.InferOutput<typeof EmbedSource>;

export const SessionInfo = v.object({
  id: SessionId,
  state: SessionState,
  queue: QueueRef,
  queueName: ShortText,
  customer: CustomerInfo,
  reps: v.array(v.object({ id: Id, name: ShortText })),
  primaryRepId: v.nullable(Id),
  createdAt: Time,
  queuedAt: v.nullable(Time),
  acceptedAt: v.nullable(Time),
  endedAt: v.nullable(Time),
  externalKey: v.nullable(ShortText),
  /** Whether a customer browser chat and an agent are connected now. */
  customerOnline: v.boolean(),
  agentOnline: v.boolean(),
  endReason: v.nullable(ShortText),
  /** Set with state `orphaned` when the site configured a redirect. */
  redirectUrl: v.nullable(Url),
  screenRequest: v.nullable(PendingScreenRequest),
  /** What the connected agent reports sharing now ('none' without an agent). */
  sharing: Grant,
  /** Whether the session is recorded, once decided; absent where the site records nothing. */
  recording: v.optional(v.picklist(['on', 'off'])),
  /** The e-mail address a help desk or a click-to-chat page gave; absent when none. */
  email: v.optional(ShortText),
  /** Set for sessions started from a page that embeds click-to-chat. */
  embed: v.optional(EmbedSource),
  /** Once the customer confirmed a restart: waiting for the agent to come back, or how it went. */
  reboot: v.optional(RebootState),
});
export type SessionInfo = v.InferOutput<typeof SessionInfo>;

/** Server → every participant whenever the session's state changes. */
export const SessionUpdate = v.object({ t: v.literal('session'), session: SessionInfo });

/** Server → a waiting customer: where they stand. Sent on change and with each periodic queue message. */
export const QueueStatus = v.object({
  t: v.literal('queue.status'),
  sessionId: SessionId,
  position: UInt,
  /** Seconds; null while there is no history to estimate from. */
  estimatedWaitSec: v.nullable(UInt),
  message: v.optional(Text),
});

export const QueueView = v.object({
  ref: QueueRef,
  name: ShortText,
  sessions: v.array(SessionInfo),
});
export type QueueView = v.InferOutput<typeof QueueView>;

export const RepPresence = v.object({ id: Id, name: ShortText, availability: v.picklist(['available', 'busy', 'away', 'offline']) });

/**
 * Server → rep: a snapshot of every queue the rep may see, the sessions the rep is in and every
 * rep's presence. Sent when the console connects and when it asks (`rep.queues.refresh`); after
 * it, `rep.queues.delta` messages carry the changes, numbered on from `seq` (docs/ARCHITECTURE.md
 * "Queue views").
 */
export const RepQueues = v.object({
  t: v.literal('rep.queues'),
  /** The number of the last change this snapshot includes: the next delta is seq + 1. */
  seq: UInt,
  queues: v.array(QueueView),
  mine: v.array(SessionInfo),
  reps: v.array(RepPresence),
});

/** One session in one queue (added, or changed: replaces the entry with that session id). */
export const QueueEntry = v.object({ ref: QueueRef, session: SessionInfo });
export const QueueRemoval = v.object({ ref: QueueRef, sessionId: SessionId });

/**
 * Server → rep: what changed since the previous `rep.queues`/`rep.queues.delta`, only in queues
 * this rep may see. A console that sees a seq other than its last + 1 missed one and asks for a
 * snapshot with `rep.queues.refresh`.
 */
export const RepQueuesDelta = v.object({
  t: v.literal('rep.queues.delta'),
  seq: UInt,
  added: v.array(QueueEntry),
  changed: v.array(QueueEntry),
  removed: v.array(QueueRemoval),
  mineAdded: v.array(SessionInfo),
  mineChanged: v.array(SessionInfo),
  mineRemoved: v.array(SessionId),
  /** Reps whose presence or name changed (replace by id), and reps gone from the list. */
  reps: v.array(RepPresence),
  repsRemoved: v.array(Id),
});

/** Rep → server: send a fresh `rep.queues` snapshot (the console missed a delta). */
export const RepQueuesRefresh = v.object({ t: v.literal('rep.queues.refresh'), lastSeq: UInt });

export const Availability = v.object({ t: v.literal('availability'), status: v.picklist(['available', 'busy', 'away']) });
export const Accept = v.object({ t: v.literal('accept'), sessionId: SessionId });
/** A further rep joins an active session (needs a fresh screen grant from the customer). */
export const Join = v.object({ t: v.literal('join'), sessionId: SessionId });
export const Transfer = v.object({
  t: v.literal('transfer'),
  sessionId: SessionId,
  to: v.variant('kind', [v.object({ kind: v.literal('rep'), id: Id }), v.object({ kind: v.literal('team'), id: Id }), v.object({ kind: v.literal('general') })]),
});
export const Hold = v.object({ t: v.literal('hold'), sessionId: SessionId });
/** Anyone ends the session (rep: for everyone; customer: "End session"). */
export const End = v.object({ t: v.literal('end'), sessionId: SessionId, reason: v.optional(v.pipe(ShortText, NoControl)) });

export const SurveyAnswer = v.union([v.pipe(v.string(), v.maxLength(4000)), v.number(), v.boolean()]);
export const Survey = v.object({
  t: v.literal('survey'),
  sessionId: SessionId,
  id: ClientId,
  answers: v.pipe(v.record(Id, SurveyAnswer), v.check((r) => Object.keys(r).length <= 50, 'too many answers')),
});
export const SurveyQuestionIdList = v.array(Id);

/**
 * Server → every rep console: the canned messages changed (an admin's edit, or who is in which
 * team); the console fetches its list again (GET /api/rep/canned). A ping, not the list: the
 * list is unbounded and differs per rep, the HTTP answer already scopes it (docs/ARCHITECTURE.md,
 * "Administration").
 */
export const CannedChanged = v.object({ t: v.literal('canned.changed') });

/** Server → clients after something they asked for took effect (survey stored, transfer done). */
export const Done = v.object({ t: v.literal('done'), ref: ClientId, detail: v.optional(Text) });
