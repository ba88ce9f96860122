// The one narrow interface every other part of the server uses to persist state. The queries are
// plain Kysely run as they are by SQLite (sqlite.ts) and PostgreSQL (postgres.ts); the little that
// differs is in dialect.ts.
import { Migrator, sql, type Insertable, type Kysely, type RawBuilder, type Selectable, type SqlBool, type Updateable } from 'kysely';
import { ApiAccountQueries } from './api-accounts.ts';
import { nextChange } from './dialect.ts';
import { migrations } from './migrations.ts';
import { OutboxQueries } from './outbox-queries.ts';
import { SettingsQueries } from './settings-queries.ts';
import { AuditQueries } from './audit-queries.ts';
import { CannedQueries } from './canned-queries.ts';
import type { Database, EventsTable, FilesTable, SessionKeysTable, SessionParticipantsTable, SessionsTable } from './schema.ts';

export type RepRow = Selectable<Database['reps']>;
export type TeamRow = Selectable<Database['teams']>;
export type SessionRow = Selectable<SessionsTable>;
export type ParticipantRow = Selectable<SessionParticipantsTable>;
export type EventRow = Selectable<EventsTable>;
export type KeyRow = Selectable<SessionKeysTable>;
export type FileRow = Selectable<FilesTable>;
export type SurveyRow = Selectable<Database['surveys']>;

/** Session states that are over: no routing, no queue. */
export const CLOSED_STATES = ['ended', 'orphaned'] as const;

export interface HistoryFilter {
  q?: string;
  /** Only sessions this rep took part in or that belonged to one of these teams; undefined = all. */
  repId?: string;
  teamIds?: string[];
  limit: number;
}

export interface ChangedSessionsFilter { afterSeq: number; afterId: string; limit: number }
export interface SessionRangeFilter { from?: number; to?: number; externalKey?: string; afterCreated?: number; afterId?: string; limit: number }

export class KyselyStore {
  /** Outbound events: endpoints, the outbox and its deliveries (outbox-queries.ts). */
  readonly outbox: OutboxQueries;
  /** The help-desk API's accounts, tokens and audit. */
  readonly api: ApiAccountQueries;
  /** The next value of the sessions' change counter (dialect.ts says how each store keeps it ordered). */
  private readonly changeNumber: RawBuilder<number>;
  /** Site settings an administrator changes (settings-queries.ts). */
  readonly settings: SettingsQueries;
  /** The administration audit log: append and read, never change (audit-queries.ts). */
  readonly audit: AuditQueries;
  /** Canned chat messages (canned-queries.ts). */
  readonly canned: CannedQueries;

  constructor(readonly db: Kysely<Database>, private readonly onClose: () => Promise<void> = async () => {}) {
    this.outbox = new OutboxQueries(db);
    this.api = new ApiAccountQueries(db);
    this.changeNumber = nextChange(db);
    this.settings = new SettingsQueries(db);
    this.audit = new AuditQueries(db);
    this.canned = new CannedQueries(db);
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({ db: this.db, provider: { getMigrations: async () => migrations } });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
  }

  close(): Promise<void> {
    return this.onClose();
  }

