// Schema migrations as code, applied in order by Kysely's Migrator on start. The same migrations
// build both stores; what differs goes through dialect.ts (docs/ARCHITECTURE.md "Storage").
import { sql, type Kysely, type Migration } from 'kysely';
import { autoId, createChangeCounter } from './dialect.ts';

export const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('reps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('teams')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('rep_teams')
        .addColumn('rep_id', 'text', (c) => c.notNull().references('reps.id').onDelete('cascade'))
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('rep_teams_pk', ['rep_id', 'team_id'])
        .execute();
      await db.schema.createTable('rep_logins')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('rep_id', 'text', (c) => c.notNull().references('reps.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('queue_kind', 'text', (c) => c.notNull())
        .addColumn('queue_id', 'text')
        .addColumn('customer_name', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('company', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('issue', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('platform', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('primary_rep_id', 'text')
        .addColumn('rep_ids', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('team_id', 'text')
        .addColumn('external_key', 'text')
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('queued_at', 'bigint')
        .addColumn('accepted_at', 'bigint')
        .addColumn('ended_at', 'bigint')
        .addColumn('end_reason', 'text')
        .addColumn('redirect_url', 'text')
        .addColumn('file_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('sessions_state').on('sessions').column('state').execute();
      await db.schema.createIndex('sessions_created').on('sessions').column('created_at').execute();
      await db.schema.createTable('session_participants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('rep_id', 'text')
        .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('token_hash', 'text', (c) => c.unique())
        .addColumn('resume_token_hash', 'text', (c) => c.unique())
        .addColumn('resume_expires_at', 'bigint')
        .addColumn('joined_at', 'bigint', (c) => c.notNull())
        .addColumn('left_at', 'bigint')
        .execute();
      await db.schema.createIndex('participants_session').on('session_participants').column('session_id').execute();
      await db.schema.createTable('events')
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('client_id', 'text')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('from_role', 'text', (c) => c.notNull())
        .addColumn('from_id', 'text')
        .addColumn('from_name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('events_pk', ['session_id', 'seq'])
        .addUniqueConstraint('events_client_id', ['session_id', 'client_id'])
        .execute();
      await db.schema.createTable('surveys')
        .addColumn('id', 'integer', autoId(db))
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('rep_id', 'text')
        .addColumn('answers', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('surveys_client_id', ['session_id', 'client_id'])
        .execute();
      await db.schema.createTable('session_keys')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('access_key', 'text', (c) => c.notNull().unique())
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('rep_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .execute();
      await db.schema.createTable('files')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('mime', 'text')
        .addColumn('sender_role', 'text', (c) => c.notNull())
        .addColumn('sender_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text')
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('done_at', 'bigint')
        .execute();
      await sql`select 1`.execute(db);
    },
  },
  '0002_session_timers': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('sessions').addColumn('screen_request', 'text').execute();
      await db.schema.alterTable('sessions').addColumn('orphan_at', 'bigint').execute();
      await db.schema.alterTable('sessions').addColumn('agreement_at', 'bigint').execute();
      await db.schema.createTable('server_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  // The agent's system information, kept for the record (History); live sessions relay it from memory.
  '0003_sysinfo': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('session_sysinfo')
        .addColumn('session_id', 'text', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
        .addColumn('info', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  // Agent keys are their own kind (docs/ARCHITECTURE.md "Session keys and agent keys"): a session
  // key or link admits the browser customer only; an agent key, minted from the customer's token,
  // admits one agent once. An agent's replay and transcript start at its key's issue time.
  '0004_agent_keys': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('session_keys').addColumn('kind', 'text', (c) => c.notNull().defaultTo('session')).execute();
      await db.schema.alterTable('session_participants').addColumn('events_since', 'bigint').execute();
    },
  },
  // The help-desk API (docs/ARCHITECTURE.md "Help-desk integration"): API accounts and their
  // short-lived tokens (hashes only), the audit of every use, the portal fields a help desk may
  // prefill, and a change counter on sessions for the reporting cursor.
  '0005_api_accounts': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('api_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint')
        .addColumn('tokens_after', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createTable('api_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('api_accounts.id').onDelete('cascade'))
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('api_audit')
        .addColumn('id', 'integer', autoId(db))
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('api_audit_account').on('api_audit').columns(['account_id', 'id']).execute();
      await db.schema.alterTable('sessions').addColumn('email', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.alterTable('sessions').addColumn('language', 'text').execute();
      await db.schema.alterTable('sessions').addColumn('change_seq', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.createIndex('sessions_change').on('sessions').columns(['change_seq', 'id']).execute();
      await createChangeCounter(db);
      await db.schema.createIndex('sessions_external_key').on('sessions').column('external_key').execute();
    },
  },
  // Outbound events (docs/ARCHITECTURE.md, "Help-desk integration" → "Outbox"): webhook
  // endpoints, the durable outbox (one row per event, numbered per session) and one delivery row
  // per (target, event) carrying the retry state, so the backlog lives here, not in memory.
  '0006_event_outbox': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('event_endpoints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('event_types', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('previous_secret', 'text')
        .addColumn('previous_secret_until', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('outbox_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'bigint', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addUniqueConstraint('outbox_session_sequence', ['session_id', 'sequence'])
        .execute();
      await db.schema.createTable('event_deliveries')
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull().references('outbox_events.id').onDelete('cascade'))
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('in_flight', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('give_up_at', 'bigint', (c) => c.notNull())
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('last_attempt_at', 'bigint')
        .addColumn('delivered_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('event_deliveries_pk', ['target', 'event_id'])
        .execute();
      await db.schema.createIndex('deliveries_due').on('event_deliveries').columns(['state', 'next_attempt_at']).execute();
      await db.schema.createIndex('deliveries_order').on('event_deliveries').columns(['target', 'session_id', 'sequence']).execute();
      await db.schema.createIndex('deliveries_log').on('event_deliveries').columns(['target', 'created_at']).execute();
    },
  },
  // Click-to-chat (docs/ARCHITECTURE.md, "Click-to-chat"): where a session came from and which
  // fields a help desk signed; the nonces of signatures already used (a replay is refused).
  '0007_embed': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('sessions').addColumn('embed', 'text').execute();
      await db.schema.createTable('prefill_nonces')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('prefill_nonces_pk', ['account_id', 'nonce'])
        .execute();
    },
  },
  // Site settings an administrator changes while the server runs (docs/ARCHITECTURE.md,
  // "Administration"): one row per key, its value as JSON, and the config file's value it was last
  // seen with (`seen`), so a later change in the file is noticed and reported as ignored.
  '0008_admin_settings': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('seen', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
    },
  },
  // The audit log of administration and logins (docs/ARCHITECTURE.md, "Administration"):
  // append-only, nothing updates or deletes its rows.
  '0009_admin_audit': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('audit_log')
        .addColumn('id', 'integer', autoId(db))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_at').on('audit_log').column('at').execute();
      await db.schema.createIndex('audit_actor').on('audit_log').columns(['actor_id', 'id']).execute();
      await db.schema.createIndex('audit_kind').on('audit_log').columns(['kind', 'id']).execute();
    },
  },
  // Reps an administrator disabled (they keep their history, can't log in), and the canned
  // messages reps insert in the chat: for everyone (no team) or one team's members.
  '0010_admin_reps': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('reps').addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.createTable('canned_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('team_id', 'text', (c) => c.references('teams.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  // Remote diagnostics (docs/ARCHITECTURE.md, "Remote diagnostics"): the latest report the
  // customer allowed, per session, as JSON, for the record, History and downloads.
  '0011_diagnostics': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('session_diagnostics')
        .addColumn('session_id', 'text', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
        .addColumn('report', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  // Reboot and reconnect (docs/ARCHITECTURE.md, "Reboot and reconnect"): the record's field and,
  // while the customer's computer restarts, the wait (deadline, the credential's hash).
  '0012_reboot': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('sessions').addColumn('reboot', 'text', (c) => c.notNull().defaultTo('no')).execute();
      await db.schema.alterTable('sessions').addColumn('reboot_wait', 'text').execute();
    },
  },
};
