// The Admin area's HTTP API (docs/ARCHITECTURE.md, "Administration"): reps (edit, teams, admin
// flag, password reset, disable: kicked out at once, sessions back to their queues), what reps
// change of their own, teams and membership, canned messages global and per team.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Msg } from '../../protocol/index.ts';
import { api, createKey, createRep, createTeam, joinSession, loginRep, startServer, until, wsClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let admin: string;
let adminId: string;
test.before(async () => {
  server = await startServer({ config: { agreement: null } });
  admin = await loginRep(server);
  adminId = (await api(server, 'GET', '/api/rep/me', undefined, { cookie: admin })).body.rep.id;
});
test.after(async () => {
  await server.stop();
});

const as = (cookie: string) => ({
  get: (path: string) => api(server, 'GET', path, undefined, { cookie }),
  send: (method: string, path: string, body?: unknown) => api(server, method, path, body, { cookie }),
});

test('reps: edit name, teams and admin flag; bad input is refused by field', async () => {
  const a = as(admin);
  const t1 = await createTeam(server, admin, 'Tier 1');
  const t2 = await createTeam(server, admin, 'Tier 2');
  const id = await createRep(server, admin, { username: 'dana', password: 'dana-pass-1', name: 'Dana', teamIds: [t1] });
  const r = await a.send('PATCH', `/api/admin/reps/${id}`, { name: 'Dana D.', teamIds: [t2], isAdmin: true });
  assert.is(r.status, 200);
  assert.equal({ name: r.body.rep.name, teamIds: r.body.rep.teamIds, isAdmin: r.body.rep.isAdmin, disabled: r.body.rep.disabled }, { name: 'Dana D.', teamIds: [t2], isAdmin: true, disabled: false });
  const listed = (await a.get('/api/admin/reps')).body.reps.find((x: { id: string }) => x.id === id);
  assert.is(listed.name, 'Dana D.');
  const bad = await a.send('PATCH', `/api/admin/reps/${id}`, { name: '', teamIds: 'x' });
  assert.is(bad.status, 400);
  assert.equal(bad.body.error.fields.map((f: { path: string }) => f.path).sort(), ['name', 'teamIds']);
  assert.is((await a.send('PATCH', `/api/admin/reps/${id}`, { teamIds: ['nope'] })).body.error.code, 'not_found');
  assert.is((await a.send('PATCH', '/api/admin/reps/nobody', { name: 'x' })).status, 404);
  const self = await a.send('PATCH', `/api/admin/reps/${adminId}`, { disabled: true });
  assert.is(self.status, 409, 'an administrator can\'t lock themselves out');
  const audit = (await a.get(`/api/admin/audit?kind=rep.changed`)).body.entries[0];
  assert.equal(audit.detail.changes.map((c: { key: string }) => c.key).sort(), ['isAdmin', 'name', 'teamIds']);
  const dana = await loginRep(server, 'dana', 'dana-pass-1');
  assert.is((await as(dana).get('/api/admin/reps')).status, 200, 'the admin flag works at once');
  await a.send('PATCH', `/api/admin/reps/${id}`, { isAdmin: false });
  assert.is((await as(dana).get('/api/admin/reps')).status, 403);
});

test('teams: rename, members, delete; names stay unique', async () => {
  const a = as(admin);
  const t = await createTeam(server, admin, 'Billing');
  const id = await createRep(server, admin, { username: 'bo', password: 'bo-pass-12', name: 'Bo' });
  const r = await a.send('PATCH', `/api/admin/teams/${t}`, { name: 'Billing EU', repIds: [id, adminId] });
  assert.is(r.status, 200);
  assert.equal({ name: r.body.team.name, repIds: [...r.body.team.repIds].sort() }, { name: 'Billing EU', repIds: [id, adminId].sort() });
  const bo = await loginRep(server, 'bo', 'bo-pass-12');
  assert.equal((await as(bo).get('/api/rep/me')).body.rep.teams, [{ id: t, name: 'Billing EU' }]);
  assert.is((await a.send('PATCH', `/api/admin/teams/${t}`, { name: 'Tier 1' })).status, 409);
  assert.is((await a.send('DELETE', `/api/admin/teams/${t}`)).status, 200);
  assert.not.ok((await a.get('/api/admin/teams')).body.teams.some((x: { id: string }) => x.id === t));
  assert.equal((await as(bo).get('/api/rep/me')).body.rep.teams, []);
  assert.is((await as(bo).send('DELETE', `/api/admin/teams/${t}`)).status, 403);
});

test('a rep changes their own name and password', async () => {
  await createRep(server, admin, { username: 'cy', password: 'cy-pass-123', name: 'Cy' });
  const cy = as(await loginRep(server, 'cy', 'cy-pass-123'));
  assert.is((await cy.send('PATCH', '/api/rep/me', { name: 'Cy Young' })).body.rep.name, 'Cy Young');
  const wrong = await cy.send('POST', '/api/rep/password', { current: 'not-it', password: 'cy-new-pass' });
  assert.is(wrong.status, 400);
  assert.equal(wrong.body.error.fields, [{ path: 'current', message: 'this is not your current password' }]);
  const short = await cy.send('POST', '/api/rep/password', { current: 'cy-pass-123', password: 'short' });
  assert.equal(short.body.error.fields, [{ path: 'password', message: 'use at least 8 characters' }]);
  assert.is((await cy.send('POST', '/api/rep/password', { current: 'cy-pass-123', password: 'cy-new-pass' })).status, 200);
  assert.is((await api(server, 'POST', '/api/rep/login', { username: 'cy', password: 'cy-pass-123' })).status, 401);
  await loginRep(server, 'cy', 'cy-new-pass');
});

test('a password reset ends the rep\'s logins and consoles', async () => {
  const id = await createRep(server, admin, { username: 'eve', password: 'eve-pass-12', name: 'Eve' });
  const cookie = await loginRep(server, 'eve', 'eve-pass-12');
  const consoleWs = wsClient(server, 'rep', '', { cookie });
  await consoleWs.ready;
  assert.is((await as(admin).send('POST', `/api/admin/reps/${id}/password`, { password: 'eve-reset-1' })).status, 200);
  await until(() => consoleWs.status === 'closed', 3000, 'the console closed');
  assert.is((await as(cookie).get('/api/rep/me')).status, 401);
  await loginRep(server, 'eve', 'eve-reset-1');
});

test('a disabled rep is kicked out at once and their session goes back to its queue', async () => {
  const team = await createTeam(server, admin, 'Desk');
  const id = await createRep(server, admin, { username: 'finn', password: 'finn-pass-1', name: 'Finn', teamIds: [team] });
  const cookie = await loginRep(server, 'finn', 'finn-pass-1');
  const finn = wsClient(server, 'rep', '', { cookie });
  await finn.ready;
  const key = await createKey(server, cookie, { queue: { kind: 'team', id: team } });
  const { token, sessionId } = await joinSession(server, key.key);
  const customer = wsClient(server, 'customer', token);
  await customer.ready;
  finn.conn.send({ t: 'accept', sessionId });
  await customer.waitFor((m) => m.t === 'session' && m.session.state === 'active');
  // An admin watching the queues sees it come back.
  const watcher = wsClient(server, 'rep', '', { cookie: admin });
  await watcher.ready;
  const r = await as(admin).send('PATCH', `/api/admin/reps/${id}`, { disabled: true });
  assert.is(r.status, 200);
  assert.is(r.body.rep.disabled, true);
  await until(() => finn.status === 'closed', 3000, 'the disabled rep\'s console closed');
  const back = await customer.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.state === 'queued');
  assert.equal(back.session.queue, { kind: 'team', id: team });
  assert.equal(back.session.reps, []);
  await customer.waitFor((m) => m.t === 'event' && m.body.kind === 'system' && /Finn is no longer available/.test(m.body.text));
  await watcher.waitForQueues((m) => m.queues.some((q) => q.sessions.some((s) => s.id === sessionId)));
  assert.is((await as(cookie).get('/api/rep/me')).status, 401, 'the old cookie opens nothing');
  const login = await api(server, 'POST', '/api/rep/login', { username: 'finn', password: 'finn-pass-1' });
  assert.is(login.status, 403);
  assert.match(login.body.error.message, /disabled/);
  const audit = (await as(admin).get('/api/admin/audit?kind=rep.disabled')).body.entries[0];
  assert.is(audit.target, id);
  assert.is((await as(admin).send('PATCH', `/api/admin/reps/${id}`, { disabled: false })).body.rep.disabled, false);
  await loginRep(server, 'finn', 'finn-pass-1');
  customer.close();
  watcher.close();
});

