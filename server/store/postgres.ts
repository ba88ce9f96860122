// PostgreSQL for records (docs/ARCHITECTURE.md "Storage"): the same KyselyStore and migrations as
// the embedded SQLite file, on Kysely's PostgresDialect with the `pg` pool.
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { logError } from '../log.ts';
import type { Database } from './schema.ts';
import { KyselyStore, type Store } from './store.ts';

const INT8 = 20;
/**
 * pg returns bigint (int8) as a string, since it may exceed 2^53; Bridge's bigints are
 * millisecond times, sizes, counts and change numbers, all far below that, and the store's types
 * say number, as SQLite returns them. Per pool, so nothing else in the process changes.
 */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8 && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions { url: string; poolSize: number }

export async function openPostgresStore(opts: PostgresOptions): Promise<Store> {
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize, types });
  // An idle connection that breaks (the database restarted) is dropped by the pool and replaced
  // on the next query; without a listener the 'error' event would end the process.
  pool.on('error', (e) => logError(e));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const store = new KyselyStore(db, () => db.destroy());
  try {
    await store.migrate();
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return store;
}
