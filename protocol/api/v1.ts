// The help-desk API (/api/v1 and /oauth2/token): request and response bodies. The OpenAPI
// document the server publishes is generated from these schemas, so they are the contract.
import * as v from 'valibot';
import { DiagnosticsReport, Grant, Id, NoControl, QueueRef, RebootOutcome, SessionId, ShortText, Text, Time, UInt, Url } from '../messages/index.ts';

export const API_SCOPES = ['command', 'reporting', 'events'] as const;
export const ApiScope = v.picklist(API_SCOPES);
export type ApiScope = v.InferOutput<typeof ApiScope>;

/** Names and reasons people read in the chat and the console: plain text (protocol/plain-text.ts). */
const Name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200), NoControl);
const LongText = v.pipe(v.string(), v.maxLength(4000));
const Language = v.pipe(v.string(), v.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as "en" or "pt-BR"'), v.maxLength(35));

// ---- API accounts (administrators, with their console login)
export const CreateApiAccountRequest = v.object({
  name: Name,
  scopes: v.pipe(v.array(ApiScope), v.minLength(1, 'give at least one scope')),
});
export type CreateApiAccountRequest = v.InferOutput<typeof CreateApiAccountRequest>;
export const UpdateApiAccountRequest = v.object({
  name: v.optional(Name),
  scopes: v.optional(v.pipe(v.array(ApiScope), v.minLength(1, 'give at least one scope'))),
  enabled: v.optional(v.boolean()),
});
export type UpdateApiAccountRequest = v.InferOutput<typeof UpdateApiAccountRequest>;
export const ApiAccount = v.object({
  clientId: Id,
  name: ShortText,
  scopes: v.array(ApiScope),
  enabled: v.boolean(),
  createdAt: Time,
  lastUsedAt: v.nullable(Time),
});
export type ApiAccount = v.InferOutput<typeof ApiAccount>;
/** The secret is in this answer only (creation, rotation); the server keeps its hash. */
export const ApiAccountSecret = v.object({ account: ApiAccount, clientSecret: ShortText });
export type ApiAccountSecret = v.InferOutput<typeof ApiAccountSecret>;
export const ApiAuditEntry = v.object({ at: Time, clientId: Id, action: ShortText, status: UInt, address: ShortText });
export type ApiAuditEntry = v.InferOutput<typeof ApiAuditEntry>;

// ---- OAuth 2 client credentials (RFC 6749 §4.4; the request body is form-encoded)
export const TokenRequest = v.object({
  grant_type: v.pipe(v.string(), v.maxLength(100)),
  client_id: v.optional(v.pipe(v.string(), v.maxLength(100))),
  client_secret: v.optional(v.pipe(v.string(), v.maxLength(200))),
  scope: v.optional(v.pipe(v.string(), v.maxLength(200))),
});
export type TokenRequest = v.InferOutput<typeof TokenRequest>;
export const TokenResponse = v.object({
  access_token: ShortText,
  token_type: v.literal('Bearer'),
  expires_in: UInt,
  scope: ShortText,
});
export type TokenResponse = v.InferOutput<typeof TokenResponse>;
export const OAuthError = v.object({
  error: v.picklist(['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope']),
  error_description: ShortText,
});
export type OAuthError = v.InferOutput<typeof OAuthError>;

// ---- command API
/** What the portal would have asked the customer; prefilled, the customer doesn't type it again. */
export const CustomerFields = v.object({
  name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200), NoControl)),
  company: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200), NoControl)),
  /** One address; a Request Tracker connector makes it the ticket's requestor. */
  email: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200), v.email('customer.email is one e-mail address'))),
  issue: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200), NoControl)),
  description: v.optional(v.pipe(LongText, NoControl)),
});
export type CustomerFields = v.InferOutput<typeof CustomerFields>;

/** What a help desk may fill in for a new session: its queue, ticket number, customer, language. */
const PrefillEntries = {
  /** Where the customer waits; default: the general queue. */
  queue: v.optional(QueueRef),
  externalKey: v.optional(v.pipe(ShortText, v.minLength(1))),
  customer: v.optional(CustomerFields),
  language: v.optional(Language),
};

export const CreateSessionKeyV1 = v.object({
  ...PrefillEntries,
  /** Minutes the key may be used; capped by the site's maximum. */
  validityMin: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(7 * 24 * 60))),
});
export type CreateSessionKeyV1 = v.InferOutput<typeof CreateSessionKeyV1>;
export const SessionKeyV1 = v.object({
  sessionId: SessionId,
  key: ShortText,
  /** Opens the chat in the browser with this key: one use. */
  url: Url,
  expiresAt: Time,
  /** The site's e-mail template filled in, ready for the help desk to send. */
  email: v.object({ subject: ShortText, text: Text }),
});
export type SessionKeyV1 = v.InferOutput<typeof SessionKeyV1>;

export const CreateChatLinkV1 = v.object({
  ...PrefillEntries,
  /** Minutes the link may be opened; default `api.chatLinkValidityMin`. */
  validityMin: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(24 * 60))),
});
export type CreateChatLinkV1 = v.InferOutput<typeof CreateChatLinkV1>;
export const ChatLinkV1 = v.object({ sessionId: SessionId, url: Url, expiresAt: Time });
export type ChatLinkV1 = v.InferOutput<typeof ChatLinkV1>;

