// The audit log (docs/ARCHITECTURE.md, "Administration"): every login, failed ones included, and
// every admin change, with who, when, from where and (for settings) before → after; filtered by
// actor, kind and time, paged; administrators only, and nothing can change an entry.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { api, createRep, loginRep, startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let admin: string;
let adminId: string;
const started = Date.now();
test.before(async () => {
  server = await startServer({ config: { companyName: 'Audit Co' } });
  admin = await loginRep(server);
  adminId = (await api(server, 'GET', '/api/rep/me', undefined, { cookie: admin })).body.rep.id;
});
test.after(async () => {
  await server.stop();
});

const log = (query = '', cookie = admin) => api(server, 'GET', `/api/admin/audit${query}`, undefined, { cookie });

test('logins, failed ones too, are recorded with the address', async () => {
  assert.is((await api(server, 'POST', '/api/rep/login', { username: 'admin', password: 'wrong-password' })).status, 401);
  assert.is((await api(server, 'POST', '/api/rep/login', { username: 'nobody', password: 'whatever1' })).status, 401);
  const r = await log('?kind=login');
  assert.is(r.status, 200);
  const kinds = r.body.entries.map((e: { kind: string; actor: { name: string } }) => `${e.kind} ${e.actor.name}`);
  assert.equal(kinds, ['login.failed nobody', 'login.failed admin', 'login.succeeded admin']);
  const failed = r.body.entries[1];
  assert.is(failed.actor.id, adminId);
  assert.is(failed.address, '127.0.0.1');
  assert.equal(failed.detail, { reason: 'wrong password' });
  assert.is(r.body.entries[0].actor.id, null, 'an unknown user name has no id');
  assert.ok(failed.at >= started && failed.at <= Date.now());
});

test('a settings change records before and after; other changes what was given', async () => {
  assert.is((await api(server, 'PUT', '/api/admin/settings', { companyName: 'Audit Co 2', watermark: true }, { cookie: admin })).status, 200);
  const repId = await createRep(server, admin, { username: 'lee', password: 'lee-pass-1', name: 'Lee' });
  const r = await log('?kind=settings.changed');
  assert.is(r.body.entries.length, 1, 'an unchanged key (watermark) is no change');
  assert.equal(r.body.entries[0].detail, { changes: [{ key: 'companyName', before: 'Audit Co', after: 'Audit Co 2' }] });
  assert.equal(r.body.entries[0].actor, { id: adminId, name: 'admin' });
  const rep = await log('?kind=rep');
  assert.is(rep.body.entries[0].kind, 'rep.created');
  assert.is(rep.body.entries[0].target, repId);
  assert.equal(rep.body.entries[0].detail, { username: 'lee', name: 'Lee', isAdmin: false, teamIds: [] });
});

test('filters by actor and time, pages by id, and refuses bad filters', async () => {
  const lee = await loginRep(server, 'lee', 'lee-pass-1');
  const leeId = (await api(server, 'GET', '/api/rep/me', undefined, { cookie: lee })).body.rep.id;
  const mine = await log(`?actor=${leeId}`);
  assert.equal(mine.body.entries.map((e: { kind: string }) => e.kind), ['login.succeeded']);
  const all = (await log()).body.entries;
  const page1 = await log('?limit=2');
  assert.is(page1.body.entries.length, 2);
  assert.is(page1.body.next, page1.body.entries[1].id);
  const page2 = await log(`?limit=2&before=${page1.body.next}`);
  assert.equal([...page1.body.entries, ...page2.body.entries].map((e: { id: number }) => e.id), all.slice(0, 4).map((e: { id: number }) => e.id));
  const future = await log(`?from=${Date.now() + 60_000}`);
  assert.equal(future.body, { entries: [], next: null });
  const past = await log(`?to=${started}`);
  assert.is(past.body.entries.length, 0);
  const bad = await log('?limit=100000');
  assert.is(bad.status, 400);
  assert.is(bad.body.error.code, 'invalid');
  assert.match(bad.body.error.message, /limit/);
});

test('administrators only; no way to change or remove an entry', async () => {
  const lee = await loginRep(server, 'lee', 'lee-pass-1');
  assert.is((await log('', lee)).status, 403);
  assert.is((await log('', '')).status, 401);
  const id = (await log()).body.entries[0].id;
  for (const method of ['PUT', 'PATCH', 'DELETE']) {
    const r = await api(server, method, `/api/admin/audit/${id}`, method === 'DELETE' ? undefined : {}, { cookie: admin });
    assert.is(r.status, 404, `${method} has no route`);
  }
  assert.is((await api(server, 'DELETE', '/api/admin/audit', undefined, { cookie: admin })).status, 404);
});

test.run();
