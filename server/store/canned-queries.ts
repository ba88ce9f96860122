// Canned chat messages: for everyone (team_id null) or one team's members.
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { CannedMessagesTable, Database } from './schema.ts';

export type CannedRow = Selectable<CannedMessagesTable>;

export class CannedQueries {
  constructor(private readonly db: Kysely<Database>) {}

  /** All of them (`teamIds` undefined), or those for everyone and these teams. */
  list(teamIds?: string[]): Promise<CannedRow[]> {
    let q = this.db.selectFrom('canned_messages').selectAll();
    if (teamIds !== undefined) q = q.where((eb) => eb.or([eb('team_id', 'is', null), ...(teamIds.length ? [eb('team_id', 'in', teamIds)] : [])]));
    return q.orderBy('title').execute();
  }
  get(id: string): Promise<CannedRow | undefined> {
    return this.db.selectFrom('canned_messages').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async create(row: Insertable<CannedMessagesTable>): Promise<void> {
    await this.db.insertInto('canned_messages').values(row).execute();
  }
  async update(id: string, patch: Updateable<CannedMessagesTable>): Promise<void> {
    await this.db.updateTable('canned_messages').set(patch).where('id', '=', id).execute();
  }
  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('canned_messages').where('id', '=', id).execute();
  }
}
