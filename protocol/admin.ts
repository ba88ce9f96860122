// Bodies of the Admin area's HTTP API (docs/ARCHITECTURE.md, "Administration"): reps, teams,
// canned messages, the audit log, and what a rep changes of their own.
import * as v from 'valibot';
import { Id, ShortText, Time, UInt } from './messages/index.ts';
import { MAX_CHAT_CHARS } from './limits.ts';

const Name = v.pipe(v.string(), v.trim(), v.minLength(1, 'enter a name'), v.maxLength(200));
const Password = v.pipe(v.string(), v.minLength(8, 'use at least 8 characters'), v.maxLength(200));

/** A rep as administrators see it. */
export const AdminRep = v.object({
  id: Id,
  username: ShortText,
  name: ShortText,
  isAdmin: v.boolean(),
  disabled: v.boolean(),
  teamIds: v.array(Id),
  /** Consoles open now. */
  online: v.boolean(),
  createdAt: Time,
});
export type AdminRep = v.InferOutput<typeof AdminRep>;

/** PATCH /api/admin/reps/:id: any of these; `teamIds` replaces the rep's teams. */
export const UpdateRepRequest = v.strictObject({
  name: v.optional(Name),
  teamIds: v.optional(v.pipe(v.array(Id), v.maxLength(100))),
  isAdmin: v.optional(v.boolean()),
  disabled: v.optional(v.boolean()),
});
export type UpdateRepRequest = v.InferOutput<typeof UpdateRepRequest>;

/** POST /api/admin/reps/:id/password: an administrator sets a new one (the rep's logins end). */
export const ResetPasswordRequest = v.strictObject({ password: Password });
export type ResetPasswordRequest = v.InferOutput<typeof ResetPasswordRequest>;

/** PATCH /api/rep/me: a rep's own display name. */
export const UpdateMeRequest = v.strictObject({ name: Name });
export type UpdateMeRequest = v.InferOutput<typeof UpdateMeRequest>;

/** POST /api/rep/password: a rep's own password, proven by the current one. */
export const ChangePasswordRequest = v.strictObject({ current: v.pipe(v.string(), v.minLength(1, 'enter your current password'), v.maxLength(200)), password: Password });
export type ChangePasswordRequest = v.InferOutput<typeof ChangePasswordRequest>;

export const AdminTeam = v.object({ id: Id, name: ShortText, repIds: v.array(Id) });
export type AdminTeam = v.InferOutput<typeof AdminTeam>;

/** PATCH /api/admin/teams/:id: rename, and/or `repIds` replaces the members. */
export const UpdateTeamRequest = v.strictObject({ name: v.optional(Name), repIds: v.optional(v.pipe(v.array(Id), v.maxLength(1000))) });
export type UpdateTeamRequest = v.InferOutput<typeof UpdateTeamRequest>;

/** A reply reps insert in the chat: for everyone (`teamId` null) or one team's members. */
export const CannedMessage = v.object({ id: Id, title: ShortText, text: v.pipe(v.string(), v.maxLength(MAX_CHAT_CHARS)), teamId: v.nullable(Id) });
export type CannedMessage = v.InferOutput<typeof CannedMessage>;

export const CannedMessageRequest = v.strictObject({
  title: v.pipe(v.string(), v.trim(), v.minLength(1, 'give it a short title'), v.maxLength(100)),
  text: v.pipe(v.string(), v.minLength(1, 'write the message'), v.maxLength(MAX_CHAT_CHARS)),
  teamId: v.optional(v.nullable(Id)),
});
export type CannedMessageRequest = v.InferOutput<typeof CannedMessageRequest>;

/** What the audit log records (docs/ARCHITECTURE.md, "Administration"). */
export const AuditKind = v.picklist([
  'login.succeeded', 'login.failed', 'logout',
  'settings.changed',
  'rep.created', 'rep.changed', 'rep.disabled', 'rep.enabled', 'rep.password_reset', 'rep.own_password', 'rep.own_name',
  'team.created', 'team.changed', 'team.deleted',
  'canned.created', 'canned.changed', 'canned.deleted',
  'integration.changed',
]);
export type AuditKind = v.InferOutput<typeof AuditKind>;

export const AuditEntry = v.object({
  id: UInt,
  at: Time,
  /** Who did it; a failed login names the user name typed (id null when there is no such rep). */
  actor: v.object({ id: v.nullable(Id), name: ShortText }),
  address: ShortText,
  kind: AuditKind,
  /** What it was done to: a rep, team, canned message or API route; null for settings and logins. */
  target: v.nullable(ShortText),
  /** The change: for settings `{changes: [{key, before, after}]}`, else the fields given. */
  detail: v.unknown(),
});
export type AuditEntry = v.InferOutput<typeof AuditEntry>;

/** GET /api/admin/audit?actor=&kind=&from=&to=&before=&limit= (newest first; `kind` may be a prefix: `login`). */
export const AuditQuery = v.strictObject({
  actor: v.optional(Id),
  kind: v.optional(v.pipe(v.string(), v.regex(/^[a-z_.]{1,40}$/, 'a kind such as login or rep.created'))),
  from: v.optional(v.pipe(v.string(), v.transform(Number), Time)),
  to: v.optional(v.pipe(v.string(), v.transform(Number), Time)),
  before: v.optional(v.pipe(v.string(), v.transform(Number), UInt)),
  limit: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1), v.maxValue(500))),
});
export type AuditQuery = v.InferOutput<typeof AuditQuery>;

/** A page of the log; `next` is the `before` of the next (older) page, null at the end. */
export const AuditPage = v.object({ entries: v.array(AuditEntry), next: v.nullable(UInt) });
export type AuditPage = v.InferOutput<typeof AuditPage>;