test('canned messages: global and per team; reps see theirs', async () => {
  const a = as(admin);
  const team = await createTeam(server, admin, 'Canned Team');
  await createRep(server, admin, { username: 'gus', password: 'gus-pass-12', name: 'Gus', teamIds: [team] });
  await createRep(server, admin, { username: 'hal', password: 'hal-pass-12', name: 'Hal' });
  const g = await a.send('POST', '/api/admin/canned', { title: 'Greeting', text: 'Hello! How can I help?' });
  assert.is(g.status, 200);
  assert.is(g.body.message.teamId, null);
  const t = await a.send('POST', '/api/admin/canned', { title: 'Team hint', text: 'Try restarting.', teamId: team });
  const bad = await a.send('POST', '/api/admin/canned', { title: ' ', text: '' });
  assert.equal(bad.body.error.fields.map((f: { path: string }) => f.path).sort(), ['text', 'title']);
  const gus = as(await loginRep(server, 'gus', 'gus-pass-12'));
  const hal = as(await loginRep(server, 'hal', 'hal-pass-12'));
  assert.equal((await gus.get('/api/rep/canned')).body.messages.map((m: { title: string }) => m.title), ['Greeting', 'Team hint']);
  assert.equal((await hal.get('/api/rep/canned')).body.messages.map((m: { title: string }) => m.title), ['Greeting']);
  const changed = await a.send('PUT', `/api/admin/canned/${g.body.message.id}`, { title: 'Greeting', text: 'Hi there!' });
  assert.is(changed.body.message.text, 'Hi there!');
  assert.is((await a.send('DELETE', `/api/admin/canned/${t.body.message.id}`)).status, 200);
  assert.equal((await gus.get('/api/rep/canned')).body.messages.map((m: { text: string }) => m.text), ['Hi there!']);
  assert.is((await hal.send('POST', '/api/admin/canned', { title: 'x', text: 'y' })).status, 403);
  assert.is((await a.send('DELETE', `/api/admin/canned/${t.body.message.id}`)).status, 404);
  const kinds = (await a.get('/api/admin/audit?kind=canned')).body.entries.map((e: { kind: string }) => e.kind);
  assert.equal(kinds, ['canned.deleted', 'canned.changed', 'canned.created', 'canned.created']);
});

