// Queries of the site settings table (docs/ARCHITECTURE.md, "Administration"): a few rows, read
// whole at start and written one key at a time.
import type { Kysely, Selectable } from 'kysely';
import type { Database, SettingsTable } from './schema.ts';

export type SettingRow = Selectable<SettingsTable>;

export class SettingsQueries {
  constructor(private readonly db: Kysely<Database>) {}

  all(): Promise<SettingRow[]> {
    return this.db.selectFrom('settings').selectAll().execute();
  }
  async insert(row: SettingRow): Promise<void> {
    await this.db.insertInto('settings').values(row).execute();
  }
  /** The config file's value as seen at this start. */
  async markSeen(key: string, seen: string): Promise<void> {
    await this.db.updateTable('settings').set({ seen }).where('key', '=', key).execute();
  }
  /** Several keys changed together, all or none. */
  async put(values: Record<string, string>, by: string | null, at: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const [key, value] of Object.entries(values)) {
        await trx.updateTable('settings').set({ value, updated_at: at, updated_by: by }).where('key', '=', key).execute();
      }
    });
  }
}
