// Site settings in the store (docs/ARCHITECTURE.md, "Administration"): seeded from the config on
// first start, refused per field with the config's own schemas, applied to the next session at
// once (its welcome, the portal), and kept over a changed config file after a restart.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { api, createKey, createRep, joinSession, loginRep, startServer, until, wsClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let admin: string;
test.before(async () => {
  server = await startServer({ config: { companyName: 'Seeded Co', agreement: { text: 'Seeded agreement', timeoutSec: 60 } } });
  admin = await loginRep(server);
});
test.after(async () => {
  await server.stop();
});

const put = (body: unknown, cookie = admin) => api(server, 'PUT', '/api/admin/settings', body, { cookie });

test('the config seeds the settings; only administrators read or change them', async () => {
  const r = await api(server, 'GET', '/api/admin/settings', undefined, { cookie: admin });
  assert.is(r.status, 200);
  assert.is(r.body.settings.companyName, 'Seeded Co');
  assert.equal(r.body.settings.agreement, { text: 'Seeded agreement', timeoutSec: 60 });
  assert.is(r.body.settings.portalMessage, '');
  assert.is((await api(server, 'GET', '/api/admin/settings')).status, 401);
  await createRep(server, admin, { username: 'plain', password: 'plain-pass-1', name: 'Plain Rep' });
  const plain = await loginRep(server, 'plain', 'plain-pass-1');
  const refused = await put({ companyName: 'x' }, plain);
  assert.is(refused.status, 403);
  assert.is(refused.body.error.code, 'forbidden');
});

test('prepared notices: administrators write them, every rep reads them for the Notice tool', async () => {
  const plain = await loginRep(server, 'plain', 'plain-pass-1');
  assert.equal((await api(server, 'GET', '/api/rep/notices', undefined, { cookie: plain })).body, { notices: [] });
  assert.is((await put({ repNotices: ['Maintenance tonight from 22:00.', 'Please restart your computer now.'] })).status, 200);
  assert.equal((await api(server, 'GET', '/api/rep/notices', undefined, { cookie: plain })).body.notices, ['Maintenance tonight from 22:00.', 'Please restart your computer now.']);
  assert.is((await api(server, 'GET', '/api/rep/notices')).status, 401);
  const tooMany = await put({ repNotices: Array.from({ length: 51 }, (_, i) => `n${i}`) });
  assert.is(tooMany.status, 400);
  assert.is(tooMany.body.error.code, 'invalid');
});

test('every refused field is named by its path, and nothing is stored', async () => {
  const r = await put({
    companyName: 'Not stored',
    agreement: { text: 'ok', timeoutSec: 0 },
    surveys: { customer: [{ id: 'q', text: 'Q?', type: 'stars' }], rep: [] },
    sessionKeys: { validityMin: 90, maxValidityMin: 60, agentValiditySec: 300 },
    orphan: { timeoutSec: 60, redirectUrl: 'not a url' },
    bogus: true,
  });
  assert.is(r.status, 400);
  assert.is(r.body.error.code, 'invalid');
  const paths = r.body.error.fields.map((f: { path: string }) => f.path).sort();
  assert.equal(paths, ['agreement.timeoutSec', 'bogus', 'orphan.redirectUrl', 'sessionKeys.validityMin', 'surveys.customer.0.type']);
  assert.match(r.body.error.message, /5 settings were refused/);
  const now = await api(server, 'GET', '/api/admin/settings', undefined, { cookie: admin });
  assert.is(now.body.settings.companyName, 'Seeded Co', 'a refused update changes nothing');
});

test('a change applies to the next session at once: its welcome and the portal', async () => {
  const r = await put({ agreement: { text: 'New agreement text', timeoutSec: 90 }, companyName: 'Renamed Co', portalMessage: 'We are closed on Friday.', notices: ['Mind the gap'], watermark: false });
  assert.is(r.status, 200);
  assert.is(r.body.settings.agreement.text, 'New agreement text');
  const key = await createKey(server, admin);
  const { token } = await joinSession(server, key.key);
  const customer = wsClient(server, 'customer', token);
  const welcome = await customer.ready;
  assert.equal(welcome.customer!.agreement, { text: 'New agreement text', timeoutSec: 90 });
  assert.is(welcome.customer!.companyName, 'Renamed Co');
  assert.equal(welcome.customer!.notices, ['Mind the gap']);
  assert.is(welcome.customer!.watermark, false);
  const portal = await api(server, 'GET', '/api/portal');
  assert.is(portal.body.companyName, 'Renamed Co');
  assert.is(portal.body.message, 'We are closed on Friday.');
  customer.close();
});

test('a new rep survey reaches the next rep console; a smaller file limit the next welcome', async () => {
  const survey = [{ id: 'fixed', text: 'Fixed on the first call?', type: 'choice', choices: ['Yes', 'No'], required: true }];
  assert.is((await put({ surveys: { customer: [], rep: survey }, files: { maxBytes: 1000, maxPerSession: 3 } })).status, 200);
  const rep = wsClient(server, 'rep', '', { cookie: admin });
  const w = await rep.ready;
  assert.equal(w.rep!.survey, survey);
  assert.is(w.rep!.fileMaxBytes, 1000);
  rep.close();
});

test('after a restart the store wins over a changed config file, and says so', async () => {
  writeFileSync(join(server.dataDir, 'test-config.json'), JSON.stringify({ companyName: 'File Co', agreement: { text: 'Seeded agreement', timeoutSec: 60 } }));
  await server.restart();
  admin = await loginRep(server);
  const r = await api(server, 'GET', '/api/admin/settings', undefined, { cookie: admin });
  assert.is(r.body.settings.companyName, 'Renamed Co');
  assert.is(r.body.settings.agreement.text, 'New agreement text');
  await until(() => server.output().includes('configured companyName (config file or default) changed, but the stored setting wins'), 2000, 'the ignored-change line');
  assert.not.ok(server.output().includes('configured agreement'), 'an unchanged file key says nothing');
});

test.run();
