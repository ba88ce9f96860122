// Connection set-up: hello / resume → welcome, and the error reply.
import * as v from 'valibot';
import { LanguageSchema } from '../i18n/locales.ts';
import { ClientId, ErrorCodeSchema, Id, Role, SessionId, ShortText, Text, UInt } from './common.ts';

export const SurveyQuestion = v.object({
  id: Id,
  text: ShortText,
  type: v.picklist(['rating', 'text', 'choice']),
  choices: v.optional(v.array(ShortText)),
  /** The form is not sent until this one is answered (absent: optional). */
  required: v.optional(v.boolean()),
});
export type SurveyQuestion = v.InferOutput<typeof SurveyQuestion>;

/** What the site configured that a customer-side client needs to behave. */
export const CustomerSettings = v.object({
  companyName: ShortText,
  /** Shown before the session; null when the site has none. */
  agreement: v.nullable(v.object({ text: Text, timeoutSec: UInt })),
  recordingPrompt: v.boolean(),
  /** Notices shown automatically on join. */
  notices: v.array(Text),
  survey: v.array(SurveyQuestion),
  fileMaxBytes: UInt,
  watermark: v.boolean(),
  /** The site's texts in other languages (the pages pick theirs; absent: only the defaults above). */
  translations: v.optional(v.record(LanguageSchema, v.object({
    agreement: v.optional(Text),
    notices: v.optional(v.array(Text)),
    survey: v.optional(v.record(v.pipe(v.string(), v.maxLength(64)), v.object({ text: v.optional(Text), choices: v.optional(v.array(ShortText)) }))),
  }))),
});
export type CustomerSettings = v.InferOutput<typeof CustomerSettings>;

export const RepProfile = v.object({
  id: Id,
  username: ShortText,
  name: ShortText,
  isAdmin: v.boolean(),
  teams: v.array(v.object({ id: Id, name: ShortText })),
  survey: v.array(SurveyQuestion),
  fileMaxBytes: UInt,
});
export type RepProfile = v.InferOutput<typeof RepProfile>;

export const Hello = v.object({
  t: v.literal('hello'),
  v: UInt,
  role: Role,
  /** customer/agent: the token from POST /api/sessions/join; rep: empty (the cookie authenticates). */
  credential: v.pipe(v.string(), v.maxLength(512)),
  /** `timeZone`: the client's IANA zone, so a rep can see the customer's local time (docs/ARCHITECTURE.md, "Languages"). */
  client: v.optional(v.object({ name: v.optional(ShortText), version: v.optional(ShortText), platform: v.optional(ShortText), timeZone: v.optional(ShortText) })),
});

/** First message of a reconnecting client instead of hello. */
export const Resume = v.object({
  t: v.literal('resume'),
  v: UInt,
  role: Role,
  resumeToken: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
  /** Highest event seq the client has, per session (reps may follow many sessions). */
  lastSeq: v.record(SessionId, UInt),
});

export const Welcome = v.object({
  t: v.literal('welcome'),
  v: UInt,
  role: Role,
  participantId: Id,
  /** customer/agent: the one session this connection belongs to. */
  sessionId: v.optional(SessionId),
  resumeToken: v.pipe(v.string(), v.maxLength(512)),
  customer: v.optional(CustomerSettings),
  rep: v.optional(RepProfile),
  serverTime: UInt,
});

export const ErrorMessage = v.object({
  t: v.literal('error'),
  code: ErrorCodeSchema,
  message: Text,
  /** The client id or type of the message that caused it, when known. */
  ref: v.optional(ClientId),
  /** rate_limited: the referenced message may be sent again after this many ms. */
  retryAfterMs: v.optional(UInt),
});

export const Ping = v.object({ t: v.literal('ping'), ts: UInt });
export const Pong = v.object({ t: v.literal('pong'), ts: UInt });
