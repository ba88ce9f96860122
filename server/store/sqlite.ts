// The embedded default: better-sqlite3 in WAL mode, one file in the data dir.
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { join } from 'node:path';
import type { Database } from './schema.ts';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';
import { preparePrivateDir } from './data-dir.ts';
import { KyselyStore, type Store } from './store.ts';

/** How often the checkpoint worker moves the WAL into the database file. */
const CHECKPOINT_MS = 500;

export async function openSqliteStore(dataDir: string): Promise<Store> {
  preparePrivateDir(dataDir, ['bridge.db']);
  const file = join(dataDir, 'bridge.db');
  const raw = new Sqlite(file);
  raw.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process crash (kill -9); only an OS crash may lose the last commits.
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  let checkpointer: Checkpointer | null = null;
  const store = new KyselyStore(db, async () => {
    await checkpointer?.stop();
    await db.destroy();
  });
  await store.migrate();
  // Checkpoints in a worker thread, not inside a commit on the event loop (see checkpointer.ts).
  // Should the worker die, SQLite's own auto-checkpoint comes back so the WAL stays bounded.
  raw.pragma('wal_autocheckpoint = 0');
  checkpointer = startCheckpointer(file, CHECKPOINT_MS, (e) => {
    console.error('[bridge] checkpoint worker failed, back to auto-checkpoints:', e.message);
    if (raw.open) raw.pragma('wal_autocheckpoint = 1000');
  });
  return store;
}
