// Table types for Kysely (docs/ARCHITECTURE.md "Storage"). Times are milliseconds since the epoch; booleans 0/1;
// JSON columns are TEXT. Column types stay portable to PostgreSQL.
import type { ColumnType, Generated } from 'kysely';

export interface RepsTable {
  id: string;
  username: string;
  name: string;
  password_hash: string;
  is_admin: number;
  created_at: number;
  /** 1: an administrator disabled the account (no login; history stays). */
  disabled: ColumnType<number, number | undefined, number>;
}
export interface TeamsTable { id: string; name: string; created_at: number }
export interface RepTeamsTable { rep_id: string; team_id: string }
/** A rep's login (the cookie); only a hash of the cookie value is kept. */
export interface RepLoginsTable { token_hash: string; rep_id: string; created_at: number; expires_at: number }
export interface SessionsTable {
  id: string;
  state: string;
  queue_kind: string;
  queue_id: string | null;
  customer_name: string;
  company: string;
  issue: string;
  description: string;
  platform: string;
  primary_rep_id: string | null;
  /** Rep ids currently in the session (JSON array). */
  rep_ids: string;
  team_id: string | null;
  external_key: string | null;
  created_by: string | null;
  created_at: number;
  queued_at: number | null;
  accepted_at: number | null;
  ended_at: number | null;
  end_reason: string | null;
  redirect_url: string | null;
  file_count: number;
  /** The outstanding screen request (PendingScreenRequest as JSON), null when none. */
  screen_request: string | null;
  /** When a queued session is orphaned if nobody accepts it; moved on by server downtime. */
  orphan_at: number | null;
  /** When the customer side must have answered the agreement; moved on by server downtime. */
  agreement_at: number | null;
  /** Prefilled by a help desk (the portal doesn't ask for it). */
  email: ColumnType<string, string | undefined, string>;
  language: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set from one counter on every change of the record: the reporting API's cursor. */
  change_seq: ColumnType<number, number | undefined, number>;
  /** Click-to-chat: the embedding page's origin and the fields a help desk signed (EmbedSource as JSON). */
  embed: ColumnType<string | null, string | null | undefined, string | null>;
  /** Reboot and reconnect, for the record: 'no' | 'successful' | 'failed'. */
  reboot: ColumnType<string, string | undefined, string>;
  /** While the customer's computer restarts: the wait (server/core/reboots.ts RebootWait as JSON), else null. */
  reboot_wait: ColumnType<string | null, string | null | undefined, string | null>;
}
/** Small facts of the server itself (the last time it was known alive, for timer catch-up). */
export interface ServerMetaTable { key: string; value: string }
/** The agent's latest `sysinfo.info` of a session (JSON), for the record. */
export interface SessionSysinfoTable { session_id: string; info: string; at: number }
/** The latest diagnostics report of a session (JSON), for the record. */
export interface SessionDiagnosticsTable { session_id: string; report: string; at: number }
export interface SessionParticipantsTable {
  id: string;
  session_id: string;
  role: string;
  rep_id: string | null;
  name: string;
  /** Hash of the session-scoped token from join (customer/agent); null for reps. */
  token_hash: string | null;
  /** Hash of the latest resume token given in `welcome`; survives restarts. */
  resume_token_hash: string | null;
  resume_expires_at: number | null;
  joined_at: number;
  left_at: number | null;
  /** An agent sees transcript events from this time on (its key's issue time); null: all. */
  events_since: ColumnType<number | null, number | null | undefined, number | null>;
}
export interface EventsTable {
  session_id: string;
  seq: number;
  client_id: string | null;
  at: number;
  from_role: string;
  from_id: string | null;
  from_name: string;
  kind: string;
  /** The EventBody as JSON. */
  body: string;
}
export interface SurveysTable {
  id: Generated<number>;
  session_id: string;
  client_id: string;
  role: string;
  rep_id: string | null;
  answers: string;
  at: number;
}
export interface SessionKeysTable {
  key: string;
  access_key: string;
  session_id: string;
  rep_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** 'session': the rep's key and link, for the browser customer; 'agent': one agent join. */
  kind: ColumnType<KeyKind, KeyKind | undefined, KeyKind>;
}
export type KeyKind = 'session' | 'agent';
export interface FilesTable {
  id: string;
  session_id: string;
  name: string;
  size: number;
  mime: string | null;
  sender_role: string;
  sender_id: string | null;
  status: string;
  sha256: string | null;
  path: string;
  created_at: number;
  done_at: number | null;
}

