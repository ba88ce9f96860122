// Queries of the help-desk API: accounts, their bearer tokens (hashes only) and the audit log.
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { ApiAccountsTable, ApiAuditTable, ApiTokensTable, Database } from './schema.ts';

export type ApiAccountRow = Selectable<ApiAccountsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type ApiAuditRow = Selectable<ApiAuditTable>;

export class ApiAccountQueries {
  constructor(private readonly db: Kysely<Database>) {}

  async create(row: Insertable<ApiAccountsTable>): Promise<void> {
    await this.db.insertInto('api_accounts').values(row).execute();
  }
  get(id: string): Promise<ApiAccountRow | undefined> {
    return this.db.selectFrom('api_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  }
  list(): Promise<ApiAccountRow[]> {
    return this.db.selectFrom('api_accounts').selectAll().orderBy('created_at').execute();
  }
  async update(id: string, patch: Updateable<ApiAccountsTable>): Promise<void> {
    await this.db.updateTable('api_accounts').set(patch).where('id', '=', id).execute();
  }

  /** Its tokens go with it (cascade); its lines in the API audit log stay, as history. */
  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('api_tokens').where('account_id', '=', id).execute();
    await this.db.deleteFrom('api_accounts').where('id', '=', id).execute();
  }

  async createToken(row: ApiTokenRow): Promise<void> {
    await this.db.insertInto('api_tokens').values(row).execute();
  }
  /** A live token and its account, or undefined (expired, unknown, or the account is gone). */
  getToken(tokenHash: string, now: number): Promise<ApiTokenRow | undefined> {
    return this.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst();
  }
  /** Disabling an account or rotating its secret ends every token it holds. */
  async deleteTokens(accountId: string): Promise<void> {
    await this.db.deleteFrom('api_tokens').where('account_id', '=', accountId).execute();
  }
  async deleteExpiredTokens(now: number): Promise<void> {
    await this.db.deleteFrom('api_tokens').where('expires_at', '<=', now).execute();
  }

  /**
   * Records a prefill signature's nonce; false when it was used already (a replay). Nonces of
   * expired signatures go first: an expired signature is refused before its nonce is looked at.
   */
  async spendNonce(accountId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    await this.db.deleteFrom('prefill_nonces').where('expires_at', '<=', now).execute();
    const r = await this.db.insertInto('prefill_nonces').values({ account_id: accountId, nonce, expires_at: expiresAt })
      .onConflict((oc) => oc.doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async audit(row: Insertable<ApiAuditTable>): Promise<void> {
    await this.db.insertInto('api_audit').values(row).execute();
  }
  async pruneAudit(before: number): Promise<void> {
    await this.db.deleteFrom('api_audit').where('at', '<', before).execute();
  }
  /** Newest first. */
  auditLog(accountId: string | null, limit: number, beforeId?: number): Promise<ApiAuditRow[]> {
    let q = this.db.selectFrom('api_audit').selectAll();
    if (accountId !== null) q = q.where('account_id', '=', accountId);
    if (beforeId !== undefined) q = q.where('id', '<', beforeId);
    return q.orderBy('id', 'desc').limit(limit).execute();
  }
}
