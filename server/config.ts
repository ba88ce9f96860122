// Server configuration: defaults that just work, overlaid by a JSON file (--config or
// BRIDGE_CONFIG), then env, then command-line flags. The result is validated once at start.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { fieldErrors, MiB, SiteSettingsEntries, type SettingKey } from '../protocol/index.ts';
import { EmbedLook, EmbedOffline } from '../protocol/api/embed.ts';
import { parseProxyEntry } from './http/client-address.ts';
import { RequestTrackerConfig } from './integrations/request-tracker/config.ts';

const PosInt = v.pipe(v.number(), v.integer(), v.minValue(1));
const NonNegInt = v.pipe(v.number(), v.integer(), v.minValue(0));

/** `https://shop.example.com` (scheme, host, port when not the default; no path). */
const SiteOrigin = v.pipe(v.string(), v.check((o) => {
  try { return /^https?:$/.test(new URL(o).protocol) && new URL(o).origin === o; } catch { return false; }
}, 'allowed origins are written like "https://shop.example.com" (no path, no trailing slash)'));

const SeedRep = v.object({
  username: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  name: v.optional(v.pipe(v.string(), v.maxLength(200))),
  isAdmin: v.optional(v.boolean()),
  teams: v.optional(v.array(v.string())),
});

export const ConfigSchema = v.object({
  port: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535)),
  host: v.string(),
  dataDir: v.string(),
  /**
   * Where records live (docs/ARCHITECTURE.md "Storage"): `url` null keeps the embedded SQLite file
   * in the data dir; a `postgres://user@host:5432/db` URL (or BRIDGE_DATABASE_URL) uses PostgreSQL
   * with at most `poolSize` connections.
   */
  database: v.object({
    url: v.nullable(v.pipe(v.string(), v.check((u) => /^postgres(ql)?:\/\//.test(u), 'database.url is a postgres:// URL'))),
    poolSize: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)),
  }),
  /**
   * Several bridge servers (docs/ARCHITECTURE.md "Several nodes"): `natsUrl` (or BRIDGE_NATS_URL)
   * names the NATS server the nodes talk through, null runs one node alone (nothing of NATS
   * loads). Needs PostgreSQL (`database.url`): the nodes share its records. `nodeId` names this
   * node on the bus (null: a random id per start). Every node beats every `heartbeatMs`; one not
   * heard of for `nodeExpiryMs` is taken for dead and its people shown offline ("A node dies").
   */
  cluster: v.object({
    natsUrl: v.nullable(v.pipe(v.string(), v.check((u) => /^(nats|tls|wss?):\/\//.test(u), 'cluster.natsUrl is a nats:// URL'))),
    nodeId: v.nullable(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'cluster.nodeId is letters, digits, - and _ (at most 64)'))),
    heartbeatMs: v.pipe(v.number(), v.integer(), v.minValue(50), v.maxValue(60_000)),
    nodeExpiryMs: v.pipe(v.number(), v.integer(), v.minValue(200), v.maxValue(600_000)),
  }),
  /** Origin clients use to reach the server (links, Origin checks); derived from host:port when null. */
  publicUrl: v.nullable(v.string()),
  tls: v.nullable(v.object({ cert: v.string(), key: v.string() })),
  /** Settings of the site (protocol/settings.ts): the file seeds the store with them on first start; the store wins after that (docs/ARCHITECTURE.md, "Administration"). */
  ...SiteSettingsEntries,
  /** How long a rep's screen request waits for the customer (downloading and starting the agent included). */
  screenRequestTimeoutSec: PosInt,
  /** How long the session waits for the customer's computer to restart and the agent to rejoin (docs/ARCHITECTURE.md, "Reboot and reconnect"). */
  rebootWaitSec: PosInt,
  teams: v.array(v.object({ name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)) })),
  reps: v.array(SeedRep),
  /** How long a dropped connection may come back with `resume` before its resume token expires. */
  resumeGraceSec: PosInt,
  /**
   * Per client address: key-checking routes (join, submit, download) and logins, per minute.
   * Per connection: transcript messages (chat, nudge, URL, notice, agreement, recording) as a
   * token bucket of `messageBurst` refilled at `messagesPerMin`; every started 4 KiB of a message
   * costs one more token (docs/SECURITY.md has the arithmetic).
   */
  rateLimit: v.object({ joinPerMin: PosInt, loginPerMin: PosInt, messageBurst: PosInt, messagesPerMin: PosInt }),
  limits: v.object({
    /** Bytes of transcript a session may hold from its participants (system lines don't count against it). */
    sessionTranscriptBytes: PosInt,
    /** One survey's answers, as JSON. */
    surveyBytes: PosInt,
    /** Open WebSockets per client address (IPv6: per /64); raise it for a support centre behind one NAT. */
    connectionsPerAddress: PosInt,
    /** Seconds a new WebSocket has to say hello or resume. */
    handshakeSec: PosInt,
  }),
  /** HTTP timeouts (Node's http server): a request must arrive whole within `requestSec`, its headers within `headersSec`. */
  http: v.object({ requestSec: PosInt, headersSec: PosInt, keepAliveSec: PosInt, idleSec: PosInt }),
  /**
   * Which peers may set X-Forwarded-For: false (nobody: the socket's address counts), a number
   * of proxy hops, or a list of proxy addresses and CIDRs (e.g. ["127.0.0.1", "10.0.0.0/8"]).
   */
  trustProxy: v.union([v.literal(false), PosInt, v.pipe(v.array(v.pipe(v.string(), v.check((e) => parseProxyEntry(e) !== null, 'trustProxy entries are addresses or CIDRs (10.0.0.0/8)'))), v.minLength(1))]),
  /** Rep login cookie lifetime (fractions allowed). */
  loginTtlHours: v.pipe(v.number(), v.gtValue(0)),
  /** Seconds an ended session still accepts the customer's reconnect (transcript, survey). */
  endedGraceSec: NonNegInt,
  /**
   * The help-desk API (docs/INTEGRATIONS.md): bearer tokens live `tokenTtlSec`; `tokensPerMin`
   * per client address at /oauth2/token; `requestsPerMin` per API account. `keyEmail` is the
   * e-mail a help desk sends with a session key: {key}, {url}, {company}, {customerName} and
   * {expiresMin} are filled in. The audit of API calls keeps `auditDays`.
   */
  api: v.object({
    tokenTtlSec: v.pipe(v.number(), v.integer(), v.minValue(60), v.maxValue(24 * 3600)),
    auditDays: PosInt,
    tokensPerMin: PosInt,
    requestsPerMin: PosInt,
    chatLinkValidityMin: PosInt,
    keyEmail: v.object({ subject: v.pipe(v.string(), v.maxLength(200)), text: v.pipe(v.string(), v.maxLength(4000)) }),
  }),
  /**
   * Outbound events (docs/ARCHITECTURE.md, "Outbox"): a failed delivery is retried after
   * `retryBaseMs`, doubling up to `retryMaxMs`, for `retryForSec` after the event, then marked
   * failed. Each attempt waits `timeoutMs` for the answer and reads at most `responseBytes` of
   * it; at most `concurrency` attempts run at once.
   */
  outbox: v.object({ retryBaseMs: PosInt, retryMaxMs: PosInt, retryForSec: PosInt, timeoutMs: PosInt, responseBytes: PosInt, concurrency: PosInt, keepDays: PosInt }),
  /**
   * The screen stream's video tier (docs/ARCHITECTURE.md "Video tier"): with `video` on, a viewer's
   * refresh keeps the codecs it decodes, so the agent may send regions that change at video rate
   * as VP8; off, the server drops that list and every viewer gets rects.
   */
  screen: v.object({ video: v.boolean() }),
  /** Help-desk connectors (docs/INTEGRATIONS.md); each is off while null. */
  integrations: v.object({ requestTracker: v.nullable(RequestTrackerConfig) }),
  /**
   * Click-to-chat (docs/ARCHITECTURE.md, "Click-to-chat"): the sites whose pages may embed the
   * loader (none: refused everywhere), how often it asks for availability, how far ahead a help
   * desk's prefill signature may expire, and the look and offline alternative a site gets unless
   * its own options say otherwise. The console's Admin area edits these once settings live in
   * the store; until then the config file sets them.
   */
  embed: v.object({
    allowedOrigins: v.array(SiteOrigin),
    pollSec: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3600)),
    signatureMaxSec: PosInt,
    look: EmbedLook,
    offline: v.pipe(EmbedOffline, v.check((o) => o.mode !== 'link' || o.url !== null, 'offline mode "link" needs offline.url')),
  }),
});
export type Config = v.InferOutput<typeof ConfigSchema>;
/** What the server reads from the config after start: the site settings come from LiveSettings instead (server/settings/). */
export type ServerConfig = Omit<Config, SettingKey>;

