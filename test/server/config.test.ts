// Configuration: defaults, then file, then env, then flags; bad input is a clear error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULTS, loadConfig } from '../../server/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'bridge-config-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('defaults just work', () => {
  const { config, adminPassword } = loadConfig([], {});
  assert.is(config.port, 8080);
  assert.is(config.host, '127.0.0.1');
  assert.is(config.dataDir, resolve('./data'));
  assert.is(config.sessionKeys.validityMin, 10);
  assert.is(config.queueMessageIntervalSec, 60);
  assert.equal(config.orphan, { timeoutSec: 300, redirectUrl: null });
  assert.is(config.files.maxBytes, 100 * 1024 * 1024);
  assert.ok(config.agreement && config.agreement.timeoutSec === 120);
  assert.equal(config.surveys.customer.map((q) => q.type), ['rating', 'text']);
  assert.is(config.watermark, true);
  assert.is(config.keySessionsAskName, true, 'key and link sessions ask the customer for a name');
  assert.is(adminPassword, null);
  assert.equal(DEFAULTS.notices, []);
});

test('the store: SQLite unless a PostgreSQL URL is given (file or BRIDGE_DATABASE_URL); a bad URL is refused', () => {
  assert.equal(loadConfig([], {}).config.database, { url: null, poolSize: 1 });
  const file = join(dir, 'db.json');
  writeFileSync(file, JSON.stringify({ database: { url: 'postgres://file@db/bridge', poolSize: 4 } }));
  assert.equal(loadConfig(['--config', file], {}).config.database, { url: 'postgres://file@db/bridge', poolSize: 4 });
  const env = loadConfig(['--config', file], { BRIDGE_DATABASE_URL: 'postgresql://env@127.0.0.1:5432/bridge' }).config.database;
  assert.equal(env, { url: 'postgresql://env@127.0.0.1:5432/bridge', poolSize: 4 });
  assert.throws(() => loadConfig([], { BRIDGE_DATABASE_URL: 'mysql://x@y/z' }), /database\.url.*postgres:\/\//);
});

test('several nodes: off by default; BRIDGE_NATS_URL needs a shared PostgreSQL; a bad URL or node id is refused', () => {
  assert.equal(loadConfig([], {}).config.cluster, { natsUrl: null, nodeId: null, heartbeatMs: 1000, nodeExpiryMs: 5000 });
  const db = 'postgres://bridge@127.0.0.1:5432/bridge';
  assert.equal(loadConfig([], { BRIDGE_DATABASE_URL: db, BRIDGE_NATS_URL: 'nats://127.0.0.1:4222', BRIDGE_NODE_ID: 'node-1' }).config.cluster, { natsUrl: 'nats://127.0.0.1:4222', nodeId: 'node-1', heartbeatMs: 1000, nodeExpiryMs: 5000 });
  assert.throws(() => loadConfig([], { BRIDGE_NATS_URL: 'nats://127.0.0.1:4222' }), /needs PostgreSQL/);
  assert.throws(() => loadConfig([], { BRIDGE_DATABASE_URL: db, BRIDGE_NATS_URL: 'http://x' }), /nats:\/\//);
  assert.throws(() => loadConfig([], { BRIDGE_DATABASE_URL: db, BRIDGE_NATS_URL: 'nats://x:4222', BRIDGE_NODE_ID: 'a.b' }), /nodeId/);
});

test('file < env < flags, objects merge key by key', () => {
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ port: 1111, companyName: 'ACME', orphan: { timeoutSec: 5 }, teams: [{ name: 'T1' }] }));
  const a = loadConfig(['--config', file], {});
  assert.is(a.config.port, 1111);
  assert.is(a.config.companyName, 'ACME');
  assert.equal(a.config.orphan, { timeoutSec: 5, redirectUrl: null });
  const b = loadConfig(['--config', file], { PORT: '2222', BRIDGE_DATA_DIR: dir, BRIDGE_ADMIN_PASSWORD: 'pw' });
  assert.is(b.config.port, 2222);
  assert.is(b.config.dataDir, dir);
  assert.is(b.adminPassword, 'pw');
  const c = loadConfig(['--port', '0', '--data-dir', join(dir, 'x')], { PORT: '2222', BRIDGE_CONFIG: file });
  assert.is(c.config.port, 0);
  assert.is(c.config.companyName, 'ACME');
  assert.is(c.config.dataDir, join(dir, 'x'));
});

test('bad configuration is refused with the path of the problem', () => {
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ orphan: { timeoutSec: 'soon' } }));
  assert.throws(() => loadConfig(['--config', file], {}), /orphan\.timeoutSec/);
  writeFileSync(file, '{ not json');
  assert.throws(() => loadConfig(['--config', file], {}), /cannot read config file/);
  assert.throws(() => loadConfig(['--port', 'x'], {}), /port/);
  assert.throws(() => loadConfig(['--tls-cert', 'a'], {}), /go together/);
  assert.throws(() => loadConfig(['--bogus'], {}), /bogus/);
  writeFileSync(file, JSON.stringify({ trustProxy: ['10.0.0.0/8', 'proxy.example.com'] }));
  assert.throws(() => loadConfig(['--config', file], {}), /trustProxy.*addresses or CIDRs/);
});

test('abuse limits have defaults; trusted proxies are addresses, CIDRs or a hop count', () => {
  const { config } = loadConfig([], {});
  assert.equal(config.rateLimit, { joinPerMin: 60, loginPerMin: 30, messageBurst: 20, messagesPerMin: 60 });
  assert.equal(config.limits, { sessionTranscriptBytes: 4 * 1024 * 1024, surveyBytes: 16 * 1024, connectionsPerAddress: 64, handshakeSec: 10 });
  assert.is(config.http.requestSec, 30);
  assert.is(config.trustProxy, false);
  const file = join(dir, 'proxy.json');
  for (const trustProxy of [['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'], 2]) {
    writeFileSync(file, JSON.stringify({ trustProxy, rateLimit: { messagesPerMin: 30 } }));
    const c = loadConfig(['--config', file], {}).config;
    assert.equal(c.trustProxy, trustProxy);
    assert.is(c.rateLimit.messageBurst, 20, 'the other limits keep their defaults');
  }
});

test.run();
