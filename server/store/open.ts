// Which store the server uses (docs/ARCHITECTURE.md "Storage"): PostgreSQL when a database URL is
// configured, else the embedded SQLite file in the data dir.
import type { Config } from '../config.ts';
import { preparePrivateDir } from './data-dir.ts';
import { openPostgresStore } from './postgres.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

export function openStore(config: Pick<Config, 'dataDir' | 'database'>): Promise<Store> {
  const { url, poolSize } = config.database;
  if (!url) return openSqliteStore(config.dataDir);
  // Files, recordings and packaged agents still live in the data dir.
  preparePrivateDir(config.dataDir);
  return openPostgresStore({ url, poolSize });
}
