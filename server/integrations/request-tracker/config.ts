// `integrations.requestTracker` in the server configuration (docs/INTEGRATIONS.md, "Request Tracker").
import * as v from 'valibot';

const Name = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

export const RequestTrackerConfig = v.pipe(
  v.object({
    /** RT's web address (REST 2 is under /REST/2.0/ there). */
    url: v.pipe(v.string(), v.url('integrations.requestTracker.url is an http(s) URL'), v.regex(/^https?:\/\//i, 'integrations.requestTracker.url is an http(s) URL')),
    /** An RT auth token of the connector's user, or that user's name and password (basic auth). */
    token: v.optional(v.nullable(v.pipe(v.string(), v.minLength(1))), null),
    username: v.optional(v.nullable(Name), null),
    password: v.optional(v.nullable(v.pipe(v.string(), v.minLength(1))), null),
    /** The queue new tickets go to (name or number). */
    queue: Name,
    /**
     * When the ticket is made: when the customer arrives in a queue (not when a rep merely makes a
     * key, which may never be used), or when a rep accepts the chat.
     */
    createOn: v.optional(v.picklist(['session.queued', 'session.accepted']), 'session.queued'),
    /** The ticket custom field that lists the ids of the ticket's Bridge sessions. */
    customField: v.optional(Name, 'Bridge session'),
    /** Whether the chat log in the closing comment keeps the lines nobody typed (joins, grants, files). */
    systemMessages: v.optional(v.boolean(), true),
    /** Resolve the ticket when the rep's survey answers `question` with one of `answers`; null: never. */
    resolve: v.optional(v.nullable(v.object({ question: Name, answers: v.pipe(v.array(Name), v.minLength(1)) })), { question: 'resolved', answers: ['Yes'] }),
    /** How long one REST call may take. */
    timeoutSec: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(300)), 20),
  }),
  v.check((c) => Boolean(c.token) !== Boolean(c.username && c.password), 'integrations.requestTracker needs either a token or a username and password'),
);
export type RequestTrackerConfig = v.InferOutput<typeof RequestTrackerConfig>;
