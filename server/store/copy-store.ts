// Moves an embedded SQLite install's records into PostgreSQL (docs/ARCHITECTURE.md "Storage",
// "Moving to PostgreSQL"): the target gets Bridge's migrations, then every table is copied in
// foreign-key order in batches, identity and change counters are moved past the copied rows, and
// row counts are compared. The SQLite file is only read.
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { migrations } from './migrations.ts';
import { openPostgresStore } from './postgres.ts';

export interface CopyOptions {
  /** The SQLite file (the data dir's bridge.db). */
  from: string;
  /** postgres://user@host:5432/db */
  to: string;
  /** Empty the target's Bridge tables first instead of refusing a target that has records. */
  replace?: boolean;
  /** Rows per INSERT (fewer when a table has many columns: PostgreSQL takes 65,535 parameters). */
  batchRows?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface TableCount { table: string; source: number; target: number }

/** Why the copy cannot start, said so the person knows what to do next. */
export class CopyRefused extends Error {}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Kysely's own bookkeeping: the target's migrations write their own. */
const SKIP = new Set(['kysely_migration', 'kysely_migration_lock']);

export async function copyStore(o: CopyOptions): Promise<TableCount[]> {
  const log = o.log ?? (() => {});
  const src = new Sqlite(o.from, { readonly: true, fileMustExist: true });
  try {
    checkMigrations(src);
    const tables = tablesInOrder(src);
    // The schema comes from Bridge's migrations, exactly as a new PostgreSQL install gets it.
    await (await openPostgresStore({ url: o.to, poolSize: 1 })).close();
    const client = new pg.Client({ connectionString: o.to });
    await client.connect();
    try {
      await prepareTarget(client, tables, o.replace ?? false, log);
      await client.query('begin');
      for (const t of tables) await copyTable(src, client, t, o.batchRows ?? 1000, log);
      await resetCounters(client);
      await client.query('commit');
      const counts: TableCount[] = [];
      for (const t of tables) {
        const source = (src.prepare(`select count(*) as n from ${q(t)}`).get() as { n: number }).n;
        const target = Number((await client.query(`select count(*) as n from ${q(t)}`)).rows[0].n);
        counts.push({ table: t, source, target });
      }
      const wrong = counts.filter((c) => c.source !== c.target);
      if (wrong.length) throw new Error(`row counts differ after the copy: ${wrong.map((c) => `${c.table} ${c.source} → ${c.target}`).join(', ')}`);
      log(`verified: ${counts.length} tables, ${counts.reduce((n, c) => n + c.source, 0)} rows, every count equal`);
      return counts;
    } catch (e) {
      await client.query('rollback').catch(() => {});
      throw e;
    } finally {
      await client.end();
    }
  } finally {
    src.close();
  }
}

/** Both sides must be at the same schema: the target gets this Bridge's migrations. */
function checkMigrations(src: Sqlite.Database): void {
  const known = Object.keys(migrations);
  let applied: string[];
  try {
    applied = (src.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
  } catch {
    throw new CopyRefused('the source has no Bridge migrations table: is it a Bridge data dir\'s bridge.db?');
  }
  const unknown = applied.filter((n) => !known.includes(n));
  if (unknown.length) throw new CopyRefused(`the source was written by a newer Bridge (migrations ${unknown.join(', ')}): run this command from that version`);
  const missing = known.filter((n) => !applied.includes(n));
  if (missing.length) throw new CopyRefused(`the source is not up to date (missing migrations ${missing.join(', ')}): start this Bridge on it once (npm start), stop it, then copy`);
}

/** Every table, each after the tables its foreign keys point to. */
function tablesInOrder(src: Sqlite.Database): string[] {
  const names = (src.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[])
    .map((r) => r.name).filter((n) => !SKIP.has(n));
  const deps = new Map(names.map((n) => [n, (src.prepare(`select "table" as t from pragma_foreign_key_list(?)`).all(n) as { t: string }[]).map((r) => r.t).filter((t) => t !== n)]));
  const out: string[] = [];
  const visiting = new Set<string>();
  const visit = (n: string) => {
    if (out.includes(n)) return;
    if (visiting.has(n)) throw new Error(`foreign keys form a cycle through ${n}`);
    visiting.add(n);
    for (const d of deps.get(n) ?? []) if (names.includes(d)) visit(d);
    visiting.delete(n);
    out.push(n);
  };
  for (const n of names) visit(n);
  return out;
}

async function prepareTarget(client: pg.Client, tables: string[], replace: boolean, log: (l: string) => void): Promise<void> {
  const filled: string[] = [];
  for (const t of tables) if ((await client.query(`select exists (select 1 from ${q(t)}) as e`)).rows[0].e) filled.push(t);
  if (filled.length === 0) return;
  if (!replace) throw new CopyRefused(`the target database already has records (${filled.join(', ')}): give an empty database, or --replace to delete its Bridge records first`);
  log(`emptying the target's ${filled.length} tables with records (--replace)`);
  await client.query(`truncate ${tables.map(q).join(', ')} cascade`);
}

async function copyTable(src: Sqlite.Database, client: pg.Client, table: string, batchRows: number, log: (l: string) => void): Promise<void> {
  const total = (src.prepare(`select count(*) as n from ${q(table)}`).get() as { n: number }).n;
  const cols = (src.prepare('select name from pragma_table_info(?) order by cid').all(table) as { name: string }[]).map((r) => r.name);
  const per = Math.max(1, Math.min(batchRows, Math.floor(60_000 / cols.length)));
  const insert = (rows: unknown[][]) => {
    let n = 0;
    const values = rows.map((r) => `(${r.map(() => `$${++n}`).join(', ')})`).join(', ');
    // Identity columns take the copied ids as they are (resetCounters moves the counters after).
    return client.query(`insert into ${q(table)} (${cols.map(q).join(', ')}) overriding system value values ${values}`, rows.flat());
  };
  let done = 0;
  let batch: unknown[][] = [];
  let lastReport = 0;
  const stmt = src.prepare(`select ${cols.map(q).join(', ')} from ${q(table)}`).raw(true);
  for (const row of stmt.iterate() as Iterable<unknown[]>) {
    batch.push(row);
    if (batch.length < per) continue;
    await insert(batch);
    done += batch.length;
    batch = [];
    if (Date.now() - lastReport > 1000) { log(`${table}: ${done} of ${total} rows`); lastReport = Date.now(); }
  }
  if (batch.length) await insert(batch);
  done += batch.length;
  log(`${table}: ${done} of ${total} rows copied`);
}

/** New rows after the move must not collide with copied ones: identities and the change counter go past them. */
async function resetCounters(client: pg.Client): Promise<void> {
  const ids = await client.query(`select table_name as t, column_name as c from information_schema.columns where table_schema = current_schema() and is_identity = 'YES'`);
  for (const { t, c } of ids.rows as { t: string; c: string }[]) {
    await client.query(`select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${q(c)}) from ${q(t)}), 0) + 1, false)`, [q(t), c]);
  }
  await client.query(`select setval('sessions_change_seq', coalesce((select max(change_seq) from sessions), 0) + 1, false)`);
}