/** A help-desk API client (OAuth 2 client credentials); `id` is its client id. */
export interface ApiAccountsTable {
  id: string;
  name: string;
  secret_hash: string;
  /** JSON array of scopes. */
  scopes: string;
  enabled: number;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  /** Tokens issued at or before this are void (the secret or scopes changed, or it was disabled). */
  tokens_after: number;
}
export interface ApiTokensTable { token_hash: string; account_id: string; scopes: string; created_at: number; expires_at: number }
/** Nonces of click-to-chat prefill signatures already used, kept until the signature expires. */
export interface PrefillNoncesTable { account_id: string; nonce: string; expires_at: number }
export interface ApiAuditTable { id: Generated<number>; account_id: string; at: number; action: string; status: number; address: string }
/** A webhook receiver an administrator registered (docs/ARCHITECTURE.md, "Outbox"). */
export interface EventEndpointsTable {
  id: string;
  url: string;
  description: string;
  /** OutboundEventType[] as JSON. */
  event_types: string;
  enabled: number;
  /** `whsec_…`: kept as is, since signing needs it (docs/SECURITY.md). */
  secret: string;
  /** The secret before the last rotation, still signing until `previous_secret_until`. */
  previous_secret: string | null;
  previous_secret_until: number | null;
  created_at: number;
  updated_at: number;
}
/** One outbound event, written before anything is sent; `sequence` counts per session. */
export interface OutboxEventsTable {
  id: string;
  session_id: string;
  sequence: number;
  type: string;
  occurred_at: number;
  /** The OutboundEvent as JSON: the exact body every attempt sends. */
  body: string;
}
/** One event on its way to one target (`endpoint:<id>` or `connector:<name>`). */
export interface EventDeliveriesTable {
  target: string;
  event_id: string;
  session_id: string;
  sequence: number;
  /** 'pending' | 'delivered' | 'failed' */
  state: string;
  /** 1 while an attempt runs in this process; reset at start (a crash mid-attempt retries it). */
  in_flight: ColumnType<number, number | undefined, number>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: number | null;
  give_up_at: number;
  last_status: number | null;
  last_error: string | null;
  last_attempt_at: number | null;
  delivered_at: number | null;
  created_at: number;
}
/** One site setting (protocol/settings.ts); `value` and `seen` (the config file's value when last started) are JSON. */
export interface SettingsTable { key: string; value: string; seen: string; updated_at: number; updated_by: string | null }
/** One administration change or login (append-only); `detail` is JSON. */
export interface AuditLogTable { id: Generated<number>; at: number; actor_id: string | null; actor_name: string; address: string; kind: string; target: string | null; detail: string }
/** A reply reps insert in the chat; `team_id` null: for everyone. */
export interface CannedMessagesTable { id: string; title: string; text: string; team_id: string | null; created_at: number; updated_at: number }

export interface Database {
  reps: RepsTable;
  teams: TeamsTable;
  rep_teams: RepTeamsTable;
  rep_logins: RepLoginsTable;
  sessions: SessionsTable;
  session_participants: SessionParticipantsTable;
  events: EventsTable;
  surveys: SurveysTable;
  session_keys: SessionKeysTable;
  files: FilesTable;
  server_meta: ServerMetaTable;
  session_sysinfo: SessionSysinfoTable;
  session_diagnostics: SessionDiagnosticsTable;
  api_accounts: ApiAccountsTable;
  api_tokens: ApiTokensTable;
  api_audit: ApiAuditTable;
  prefill_nonces: PrefillNoncesTable;
  event_endpoints: EventEndpointsTable;
  outbox_events: OutboxEventsTable;
  event_deliveries: EventDeliveriesTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  canned_messages: CannedMessagesTable;
}