test('a logged-in rep\'s console is told when canned messages change, and fetches its new list', async () => {
  const a = as(admin);
  const team = await createTeam(server, admin, 'Push Team');
  const id = await createRep(server, admin, { username: 'ida', password: 'ida-pass-12', name: 'Ida' });
  const cookie = await loginRep(server, 'ida', 'ida-pass-12');
  const ida = wsClient(server, 'rep', '', { cookie });
  await ida.ready;
  const pings = () => ida.messages.filter((m) => m.t === 'canned.changed').length;
  const made = await a.send('POST', '/api/admin/canned', { title: 'Push team note', text: 'For the push team.', teamId: team });
  await until(() => pings() === 1, 3000, 'canned.changed after a new message');
  assert.not.ok((await as(cookie).get('/api/rep/canned')).body.messages.some((m: { id: string }) => m.id === made.body.message.id), 'not in her team yet');
  // Joining the team changes which messages she gets: told too.
  // Only the teams: this PATCH once failed (an empty SET in SQL).
  const joined = await a.send('PATCH', `/api/admin/reps/${id}`, { teamIds: [team] });
  assert.is(joined.status, 200, JSON.stringify(joined.body));
  await until(() => pings() === 2, 3000, 'canned.changed after a team change');
  assert.ok((await as(cookie).get('/api/rep/canned')).body.messages.some((m: { id: string }) => m.id === made.body.message.id));
  await a.send('DELETE', `/api/admin/canned/${made.body.message.id}`);
  await until(() => pings() === 3, 3000, 'canned.changed after a delete');
  ida.close();
});

test.run();