export const ExternalKeyV1 = v.object({ externalKey: v.nullable(v.pipe(ShortText, v.minLength(1))) });
export type ExternalKeyV1 = v.InferOutput<typeof ExternalKeyV1>;
export const EndSessionV1 = v.object({ reason: v.optional(Name) });
export type EndSessionV1 = v.InferOutput<typeof EndSessionV1>;

export const RepAvailability = v.object({
  id: Id,
  name: ShortText,
  teams: v.array(v.object({ id: Id, name: ShortText })),
  /** What the rep set in the console; offline when not logged in. */
  availability: v.picklist(['available', 'busy', 'away', 'offline']),
  /** Sessions the rep is in now. */
  activeSessions: UInt,
});
export const RepsV1 = v.object({ reps: v.array(RepAvailability) });
export type RepsV1 = v.InferOutput<typeof RepsV1>;
export const TeamAvailability = v.object({
  id: Id,
  name: ShortText,
  /** Reps logged in and available. */
  repsAvailable: UInt,
  /** Customers waiting in the team's queue now. */
  waiting: UInt,
});
export const TeamsV1 = v.object({ teams: v.array(TeamAvailability), general: v.object({ repsAvailable: UInt, waiting: UInt }) });
export type TeamsV1 = v.InferOutput<typeof TeamsV1>;

// ---- reporting API
const Person = v.object({ id: v.nullable(Id), name: ShortText });
export const SessionSummaryV1 = v.object({
  id: SessionId,
  state: ShortText,
  externalKey: v.nullable(ShortText),
  customerName: ShortText,
  company: ShortText,
  issue: ShortText,
  primaryRep: v.nullable(Person),
  team: v.nullable(Person),
  createdAt: Time,
  acceptedAt: v.nullable(Time),
  endedAt: v.nullable(Time),
});
export type SessionSummaryV1 = v.InferOutput<typeof SessionSummaryV1>;
export const SessionPageV1 = v.object({
  sessions: v.array(SessionSummaryV1),
  /** Give it back as `cursor` for what comes next; with `changes`, also for what changes later. */
  nextCursor: v.nullable(ShortText),
});
export type SessionPageV1 = v.InferOutput<typeof SessionPageV1>;

export const SurveyAnswerV1 = v.object({ id: Id, question: ShortText, answer: v.unknown() });
export const SessionReportV1 = v.object({
  id: SessionId,
  state: ShortText,
  externalKey: v.nullable(ShortText),
  language: v.nullable(ShortText),
  /** What the customer (or the help desk, prefilled) gave at the portal. */
  portal: v.object({ customerName: ShortText, company: ShortText, email: ShortText, issue: ShortText, description: LongText, queue: QueueRef }),
  platform: ShortText,
  primaryRep: v.nullable(Person),
  team: v.nullable(Person),
  times: v.object({
    createdAt: Time, queuedAt: v.nullable(Time), acceptedAt: v.nullable(Time), endedAt: v.nullable(Time),
    waitSec: v.nullable(UInt), durationSec: v.nullable(UInt),
  }),
  end: v.nullable(v.object({ state: ShortText, reason: v.nullable(ShortText) })),
  participants: v.array(v.object({ role: ShortText, repId: v.nullable(Id), name: ShortText, joinedAt: Time, leftAt: v.nullable(Time) })),
  transfers: v.array(v.object({ at: Time, by: ShortText, text: Text })),
  grants: v.array(v.object({ at: Time, grant: Grant, reps: v.array(ShortText) })),
  files: v.array(v.object({ name: ShortText, size: UInt, sha256: v.nullable(ShortText), from: ShortText, status: ShortText, at: Time })),
  surveys: v.array(v.object({ role: ShortText, repId: v.nullable(Id), at: Time, answers: v.array(SurveyAnswerV1) })),
  systemInfo: v.nullable(v.object({ at: Time, info: v.unknown() })),
  /** The latest remote diagnostics the customer allowed (docs/ARCHITECTURE.md, "Remote diagnostics"). */
  diagnostics: v.nullable(v.object({ at: Time, report: DiagnosticsReport })),
  /** Reboot and reconnect: no / successful / failed (docs/ARCHITECTURE.md, "Reboot and reconnect"). */
  reboot: RebootOutcome,
  /** The session's recording (docs/INTEGRATIONS.md), when it was recorded and is still kept. */
  recording: v.nullable(v.object({ bytes: UInt, url: ShortText })),
  transcriptUrl: ShortText,
});
export type SessionReportV1 = v.InferOutput<typeof SessionReportV1>;

export const TranscriptLineV1 = v.object({ seq: UInt, at: Time, from: v.object({ role: ShortText, id: v.nullable(Id), name: ShortText }), kind: ShortText, text: Text, system: v.boolean() });
export const TranscriptV1 = v.object({ sessionId: SessionId, lines: v.array(TranscriptLineV1) });
export type TranscriptV1 = v.InferOutput<typeof TranscriptV1>;
