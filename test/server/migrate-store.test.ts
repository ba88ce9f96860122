// Moving an embedded SQLite install to PostgreSQL (docs/ARCHITECTURE.md "Storage"): a real server
// writes sessions, transcript lines (chat, a recording answer), outbox events, API and admin audit
// rows into SQLite; `npm run migrate-store` copies them into a real PostgreSQL with progress
// lines and verified counts, refuses a target that has records unless told, and a server started
// on the copy shows the same history and carries on numbering without collisions.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId } from '../../protocol/index.ts';
import { postgresDatabase } from '../helpers/postgres.ts';
import { api, createKey, createTeam, joinSession, loginRep, startServer, until, wsClient } from '../helpers/server.ts';
import { startReceiver } from '../helpers/webhook-receiver.ts';

const run = promisify(execFile);
const migrate = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'server/migrate-store.ts', ...args], { encoding: 'utf8' })
  .then((r) => ({ code: 0, out: r.stdout, err: r.stderr }), (e) => ({ code: e.code as number, out: e.stdout as string, err: e.stderr as string }));

const TABLES = ['sessions', 'events', 'outbox_events', 'audit_log', 'session_participants', 'reps', 'teams'];
const types = { getTypeParser: ((oid: number, format?: string) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser };

test('an SQLite install moves to PostgreSQL with every row, and a server on the copy carries on', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bridge-migrate-'));
  const password = 'migrate-admin-password';
  const rcv = await startReceiver();
  const a = await startServer({ dataDir, store: 'sqlite', env: { BRIDGE_ADMIN_PASSWORD: password }, config: { agreement: null, recording: { policy: 'ask', refreshSec: 60, retentionDays: 1 } } });
  let sessionId: string;
  try {
    const admin = await loginRep(a);
    await createTeam(a, admin, 'Migrated team'); // an admin audit row
    assert.is((await api(a, 'POST', '/api/admin/event-endpoints', { url: rcv.url }, { cookie: admin })).status, 201);
    const rep = wsClient(a, 'rep', '', { cookie: admin });
    await rep.ready;
    const k = await createKey(a, admin);
    sessionId = k.sessionId;
    const customer = wsClient(a, 'customer', (await joinSession(a, k.key, 'customer', 'Mira Grant')).token);
    await customer.ready;
    await customer.conn.sendReliable({ t: 'recording', sessionId, id: newClientId(), allowed: true });
    rep.conn.send({ t: 'accept', sessionId });
    await rep.waitFor((m) => m.t === 'session' && m.session.id === sessionId && m.session.state === 'active');
    await customer.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: 'the printer is on fire' });
    await rep.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: 'moving you to the new database' });
    rep.conn.send({ t: 'end', sessionId });
    await rep.waitFor((m) => m.t === 'session' && m.session.id === sessionId && m.session.state === 'ended');
    await until(() => rcv.received.length > 0, 10_000, 'an outbox delivery');
  } finally {
    await a.stop();
    await rcv.close();
  }

  const file = join(dataDir, 'bridge.db');
  const src = new Database(file, { readonly: true });
  const before = Object.fromEntries(TABLES.map((t) => [t, (src.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n]));
  const sourceEvents = src.prepare('select seq, kind, body from events where session_id = ? order by seq').all(sessionId);
  src.close();
  for (const t of TABLES) assert.ok(before[t] > 0, `the source has ${t} rows`);

  const url = await postgresDatabase();
  const first = await migrate('--from', file, '--to', url, '--batch', '2');
  assert.is(first.code, 0, first.err);
  assert.match(first.out, /events: \d+ of \d+ rows copied/);
  assert.match(first.out, /verified: \d+ tables, \d+ rows, every count equal/);

  const again = await migrate('--from', file, '--to', url);
  assert.is(again.code, 3);
  assert.match(again.err, /already has records .*--replace/);
  const replaced = await migrate('--from', file, '--to', url, '--replace');
  assert.is(replaced.code, 0, replaced.err);
  assert.match(replaced.out, /emptying the target/);
  assert.is((await migrate('--from', file)).code, 2);

  const client = new pg.Client({ connectionString: url, types });
  await client.connect();
  try {
    for (const t of TABLES) assert.is(Number((await client.query(`select count(*) as n from ${t}`)).rows[0].n), before[t], t);
    assert.equal((await client.query('select seq, kind, body from events where session_id = $1 order by seq', [sessionId])).rows, sourceEvents);
  } finally {
    await client.end();
  }

  // A server on the copy: the same history, and new rows (audit ids, change numbers) after the copied ones.
  const b = await startServer({ dataDir, store: 'sqlite', env: { BRIDGE_DATABASE_URL: url, BRIDGE_ADMIN_PASSWORD: password } });
  try {
    const admin = await loginRep(b, 'admin', password);
    const record = await api(b, 'GET', `/api/sessions/${sessionId}/transcript`, undefined, { cookie: admin });
    assert.is(record.status, 200, JSON.stringify(record.body));
    assert.match(JSON.stringify(record.body), /the printer is on fire/);
    await createTeam(b, admin, 'Team after the move');
    const audit = await api(b, 'GET', '/api/admin/audit', undefined, { cookie: admin });
    assert.is(audit.status, 200, JSON.stringify(audit.body));
    assert.match(JSON.stringify(audit.body), /Team after the move/);
    assert.match(JSON.stringify(audit.body), /Migrated team/);
  } finally {
    await b.stop();
  }
});

test.run();