export const DEFAULTS: Config = {
  port: 8080,
  host: '127.0.0.1',
  dataDir: './data',
  database: { url: null, poolSize: 1 },
  cluster: { natsUrl: null, nodeId: null, heartbeatMs: 1000, nodeExpiryMs: 5000 },
  publicUrl: null,
  tls: null,
  companyName: 'Bridge Support',
  sessionKeys: { validityMin: 10, maxValidityMin: 24 * 60, agentValiditySec: 300 },
  agreement: {
    text: 'By continuing you allow the support representative to chat with you and, only if you grant it, to view or control your screen. You can end screen sharing or the session at any time.',
    timeoutSec: 120,
  },
  recording: { policy: 'off', refreshSec: 10, retentionDays: 30 },
  screen: { video: false },
  notices: [],
  repNotices: [],
  queueMessageIntervalSec: 60,
  orphan: { timeoutSec: 300, redirectUrl: null },
  screenRequestTimeoutSec: 300,
  rebootWaitSec: 600,
  surveys: {
    customer: [
      { id: 'rating', text: 'How satisfied are you with the support you received?', type: 'rating' },
      { id: 'comment', text: 'Anything you would like to tell us?', type: 'text' },
    ],
    rep: [
      { id: 'resolved', text: "Was the customer's issue resolved?", type: 'choice', choices: ['Yes', 'No, will try later', 'No, impossible'] },
      { id: 'comment', text: 'Comments', type: 'text' },
    ],
  },
  watermark: true,
  files: { maxBytes: 100 * MiB, maxPerSession: 100 },
  issueCategories: ['General question', 'Software problem', 'Hardware problem', 'Account or password'],
  teams: [],
  reps: [],
  resumeGraceSec: 600,
  rateLimit: { joinPerMin: 60, loginPerMin: 30, messageBurst: 20, messagesPerMin: 60 },
  limits: { sessionTranscriptBytes: 4 * MiB, surveyBytes: 16 * 1024, connectionsPerAddress: 64, handshakeSec: 10 },
  http: { requestSec: 30, headersSec: 15, keepAliveSec: 5, idleSec: 120 },
  trustProxy: false,
  loginTtlHours: 12,
  endedGraceSec: 3600,
  keySessionsAskName: true,
  portalMessage: '',
  translations: {},
  api: {
    tokenTtlSec: 900,
    auditDays: 90,
    tokensPerMin: 30,
    requestsPerMin: 600,
    chatLinkValidityMin: 10,
    keyEmail: {
      subject: '{company}: your support session',
      text: 'Hello {customerName},\n\nTo start your support session with {company}, open this link:\n{url}\n\nor go to the support portal and enter the session key {key}.\nThe key can be used once, within {expiresMin} minutes.\n',
    },
  },
  outbox: { retryBaseMs: 10_000, retryMaxMs: 3600_000, retryForSec: 24 * 3600, timeoutMs: 10_000, responseBytes: 4096, concurrency: 8, keepDays: 30 },
  integrations: { requestTracker: null },
  embed: {
    allowedOrigins: [],
    pollSec: 20,
    signatureMaxSec: 3600,
    look: { invitation: '', buttonText: '', delaySec: 0, position: 'bottom-right', colour: '#0b5fff', textColour: '#ffffff', language: 'en', open: 'frame' },
    offline: { mode: 'form', url: null, text: '' },
  },
};

