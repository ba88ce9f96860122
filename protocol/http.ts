// Request and response bodies of the HTTP API (JSON). Shared by server, chat, console and agent.
import * as v from 'valibot';
import { ErrorCodeSchema, Id, QueueRef, RebootOutcome, SessionId, ShortText, Text, Time, UInt, Url } from './messages/index.ts';

export const LoginRequest = v.object({ username: v.pipe(v.string(), v.minLength(1), v.maxLength(100)), password: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) });
export type LoginRequest = v.InferOutput<typeof LoginRequest>;

export const SessionKeyRequest = v.object({
  queue: v.optional(QueueRef),
  /** Minutes; capped by the site's maximum. */
  validityMin: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(7 * 24 * 60))),
  externalKey: v.optional(ShortText),
});
export type SessionKeyRequest = v.InferOutput<typeof SessionKeyRequest>;
export const SessionKeyResponse = v.object({ key: ShortText, url: Url, accessKey: ShortText, sessionId: SessionId, expiresAt: Time });
export type SessionKeyResponse = v.InferOutput<typeof SessionKeyResponse>;

/** Exchange a session key (7 chars) or a link's access key for a session-scoped token. */
export const JoinRequest = v.object({
  key: v.optional(v.pipe(v.string(), v.maxLength(64))),
  accessKey: v.optional(v.pipe(v.string(), v.maxLength(64))),
  role: v.optional(v.picklist(['customer', 'agent'])),
  name: v.optional(ShortText),
  platform: v.optional(ShortText),
});
export type JoinRequest = v.InferOutput<typeof JoinRequest>;
export const JoinResponse = v.object({ token: v.string(), sessionId: SessionId, role: v.picklist(['customer', 'agent']), key: ShortText });
export type JoinResponse = v.InferOutput<typeof JoinResponse>;

/** POST /api/sessions/reconnect: the agent started after a restart trades its one-time credential
 *  (from `reboot.ticket`) for an agent token of the same session (answered with a JoinResponse). */
export const ReconnectRequest = v.object({ credential: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) });
export type ReconnectRequest = v.InferOutput<typeof ReconnectRequest>;

/** POST /api/sessions/agent-key (customer token): a fresh key for the agent's file name. */
export const AgentKeyResponse = v.object({ key: ShortText, expiresAt: Time });
export type AgentKeyResponse = v.InferOutput<typeof AgentKeyResponse>;

export const PortalInfo = v.object({
  companyName: ShortText,
  reps: v.array(v.object({ id: Id, name: ShortText })),
  teams: v.array(v.object({ id: Id, name: ShortText })),
  issueCategories: v.array(ShortText),
  /** Whether a customer joining with a key or link is asked for a name first. */
  askName: v.optional(v.boolean()),
  /** The site's message on the portal page, when it has one. */
  message: v.optional(Text),
});
export type PortalInfo = v.InferOutput<typeof PortalInfo>;

export const SubmitIssueRequest = v.object({
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  company: v.optional(ShortText),
  issue: v.optional(ShortText),
  description: v.optional(v.pipe(v.string(), v.maxLength(4000))),
  repId: v.optional(Id),
  teamId: v.optional(Id),
  platform: v.optional(ShortText),
});
export type SubmitIssueRequest = v.InferOutput<typeof SubmitIssueRequest>;

/** One problem with one field: `path` is dotted (`agreement.timeoutSec`, `surveys.customer.0.text`). */
export const FieldError = v.object({ path: v.pipe(v.string(), v.maxLength(300)), message: v.pipe(v.string(), v.maxLength(1000)) });
export type FieldError = v.InferOutput<typeof FieldError>;

/** Every issue valibot found, one per field path, as a form shows them beside each field. */
export function fieldErrors(issues: readonly v.BaseIssue<unknown>[]): FieldError[] {
  const seen = new Map<string, string>();
  for (const issue of issues) {
    const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
    if (!seen.has(path)) seen.set(path, issue.message);
  }
  return [...seen].map(([path, message]) => ({ path, message }));
}

/** Every HTTP error answers with this body and a 4xx/5xx status; `fields` when a form's fields were refused. */
export const HttpError = v.object({ error: v.object({ code: ErrorCodeSchema, message: Text, fields: v.optional(v.array(FieldError)) }) });
export type HttpError = v.InferOutput<typeof HttpError>;

/** A row of GET /api/history. */
export const SessionRecord = v.object({
  id: SessionId,
  startedAt: Time,
  endedAt: v.nullable(Time),
  durationSec: v.nullable(UInt),
  customerName: ShortText,
  company: ShortText,
  primaryRep: v.nullable(ShortText),
  team: v.nullable(ShortText),
  externalKey: v.nullable(ShortText),
  fileCount: UInt,
  state: ShortText,
  /** Reboot and reconnect: no / successful / failed (docs/ARCHITECTURE.md, "Reboot and reconnect"). */
  reboot: RebootOutcome,
});
export type SessionRecord = v.InferOutput<typeof SessionRecord>;

/** Agent platforms the server can package and serve. */
export const Platform = v.picklist(['linux-x64', 'win-x64', 'darwin-x64', 'darwin-arm64']);
export type Platform = v.InferOutput<typeof Platform>;

/** One agent download as the server offers it: ready, being packaged (ready in about
 *  `readyInSec`), or not set up on this server. */
export const AgentPlatformState = v.object({
  platform: Platform,
  state: v.picklist(['ready', 'preparing', 'unavailable']),
  readyInSec: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0))),
});
export type AgentPlatformState = v.InferOutput<typeof AgentPlatformState>;

/** GET /api/agent-platforms: every platform, in the order the server packages them. */
export const AgentPlatformsResponse = v.object({ platforms: v.array(AgentPlatformState) });
export type AgentPlatformsResponse = v.InferOutput<typeof AgentPlatformsResponse>;

/** POST /api/admin/teams (administrators). */
export const CreateTeamRequest = v.object({ name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) });
export type CreateTeamRequest = v.InferOutput<typeof CreateTeamRequest>;

/** POST /api/admin/reps (administrators). */
export const CreateRepRequest = v.object({
  username: v.pipe(v.string(), v.minLength(1, 'enter a user name'), v.maxLength(100), v.regex(/^[\w.@-]+$/, 'use only letters, digits and . _ @ -')),
  password: v.pipe(v.string(), v.minLength(8, 'use at least 8 characters'), v.maxLength(200)),
  name: v.pipe(v.string(), v.minLength(1, 'enter a name'), v.maxLength(200)),
  isAdmin: v.optional(v.boolean()),
  teamIds: v.optional(v.array(Id)),
});
export type CreateRepRequest = v.InferOutput<typeof CreateRepRequest>;
