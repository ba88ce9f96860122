// Webhook endpoints for outbound events (docs/INTEGRATIONS.md, "Outbound events"): the bodies an
// administrator (or an API account with scope `events`) sends and gets back.
import * as v from 'valibot';
import { Id, SessionId, ShortText, Time, UInt } from '../messages/index.ts';
import { OutboundEventType } from './events.ts';

/** Only http and https: a receiver is a web server the site's administrators chose. */
export const EndpointUrl = v.pipe(
  v.string(), v.maxLength(2048), v.url(),
  v.check((u) => /^https?:\/\//i.test(u), 'the URL must start with http:// or https://'),
);
/** Which types go to the endpoint; each at most once. */
export const EndpointEventTypes = v.pipe(
  v.array(OutboundEventType), v.minLength(1),
  v.check((a) => new Set(a).size === a.length, 'each event type at most once'),
);

export const CreateEventEndpointRequest = v.object({
  url: EndpointUrl,
  /** Omitted: every type. */
  eventTypes: v.optional(EndpointEventTypes),
  description: v.optional(ShortText),
  enabled: v.optional(v.boolean()),
});
export type CreateEventEndpointRequest = v.InferOutput<typeof CreateEventEndpointRequest>;

export const UpdateEventEndpointRequest = v.object({
  url: v.optional(EndpointUrl),
  eventTypes: v.optional(EndpointEventTypes),
  description: v.optional(ShortText),
  enabled: v.optional(v.boolean()),
});
export type UpdateEventEndpointRequest = v.InferOutput<typeof UpdateEventEndpointRequest>;

export const EventEndpoint = v.object({
  id: Id,
  url: EndpointUrl,
  eventTypes: v.array(OutboundEventType),
  description: ShortText,
  enabled: v.boolean(),
  createdAt: Time,
  updatedAt: Time,
  /** After a rotation the old secret also signs until then (receivers switch without a gap). */
  previousSecretUntil: v.nullable(Time),
});
export type EventEndpoint = v.InferOutput<typeof EventEndpoint>;

/** Create and rotate answer with the secret: the only time it is shown. */
export const EventEndpointWithSecret = v.object({ endpoint: EventEndpoint, secret: v.pipe(v.string(), v.startsWith('whsec_')) });
export type EventEndpointWithSecret = v.InferOutput<typeof EventEndpointWithSecret>;

export const DeliveryState = v.picklist(['pending', 'delivered', 'failed']);
export type DeliveryState = v.InferOutput<typeof DeliveryState>;

/** One event on its way to one endpoint, as the delivery log shows it. */
export const EventDelivery = v.object({
  eventId: Id,
  type: OutboundEventType,
  sessionId: SessionId,
  sequence: UInt,
  state: DeliveryState,
  attempts: UInt,
  /** The receiver's HTTP status on the last attempt; null when it didn't answer. */
  lastStatus: v.nullable(UInt),
  /** Why the last attempt failed (timeout, refused connection, the start of a non-2xx answer). */
  lastError: v.nullable(ShortText),
  lastAttemptAt: v.nullable(Time),
  nextAttemptAt: v.nullable(Time),
  deliveredAt: v.nullable(Time),
  createdAt: Time,
});
export type EventDelivery = v.InferOutput<typeof EventDelivery>;

/** GET …/deliveries: newest first; `before` is the `next` of the previous page. */
export const DeliveriesQuery = v.object({
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/), v.transform(Number), v.minValue(1), v.maxValue(200))),
  before: v.optional(v.pipe(v.string(), v.maxLength(100))),
  state: v.optional(DeliveryState),
});
export type DeliveriesQuery = v.InferOutput<typeof DeliveriesQuery>;

export const DeliveriesPage = v.object({ deliveries: v.array(EventDelivery), next: v.nullable(v.string()) });
export type DeliveriesPage = v.InferOutput<typeof DeliveriesPage>;