  // ---- reps and teams
  async countReps(): Promise<number> {
    const r = await this.db.selectFrom('reps').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
  getRep(id: string): Promise<RepRow | undefined> {
    return this.db.selectFrom('reps').selectAll().where('id', '=', id).executeTakeFirst();
  }
  getRepByUsername(username: string): Promise<RepRow | undefined> {
    return this.db.selectFrom('reps').selectAll().where('username', '=', username).executeTakeFirst();
  }
  listReps(): Promise<RepRow[]> {
    return this.db.selectFrom('reps').selectAll().orderBy('name').execute();
  }
  async createRep(row: Insertable<Database['reps']>): Promise<void> {
    await this.db.insertInto('reps').values(row).execute();
  }
  async updateRep(id: string, patch: Updateable<Database['reps']>): Promise<void> {
    // An empty SET is invalid SQL (a PATCH that changes only a rep's teams).
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('reps').set(patch).where('id', '=', id).execute();
  }
  listTeams(): Promise<TeamRow[]> {
    return this.db.selectFrom('teams').selectAll().orderBy('name').execute();
  }
  getTeam(id: string): Promise<TeamRow | undefined> {
    return this.db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  }
  getTeamByName(name: string): Promise<TeamRow | undefined> {
    return this.db.selectFrom('teams').selectAll().where('name', '=', name).executeTakeFirst();
  }
  async createTeam(row: Insertable<Database['teams']>): Promise<void> {
    await this.db.insertInto('teams').values(row).execute();
  }
  async addRepToTeam(repId: string, teamId: string): Promise<void> {
    await this.db.insertInto('rep_teams').values({ rep_id: repId, team_id: teamId }).onConflict((oc) => oc.doNothing()).execute();
  }
  listRepTeams(): Promise<{ rep_id: string; team_id: string }[]> {
    return this.db.selectFrom('rep_teams').selectAll().execute();
  }
  /** The rep's teams become exactly these. */
  async setRepTeams(repId: string, teamIds: string[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('rep_teams').where('rep_id', '=', repId).execute();
      for (const t of teamIds) await trx.insertInto('rep_teams').values({ rep_id: repId, team_id: t }).onConflict((oc) => oc.doNothing()).execute();
    });
  }
  /** The team's members become exactly these. */
  async setTeamMembers(teamId: string, repIds: string[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('rep_teams').where('team_id', '=', teamId).execute();
      for (const r of repIds) await trx.insertInto('rep_teams').values({ rep_id: r, team_id: teamId }).onConflict((oc) => oc.doNothing()).execute();
    });
  }
  async renameTeam(id: string, name: string): Promise<void> {
    await this.db.updateTable('teams').set({ name }).where('id', '=', id).execute();
  }
  /** Its memberships and canned messages go with it (foreign keys). */
  async deleteTeam(id: string): Promise<void> {
    await this.db.deleteFrom('teams').where('id', '=', id).execute();
  }

  // ---- rep logins (cookies)
  async createLogin(row: Insertable<Database['rep_logins']>): Promise<void> {
    await this.db.insertInto('rep_logins').values(row).execute();
  }
  getLogin(tokenHash: string, now: number): Promise<{ rep_id: string; expires_at: number } | undefined> {
    return this.db.selectFrom('rep_logins').select(['rep_id', 'expires_at']).where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst();
  }
  async deleteLogin(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('rep_logins').where('token_hash', '=', tokenHash).execute();
  }
  /** Every login of the rep ends (disabled, or a new password set by an administrator). */
  async deleteRepLogins(repId: string): Promise<void> {
    await this.db.deleteFrom('rep_logins').where('rep_id', '=', repId).execute();
  }

  // ---- sessions
  async createSession(row: Insertable<SessionsTable>): Promise<void> {
    // The stored counter, not the row's placeholder (memory never reads change_seq).
    await this.db.insertInto('sessions').values({ ...row, change_seq: this.changeNumber }).execute();
  }
  async updateSession(id: string, patch: Updateable<SessionsTable>): Promise<void> {
    await this.db.updateTable('sessions').set({ ...patch, change_seq: this.changeNumber }).where('id', '=', id).execute();
  }
  /** Closes the session unless it is closed already (by another node, "Several nodes"): false when it was. */
  async closeSession(id: string, patch: Updateable<SessionsTable>): Promise<boolean> {
    const r = await this.db.updateTable('sessions').set({ ...patch, change_seq: this.changeNumber })
      .where('id', '=', id).where('state', 'not in', ['ended', 'orphaned']).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
  /** The session's record changed elsewhere (a survey, a file, a participant): it is reported again. */
  private async touchSession(id: string): Promise<void> {
    await this.db.updateTable('sessions').set({ change_seq: this.changeNumber }).where('id', '=', id).execute();
  }
  /** Sessions whose record changed after the cursor (change_seq, id), oldest change first. */
  changedSessions(f: ChangedSessionsFilter): Promise<SessionRow[]> {
    return this.db.selectFrom('sessions').selectAll()
      .where((eb) => eb.or([eb('change_seq', '>', f.afterSeq), eb.and([eb('change_seq', '=', f.afterSeq), eb('id', '>', f.afterId)])]))
      .orderBy('change_seq').orderBy('id').limit(f.limit).execute();
  }
  /** Sessions created in a time range or carrying an external key, oldest first, paged by (created_at, id). */
  sessionsInRange(f: SessionRangeFilter): Promise<SessionRow[]> {
    let q = this.db.selectFrom('sessions').selectAll();
    if (f.from !== undefined) q = q.where('created_at', '>=', f.from);
    if (f.to !== undefined) q = q.where('created_at', '<', f.to);
    if (f.externalKey !== undefined) q = q.where('external_key', '=', f.externalKey);
    if (f.afterCreated !== undefined) {
      const at = f.afterCreated, id = f.afterId ?? '';
      q = q.where((eb) => eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]));
    }
    return q.orderBy('created_at').orderBy('id').limit(f.limit).execute();
  }
  listFiles(sessionId: string): Promise<FileRow[]> {
    return this.db.selectFrom('files').selectAll().where('session_id', '=', sessionId).orderBy('created_at').execute();
  }
  listParticipants(sessionId: string): Promise<ParticipantRow[]> {
    return this.db.selectFrom('session_participants').selectAll().where('session_id', '=', sessionId).orderBy('joined_at').execute();
  }
  getSession(id: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }
  listOpenSessions(): Promise<SessionRow[]> {
    return this.db.selectFrom('sessions').selectAll().where('state', 'not in', [...CLOSED_STATES]).orderBy('created_at').execute();
  }
  /** Recent (queued_at, accepted_at) pairs, newest first, for wait estimates. */
  recentAccepts(limit: number): Promise<{ queued_at: number | null; accepted_at: number | null }[]> {
    return this.db.selectFrom('sessions').select(['queued_at', 'accepted_at']).where('accepted_at', 'is not', null).orderBy('accepted_at', 'desc').limit(limit).execute();
  }
  async history(f: HistoryFilter): Promise<SessionRow[]> {
    // Sessions nobody ever joined (keys that expired unused) are not records.
    let q = this.db.selectFrom('sessions').selectAll().where('queued_at', 'is not', null);
    if (f.repId !== undefined) {
      const repId = f.repId;
      const teams = f.teamIds ?? [];
      q = q.where((eb) => eb.or([
        eb('primary_rep_id', '=', repId),
        eb('created_by', '=', repId),
        eb('id', 'in', eb.selectFrom('session_participants').select('session_id').where('rep_id', '=', repId)),
        ...(teams.length ? [eb('team_id', 'in', teams)] : []),
      ]));
    }
    if (f.q) {
      // SQLite's LIKE has no escape character unless the query names one: `\%` only matches
      // literally with ESCAPE '\', so "50%" and "a_b" find themselves and nothing else. Both sides
      // lower-cased: SQLite's LIKE ignores case, PostgreSQL's does not.
      const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const matches = (col: string) => sql<SqlBool>`lower(${sql.ref(col)}) like lower(${like}) escape '\\'`;
      q = q.where((eb) => eb.or([
        matches('customer_name'),
        matches('company'),
        matches('issue'),
        matches('external_key'),
        eb('id', '=', f.q!),
        eb('id', 'in', eb.selectFrom('events').select('session_id').where('kind', '=', 'chat').where(matches('body'))),
      ]));
    }
    return q.orderBy('created_at', 'desc').limit(f.limit).execute();
  }

  /** Pending sessions whose key expired before anyone joined. */
  async expiredPendingSessions(now: number): Promise<string[]> {
    const rows = await this.db.selectFrom('sessions').innerJoin('session_keys', 'session_keys.session_id', 'sessions.id')
      .select('sessions.id').where('sessions.state', '=', 'pending').where('session_keys.used_at', 'is', null).where('session_keys.expires_at', '<=', now).execute();
    return rows.map((r) => r.id);
  }

  // ---- participants
  async createParticipant(row: Insertable<SessionParticipantsTable>): Promise<void> {
    await this.db.insertInto('session_participants').values(row).execute();
    await this.touchSession(row.session_id);
  }
  getParticipant(id: string): Promise<ParticipantRow | undefined> {
    return this.db.selectFrom('session_participants').selectAll().where('id', '=', id).executeTakeFirst();
  }
  getParticipantByToken(tokenHash: string): Promise<ParticipantRow | undefined> {
    return this.db.selectFrom('session_participants').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }
  getParticipantByResume(resumeHash: string, now: number): Promise<ParticipantRow | undefined> {
    return this.db.selectFrom('session_participants').selectAll().where('resume_token_hash', '=', resumeHash).where('resume_expires_at', '>', now).executeTakeFirst();
  }
  async updateParticipant(id: string, patch: Updateable<SessionParticipantsTable>): Promise<void> {
    await this.db.updateTable('session_participants').set(patch).where('id', '=', id).execute();
    // Leaving (or coming back) is in the record; a new resume token is not.
    if ('left_at' in patch) {
      const p = await this.getParticipant(id);
      if (p) await this.touchSession(p.session_id);
    }
  }
  getRepParticipant(sessionId: string, repId: string): Promise<ParticipantRow | undefined> {
    return this.db.selectFrom('session_participants').selectAll().where('session_id', '=', sessionId).where('rep_id', '=', repId).executeTakeFirst();
  }
  /** Every rep who took part, in the order they first joined. */
  listRepParticipants(sessionId: string): Promise<ParticipantRow[]> {
    return this.db.selectFrom('session_participants').selectAll().where('session_id', '=', sessionId).where('role', '=', 'rep').orderBy('joined_at').execute();
  }

  // ---- events (append-only)
  async appendEvent(row: EventRow): Promise<void> {
    await this.db.insertInto('events').values(row).execute();
  }
  getEventByClientId(sessionId: string, clientId: string): Promise<EventRow | undefined> {
    return this.db.selectFrom('events').selectAll().where('session_id', '=', sessionId).where('client_id', '=', clientId).executeTakeFirst();
  }
  /** Events after a seq; `sinceAt` (an agent's key issue time) leaves out older ones. */
  eventsAfter(sessionId: string, afterSeq: number, sinceAt: number | null = null): Promise<EventRow[]> {
    let q = this.db.selectFrom('events').selectAll().where('session_id', '=', sessionId).where('seq', '>', afterSeq);
    if (sinceAt !== null) q = q.where('at', '>=', sinceAt);
    return q.orderBy('seq').execute();
  }
  /** The body of the session's latest event of this kind (parsed), or undefined. */
  async latestEventOfKind(sessionId: string, kind: string): Promise<Record<string, unknown> | undefined> {
    const r = await this.db.selectFrom('events').select('body').where('session_id', '=', sessionId).where('kind', '=', kind).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return r ? (JSON.parse(r.body) as Record<string, unknown>) : undefined;
  }
  async hasEventKind(sessionId: string, kind: string): Promise<boolean> {
    return (await this.db.selectFrom('events').select('seq').where('session_id', '=', sessionId).where('kind', '=', kind).limit(1).executeTakeFirst()) !== undefined;
  }
  /** Bytes of transcript the participants wrote (system lines excluded): what limits.sessionTranscriptBytes caps. */
  async transcriptBytes(sessionId: string): Promise<number> {
    const r = await this.db.selectFrom('events')
      .select(sql<number>`coalesce(sum(octet_length(body)), 0)`.as('n'))
      .where('session_id', '=', sessionId).where('from_role', '!=', 'system').executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async maxSeq(sessionId: string): Promise<number> {
    const r = await this.db.selectFrom('events').select((eb) => eb.fn.max('seq').as('m')).where('session_id', '=', sessionId).executeTakeFirst();
    return Number(r?.m ?? 0);
  }

  // ---- system information (the agent's latest, JSON)
  async saveSysinfo(sessionId: string, info: string, at: number): Promise<void> {
    await this.db.insertInto('session_sysinfo').values({ session_id: sessionId, info, at })
      .onConflict((oc) => oc.column('session_id').doUpdateSet({ info, at })).execute();
    await this.touchSession(sessionId);
  }
  getSysinfo(sessionId: string): Promise<{ info: string; at: number } | undefined> {
    return this.db.selectFrom('session_sysinfo').select(['info', 'at']).where('session_id', '=', sessionId).executeTakeFirst();
  }

  // ---- diagnostics (the latest report the customer allowed, JSON)
  async saveDiagnostics(sessionId: string, report: string, at: number): Promise<void> {
    await this.db.insertInto('session_diagnostics').values({ session_id: sessionId, report, at })
      .onConflict((oc) => oc.column('session_id').doUpdateSet({ report, at })).execute();
    await this.touchSession(sessionId);
  }
  getDiagnostics(sessionId: string): Promise<{ report: string; at: number } | undefined> {
    return this.db.selectFrom('session_diagnostics').select(['report', 'at']).where('session_id', '=', sessionId).executeTakeFirst();
  }

  // ---- surveys
  /**
   * One survey per role and session (per rep for reps): 'resend' when this (session, client id) is
   * stored already, 'answered' when the same person answered before under another id.
   */
  addSurvey(row: Insertable<Database['surveys']>): Promise<'added' | 'resend' | 'answered'> {
    return this.db.transaction().execute(async (trx) => {
      const same = trx.selectFrom('surveys').select('id').where('session_id', '=', row.session_id);
      if (await same.where('client_id', '=', row.client_id).executeTakeFirst()) return 'resend';
      const mine = same.where('role', '=', row.role);
      if (await (row.rep_id ? mine.where('rep_id', '=', row.rep_id) : mine).executeTakeFirst()) return 'answered';
      await trx.insertInto('surveys').values(row).execute();
      await trx.updateTable('sessions').set({ change_seq: this.changeNumber }).where('id', '=', row.session_id).execute();
      return 'added';
    });
  }
  listSurveys(sessionId: string): Promise<SurveyRow[]> {
    return this.db.selectFrom('surveys').selectAll().where('session_id', '=', sessionId).orderBy('id').execute();
  }

  // ---- session keys
  async createKey(row: KeyRow): Promise<void> {
    await this.db.insertInto('session_keys').values(row).execute();
  }
  getKey(key: string): Promise<KeyRow | undefined> {
    return this.db.selectFrom('session_keys').selectAll().where('key', '=', key).executeTakeFirst();
  }
  getKeyByAccess(accessKey: string): Promise<KeyRow | undefined> {
    return this.db.selectFrom('session_keys').selectAll().where('access_key', '=', accessKey).executeTakeFirst();
  }
  /** Marks the key used; false when someone else used it first. */
  async useKey(key: string, now: number): Promise<boolean> {
    const r = await this.db.updateTable('session_keys').set({ used_at: now }).where('key', '=', key).where('used_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
  /** Frees a key whose expired, never-used row blocks a fresh key of the same text. */
  async deleteExpiredKey(key: string, now: number): Promise<void> {
    await this.db.deleteFrom('session_keys').where('key', '=', key).where('expires_at', '<=', now).execute();
  }

  // ---- files
  async createFile(row: FileRow): Promise<void> {
    await this.db.insertInto('files').values(row).execute();
  }
  async updateFile(id: string, patch: Updateable<FilesTable>): Promise<void> {
    await this.db.updateTable('files').set(patch).where('id', '=', id).execute();
    if (patch.status === 'done') {
      const f = await this.getFile(id);
      if (f) await this.touchSession(f.session_id);
    }
  }
  /** After a restart no transfer is in flight any more. */
  async failUnfinishedFiles(): Promise<void> {
    await this.db.updateTable('files').set({ status: 'failed' }).where('status', 'in', ['offered', 'accepted']).execute();
  }
  async getMeta(key: string): Promise<string | undefined> {
    return (await this.db.selectFrom('server_meta').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }
  async setMeta(key: string, value: string): Promise<void> {
    await this.db.insertInto('server_meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
  }
  getFile(id: string): Promise<FileRow | undefined> {
    return this.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
  }
}

/** The store's public surface; everything outside server/store/ sees only this. */
export type Store = { [K in keyof KyselyStore]: KyselyStore[K] };
