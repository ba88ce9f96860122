// The embedded store: WAL mode, migrations applied once and re-runnable, the uniqueness the
// no-loss protocol relies on (one event per (session, client id)).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openSqliteStore } from '../../server/store/sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'bridge-store-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('migrations run once, WAL is on, the tables of docs/ARCHITECTURE.md "Storage" exist', async () => {
  const a = await openSqliteStore(dir);
  await a.close();
  const b = await openSqliteStore(dir);
  const now = Date.now();
  await b.createSession({ id: 's1', state: 'queued', queue_kind: 'general', queue_id: null, created_at: now, customer_name: 'A', company: '', issue: '', description: '', platform: '', rep_ids: '[]', file_count: 0 });
  const ev = { session_id: 's1', seq: 1, client_id: 'c1', at: now, from_role: 'customer', from_id: null, from_name: 'A', kind: 'chat', body: '{"kind":"chat","text":"x"}' };
  await b.appendEvent(ev);
  let dup = false;
  try { await b.appendEvent({ ...ev, seq: 2 }); } catch { dup = true; }
  assert.ok(dup, 'a second event with the same client id was stored');
  assert.is(await b.maxSeq('s1'), 1);
  assert.is((await b.getEventByClientId('s1', 'c1'))?.seq, 1);
  assert.is(await b.addSurvey({ session_id: 's1', client_id: 'v1', role: 'customer', rep_id: null, answers: '{}', at: now }), 'added');
  assert.is(await b.addSurvey({ session_id: 's1', client_id: 'v1', role: 'customer', rep_id: null, answers: '{}', at: now }), 'resend');
  assert.is(await b.addSurvey({ session_id: 's1', client_id: 'v2', role: 'customer', rep_id: null, answers: '{}', at: now }), 'answered');
  await b.close();
  const db = new Database(join(dir, 'bridge.db'), { readonly: true });
  assert.is(db.pragma('journal_mode', { simple: true }), 'wal');
  const tables = (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name);
  for (const t of ['reps', 'teams', 'rep_teams', 'sessions', 'session_participants', 'events', 'surveys', 'session_keys', 'files']) assert.ok(tables.includes(t), t);
  db.close();
});

test.run();
