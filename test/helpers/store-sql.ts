// Reads (or changes) a test server's records behind its back, whichever store it runs on: the
// SQLite file in its data dir, or its PostgreSQL database. `?` placeholders on both.
//   const rows = await storeSql<{ seq: number }>(server, 'select seq from events where session_id = ?', id);
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import type { TestServer } from './server.ts';

/** Numbers as numbers (count(*) and bigint columns), as the server's own store reads them. */
const types = { getTypeParser: ((oid: number, format?: string) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser };

export async function storeSql<T = Record<string, unknown>>(server: Pick<TestServer, 'dataDir' | 'databaseUrl'>, text: string, ...params: unknown[]): Promise<T[]> {
  if (server.databaseUrl) {
    const client = new pg.Client({ connectionString: server.databaseUrl, types });
    await client.connect();
    try {
      let n = 0;
      return (await client.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(join(server.dataDir, 'bridge.db'), { fileMustExist: true });
  try {
    const stmt = db.prepare(text);
    if (stmt.reader) return stmt.all(...params) as T[];
    stmt.run(...params);
    return [];
  } finally {
    db.close();
  }
}
