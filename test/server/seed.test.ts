// Reps and teams named in the config exist after start, with their passwords and teams, and
// survive a restart without duplicates; the admin password comes from BRIDGE_ADMIN_PASSWORD.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { api, loginRep, startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
test.before(async () => {
  server = await startServer({
    config: { companyName: 'ACME Help', teams: [{ name: 'Tier 1' }], reps: [{ username: 'riley', password: 'pw-riley-1', name: 'Riley R', teams: ['Tier 1', 'Tier 2'] }] },
    env: { BRIDGE_ADMIN_PASSWORD: 'admin-pass-123' },
  });
});
test.after(async () => {
  await server.stop();
});

test('seeded reps and teams, admin password from env', async () => {
  assert.is(server.adminPassword, 'admin-pass-123');
  const cookie = await loginRep(server, 'riley', 'pw-riley-1');
  const me = await api(server, 'GET', '/api/rep/me', undefined, { cookie });
  assert.is(me.body.rep.name, 'Riley R');
  assert.is(me.body.rep.isAdmin, false);
  assert.equal(me.body.rep.teams.map((t: { name: string }) => t.name).sort(), ['Tier 1', 'Tier 2']);
  const portal = await api(server, 'GET', '/api/portal');
  assert.is(portal.body.companyName, 'ACME Help');
  assert.equal(portal.body.teams.map((t: { name: string }) => t.name).sort(), ['Tier 1', 'Tier 2']);
  // a non-admin can't use the admin API
  assert.is((await api(server, 'POST', '/api/admin/teams', { name: 'x' }, { cookie })).status, 403);
  await server.restart();
  const admin = await loginRep(server, 'admin', 'admin-pass-123');
  const reps = await api(server, 'GET', '/api/admin/reps', undefined, { cookie: admin });
  assert.equal(reps.body.reps.map((r: { username: string }) => r.username).sort(), ['admin', 'riley']);
  assert.ok(!server.output().includes('Bridge admin user created'));
});

test.run();
