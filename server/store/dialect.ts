// The little SQL that differs between the embedded SQLite store and PostgreSQL, in one place
// (docs/ARCHITECTURE.md "Storage"). Everything else is plain Kysely that both run as is.
import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Kysely, type RawBuilder } from 'kysely';

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An integer primary key the database numbers: SQLite's autoincrement, PostgreSQL's identity. */
export function autoId(db: Kysely<any>): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return isPostgres(db) ? (c) => c.primaryKey().generatedByDefaultAsIdentity() : (c) => c.primaryKey().autoIncrement();
}

/** The advisory lock that orders change numbers on PostgreSQL (an arbitrary constant of Bridge's). */
const CHANGE_LOCK = 0x42726964;

/**
 * Creates what the change counter needs on PostgreSQL: a sequence, and a function that takes the
 * next number under a transaction-scoped lock, so numbers are committed in the order they are
 * taken (see nextChange). SQLite needs nothing.
 */
export async function createChangeCounter(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create sequence sessions_change_seq`.execute(db);
  await sql.raw(`create function bridge_next_change() returns bigint language plpgsql volatile as $$
    begin
      perform pg_advisory_xact_lock(${CHANGE_LOCK});
      return nextval('sessions_change_seq');
    end $$`).execute(db);
}

/**
 * The next value of the sessions' change counter, the reporting API's cursor. A reader that has
 * seen change N must never later find a new change below N. SQLite has one writer at a time, so
 * max + 1 is enough. On PostgreSQL writers run side by side: a sequence alone could commit 7
 * before 6 and a reader between the two would skip 6 for good; taking the number under a lock held
 * until commit makes the commit order the number order (writers of session records wait for each
 * other for the length of their transaction, which is one statement but for surveys).
 */
export function nextChange(db: Kysely<any>): RawBuilder<number> {
  return isPostgres(db) ? sql<number>`bridge_next_change()` : sql<number>`(select coalesce(max(change_seq), 0) + 1 from sessions)`;
}

/** A unique key or primary key refused the row (PostgreSQL's 23505, SQLite's constraint codes). */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
