// The store, the same tests against both backends (docs/ARCHITECTURE.md "Storage"): the embedded
// SQLite file (WAL mode) and PostgreSQL (a throwaway cluster, test/helpers/postgres.ts).
// Migrations apply once and are re-runnable; the uniqueness the no-loss protocol relies on (one
// event per (session, client id)); numbers come back as numbers; search, the change cursor, the
// outbox and the API audit behave alike.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openPostgresStore } from '../../server/store/postgres.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import { postgresDatabase } from '../helpers/postgres.ts';

type Store = Awaited<ReturnType<typeof openSqliteStore>>;

const dir = mkdtempSync(join(tmpdir(), 'bridge-store-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

interface Backend { name: string; open(): Promise<Store> }
let pgUrl: string | undefined;
const backends: Backend[] = [
  { name: 'sqlite', open: () => openSqliteStore(dir) },
  { name: 'postgres', open: async () => openPostgresStore({ url: (pgUrl ??= await postgresDatabase()), poolSize: 4 }) },
];

const now = Date.now();
function session(id: string, over: object = {}) {
  return { id, state: 'queued', queue_kind: 'general', queue_id: null, created_at: now, queued_at: now, customer_name: 'A', company: '', issue: '', description: '', platform: '', rep_ids: '[]', file_count: 0, ...over };
}
const event = (sessionId: string, seq: number, clientId: string | null, body: object, from_role = 'customer') =>
  ({ session_id: sessionId, seq, client_id: clientId, at: now, from_role, from_id: null, from_name: 'A', kind: (body as { kind: string }).kind, body: JSON.stringify(body) });

for (const b of backends) {
  const t = suite(b.name);

  t('migrations run once; one event per (session, client id); surveys once per person', async () => {
    await (await b.open()).close();
    const s = await b.open();
    await s.createSession(session('s1'));
    const ev = event('s1', 1, 'c1', { kind: 'chat', text: 'x' });
    await s.appendEvent(ev);
    let dup = false;
    try { await s.appendEvent({ ...ev, seq: 2 }); } catch { dup = true; }
    assert.ok(dup, 'a second event with the same client id was stored');
    assert.is(await s.maxSeq('s1'), 1);
    assert.is((await s.getEventByClientId('s1', 'c1'))?.seq, 1);
    assert.is(await s.addSurvey({ session_id: 's1', client_id: 'v1', role: 'customer', rep_id: null, answers: '{}', at: now }), 'added');
    assert.is(await s.addSurvey({ session_id: 's1', client_id: 'v1', role: 'customer', rep_id: null, answers: '{}', at: now }), 'resend');
    assert.is(await s.addSurvey({ session_id: 's1', client_id: 'v2', role: 'customer', rep_id: null, answers: '{}', at: now }), 'answered');
    await s.close();
  });

  t('numbers are numbers: times, counts, sizes, sums, generated ids', async () => {
    const s = await b.open();
    const row = await s.getSession('s1');
    assert.is(row?.created_at, now);
    assert.is(typeof row?.change_seq, 'number');
    await s.createRep({ id: 'r1', username: 'ana', name: 'Ana', password_hash: 'x', is_admin: 1, created_at: now });
    assert.is(await s.countReps(), 1);
    assert.is((await s.getRep('r1'))?.is_admin, 1);
    await s.appendEvent(event('s1', 2, 'c2', { kind: 'chat', text: 'héllo' }));
    assert.is(await s.transcriptBytes('s1'), Buffer.byteLength(JSON.stringify({ kind: 'chat', text: 'x' })) + Buffer.byteLength(JSON.stringify({ kind: 'chat', text: 'héllo' })));
    const surveys = await s.listSurveys('s1');
    assert.is(typeof surveys[0].id, 'number');
    await s.api.audit({ account_id: 'a1', at: now, action: 'GET /x', status: 200, address: '127.0.0.1' });
    await s.api.audit({ account_id: 'a1', at: now + 1, action: 'GET /y', status: 404, address: '127.0.0.1' });
    const log = await s.api.auditLog('a1', 10);
    assert.equal(log.map((r) => r.action), ['GET /y', 'GET /x']);
    assert.ok(log[0].id > log[1].id && typeof log[0].id === 'number');
    assert.equal((await s.api.auditLog('a1', 10, log[0].id)).map((r) => r.action), ['GET /x']);
    assert.is(await s.useKey('nope', now), false);
    assert.is(await s.api.spendNonce('a1', 'n1', now + 60_000, now), true);
    assert.is(await s.api.spendNonce('a1', 'n1', now + 60_000, now), false, 'a replayed nonce');
    await s.close();
  });

  t('history search: case-insensitive, % and _ literal, chat lines searched too', async () => {
    const s = await b.open();
    await s.createSession(session('s2', { customer_name: 'Zoë Müller', company: 'ACME 50% off', created_at: now + 1 }));
    await s.createSession(session('s3', { customer_name: 'Bob', company: 'a_b', created_at: now + 2 }));
    await s.createSession(session('s4', { customer_name: 'Carl', company: 'axb', created_at: now + 3 }));
    await s.appendEvent(event('s4', 1, 'k1', { kind: 'chat', text: 'Printer on FIRE' }));
    const ids = async (q: string) => (await s.history({ q, limit: 10 })).map((r) => r.id);
    assert.equal(await ids('acme'), ['s2']);
    assert.equal(await ids('50%'), ['s2']);
    assert.equal(await ids('a_b'), ['s3']);
    assert.equal(await ids('zoë'), ['s2']);
    assert.equal(await ids('fire'), ['s4']);
    assert.equal(await ids('s3'), ['s3']);
    await s.close();
  });

  t('change cursor: every change is reported once, in order, also under concurrent writers', async () => {
    const s = await b.open();
    const seen = new Map<string, number>();
    let cursor = { afterSeq: 0, afterId: '' };
    const drain = async () => {
      for (;;) {
        const page = await s.changedSessions({ ...cursor, limit: 3 });
        if (!page.length) return;
        for (const r of page) {
          assert.ok(r.change_seq > cursor.afterSeq || (r.change_seq === cursor.afterSeq && r.id > cursor.afterId), 'cursor moves forward');
          seen.set(r.id, r.change_seq);
        }
        const last = page[page.length - 1];
        cursor = { afterSeq: last.change_seq, afterId: last.id };
      }
    };
    await drain();
    const before = new Map(seen);
    // Writers side by side (PostgreSQL: on several pool connections) while a reader pages on.
    const writes = Array.from({ length: 40 }, (_, i) => (i % 2 ? s.updateSession(`s${2 + (i % 3)}`, { issue: `w${i}` }) : s.createSession(session(`n${i}`))));
    const reading = (async () => { for (let i = 0; i < 5; i++) await drain(); })();
    await Promise.all([...writes, reading]);
    await drain();
    const rows = await Promise.all([...seen.keys()].map((id) => s.getSession(id)));
    for (const r of rows) assert.is(seen.get(r!.id), r!.change_seq, `${r!.id}: the reader has its latest change`);
    for (let i = 0; i < 40; i += 2) assert.ok(seen.has(`n${i}`), `n${i} reported`);
    for (const id of ['s2', 's3', 's4']) assert.ok(seen.get(id)! > before.get(id)!, `${id} reported again`);
    await s.close();
  });

  t('outbox: sequences per session, first in line, returning, pruning counts', async () => {
    const s = await b.open();
    const add = (id: string, sessionId: string) => s.outbox.addEvent({ id, sessionId, type: 'session.created', occurredAt: now, body: (n) => JSON.stringify({ n }) }, ['endpoint:e1'], now + 1000);
    assert.is(await add('o1', 's1'), 1);
    assert.is(await add('o2', 's1'), 2);
    const due = await s.outbox.dueDeliveries(['endpoint:e1'], now, 10);
    assert.equal(due.map((d) => d.event_id), ['o1']);
    assert.is(await s.outbox.nextDueAt(['endpoint:e1']), now);
    await s.outbox.markInFlight('endpoint:e1', 'o1', now);
    await s.outbox.finishAttempt('endpoint:e1', 'o1', { state: 'delivered', delivered_at: now, attempts: 1 });
    assert.equal((await s.outbox.dueDeliveries(['endpoint:e1'], Date.now() + 1000, 10)).map((d) => d.event_id), ['o2']);
    assert.is(await s.outbox.pruneDone(now + 10), 0, 'o2 still pending');
    await s.outbox.finishAttempt('endpoint:e1', 'o2', { state: 'failed' });
    assert.is(await s.outbox.pruneDone(now + 10), 2);
    await s.close();
  });

  t.run();
}

const sqliteOnly = suite('sqlite file');
sqliteOnly('WAL is on, the tables of docs/ARCHITECTURE.md "Storage" exist', () => {
  const db = new Database(join(dir, 'bridge.db'), { readonly: true });
  assert.is(db.pragma('journal_mode', { simple: true }), 'wal');
  const tables = (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name);
  for (const t of ['reps', 'teams', 'rep_teams', 'sessions', 'session_participants', 'events', 'surveys', 'session_keys', 'files']) assert.ok(tables.includes(t), t);
  db.close();
});
sqliteOnly.run();