type Json = Record<string, unknown>;
function isObj(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
/** Objects merge key by key; arrays and scalars replace. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isObj(base) || !isObj(over)) return (over === undefined ? base : over) as T;
  const out: Json = { ...base };
  for (const [k, val] of Object.entries(over)) out[k] = isObj(out[k]) && isObj(val) ? deepMerge(out[k], val) : val;
  return out as T;
}

export interface LoadedConfig { config: Config; adminPassword: string | null }

/** Flags > env > config file > defaults. Throws with a readable message on bad input. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): LoadedConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      'public-url': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
    },
    strict: true,
  });
  let merged: unknown = DEFAULTS;
  const file = values.config ?? env.BRIDGE_CONFIG;
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(resolve(file), 'utf8'));
    } catch (e) {
      throw new Error(`cannot read config file ${file}: ${(e as Error).message}`);
    }
    // Files written before recording had a policy said `recordingPrompt: true` for "ask".
    if (isObj(parsed) && parsed.recordingPrompt === true && !isObj(parsed.recording)) parsed = { ...parsed, recording: { policy: 'ask' } };
    if (isObj(parsed)) delete parsed.recordingPrompt;
    merged = deepMerge(merged, parsed);
  }
  const over: Json = {};
  const port = values.port ?? env.PORT;
  if (port !== undefined) over.port = Number(port);
  const dataDir = values['data-dir'] ?? env.BRIDGE_DATA_DIR;
  if (dataDir) over.dataDir = dataDir;
  if (env.BRIDGE_DATABASE_URL) over.database = { url: env.BRIDGE_DATABASE_URL };
  if (env.BRIDGE_NATS_URL || env.BRIDGE_NODE_ID) over.cluster = { ...(env.BRIDGE_NATS_URL ? { natsUrl: env.BRIDGE_NATS_URL } : {}), ...(env.BRIDGE_NODE_ID ? { nodeId: env.BRIDGE_NODE_ID } : {}) };
  if (values.host ?? env.BRIDGE_HOST) over.host = values.host ?? env.BRIDGE_HOST;
  if (values['public-url'] ?? env.BRIDGE_PUBLIC_URL) over.publicUrl = values['public-url'] ?? env.BRIDGE_PUBLIC_URL;
  if (values['tls-cert'] || values['tls-key']) {
    if (!values['tls-cert'] || !values['tls-key']) throw new Error('--tls-cert and --tls-key go together');
    over.tls = { cert: values['tls-cert'], key: values['tls-key'] };
  }
  merged = deepMerge(merged, over);
  // A file that only lowers the maximum keeps working: the default validity follows it down.
  const keys = isObj(merged) && isObj(merged.sessionKeys) ? merged.sessionKeys : null;
  if (keys && typeof keys.validityMin === 'number' && typeof keys.maxValidityMin === 'number' && keys.validityMin > keys.maxValidityMin) keys.validityMin = keys.maxValidityMin;
  const r = v.safeParse(ConfigSchema, merged);
  if (!r.success) throw new Error(`invalid configuration ${fieldErrors(r.issues).map((f) => `${f.path ? `at ${f.path}` : ''}: ${f.message}`).join('; ')}`);
  const config = r.output;
  config.dataDir = resolve(config.dataDir);
  if (config.cluster.natsUrl && !config.database.url) throw new Error('cluster.natsUrl (BRIDGE_NATS_URL) needs PostgreSQL: set database.url (BRIDGE_DATABASE_URL), which every node shares');
  return { config, adminPassword: env.BRIDGE_ADMIN_PASSWORD || null };
}
