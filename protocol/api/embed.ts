// Click-to-chat (docs/ARCHITECTURE.md, "Click-to-chat"): what the embeddable loader (embed/)
// asks the server and what it is told. The loader imports these as types only, so no schema
// code travels in it; the server validates every body with them.
import * as v from 'valibot';
import { NoControl, SessionId, ShortText, SIGNED_FIELDS, Time, UInt, Url } from '../messages/index.ts';

export const EMBED_POSITIONS = ['bottom-right', 'bottom-left'] as const;
export const EMBED_OPEN_MODES = ['frame', 'popup'] as const;
/** What the page shows while no rep is available: a message form (a queued session), a link, or only the notice. */
export const EMBED_OFFLINE_MODES = ['form', 'link', 'none'] as const;

const Line = (max: number) => v.pipe(v.string(), v.maxLength(max), NoControl);
/** A CSS colour the loader sets as a custom property (anything else is ignored by the browser). */
const Colour = v.pipe(v.string(), v.maxLength(40), v.regex(/^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|rgba?\([0-9., %]{5,30}\))$/, 'a CSS colour such as "#0b5fff"'));
export const Language = v.pipe(v.string(), v.maxLength(35), v.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as "en" or "pt-BR"'));

/** How the button and invitation look and behave; the site's options override these defaults. */
export const EmbedLook = v.object({
  /** The invitation's text; empty: no invitation window, only the button. */
  invitation: Line(300),
  /** The button's label; empty: the language's own ("Chat with us"). */
  buttonText: Line(60),
  /** Seconds after the page loads before the button or invitation appears. */
  delaySec: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600)),
  position: v.picklist(EMBED_POSITIONS),
  colour: Colour,
  textColour: Colour,
  language: Language,
  open: v.picklist(EMBED_OPEN_MODES),
});
export type EmbedLook = v.InferOutput<typeof EmbedLook>;

export const EmbedOffline = v.object({
  mode: v.picklist(EMBED_OFFLINE_MODES),
  /** Where `link` sends the visitor (http/https). */
  url: v.nullable(Url),
  /** Shown with "No reps available"; empty: the language's own. */
  text: Line(300),
});
export type EmbedOffline = v.InferOutput<typeof EmbedOffline>;

/** GET /api/embed/availability: polled by the loader every `pollSec`. */
export const EmbedAvailability = v.object({
  available: v.boolean(),
  /** Reps signed in and available for this queue. */
  reps: UInt,
  /** Customers waiting in this queue now. */
  waiting: UInt,
  estimatedWaitSec: v.nullable(UInt),
  pollSec: UInt,
});
export type EmbedAvailability = v.InferOutput<typeof EmbedAvailability>;

/** GET /api/embed/settings: once per page, the administrator's defaults with the availability. */
export const EmbedSettings = v.object({
  companyName: ShortText,
  look: EmbedLook,
  offline: EmbedOffline,
  availability: EmbedAvailability,
});
export type EmbedSettings = v.InferOutput<typeof EmbedSettings>;

/** `?queue=general` (default) or `team:<id>`. */
export const EmbedQueueQuery = v.object({ queue: v.optional(v.pipe(v.string(), v.maxLength(80), v.regex(/^(general|team:[^:]{1,64})$/, 'queue is "general" or "team:<team id>"'))) });

/**
 * A help desk's signature over the fields it knows (docs/INTEGRATIONS.md, "Click-to-chat"):
 * HMAC-SHA256 with the key SHA-256(API secret) over the canonical lines
 * `bridge-prefill-v1`, clientId, expires, nonce, externalKey, name, email (joined by "\n").
 */
export const PrefillSignature = v.object({
  clientId: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  /** Unix seconds after which the signature is refused. */
  expires: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** One use: a second start with the same nonce is refused. */
  nonce: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,64}$/, 'nonce is 16 to 64 letters, digits, "-" or "_"')),
  /** Lowercase hex of the HMAC. */
  signature: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'signature is 64 lowercase hex digits')),
});
export type PrefillSignature = v.InferOutput<typeof PrefillSignature>;

/** What the page passes on (as given, not trimmed: a signature covers the exact strings). */
export const EmbedFields = v.object({
  name: v.optional(Line(200)),
  company: v.optional(Line(200)),
  email: v.optional(v.union([v.literal(''), v.pipe(v.string(), v.maxLength(200), v.email('email is one e-mail address'))])),
  issue: v.optional(Line(200)),
  description: v.optional(v.pipe(v.string(), v.maxLength(4000), NoControl)),
  externalKey: v.optional(Line(200)),
  language: v.optional(Language),
});
export type EmbedFields = v.InferOutput<typeof EmbedFields>;

/** POST /api/embed/start: a pending session with the page's fields; the chat opens its link. */
export const EmbedStartRequest = v.object({
  queue: v.optional(EmbedQueueQuery.entries.queue),
  fields: EmbedFields,
  signed: v.optional(PrefillSignature),
});
export type EmbedStartRequest = v.InferOutput<typeof EmbedStartRequest>;
export const EmbedStartResponse = v.object({
  sessionId: SessionId,
  /** The chat as a page of its own (popup). */
  url: Url,
  /** The chat for the loader's frame (served with `frame-ancestors` of the allowed sites). */
  frameUrl: Url,
  expiresAt: Time,
  verified: v.array(v.picklist(SIGNED_FIELDS)),
});
export type EmbedStartResponse = v.InferOutput<typeof EmbedStartResponse>;

/** POST /api/embed/message: no rep available, the visitor leaves a message; it waits in the queue. */
export const EmbedMessageRequest = v.object({
  queue: v.optional(EmbedQueueQuery.entries.queue),
  fields: v.object({ ...EmbedFields.entries, name: v.pipe(Line(200), v.check((s) => s.trim().length > 0, 'give your name')) }),
  message: v.pipe(v.string(), v.check((s) => s.trim().length > 0, 'write a message'), v.maxLength(4000), NoControl),
  signed: v.optional(PrefillSignature),
});
export type EmbedMessageRequest = v.InferOutput<typeof EmbedMessageRequest>;
export const EmbedMessageResponse = v.object({ sessionId: SessionId, verified: v.array(v.picklist(SIGNED_FIELDS)) });
export type EmbedMessageResponse = v.InferOutput<typeof EmbedMessageResponse>;
