// Click-to-chat on the wire (docs/ARCHITECTURE.md, "Click-to-chat"): the embed endpoints answer
// only the listed sites' Origins (and nobody by default), availability follows the reps, the
// start and message endpoints make sessions that reach the rep's queue with the page's fields, a
// help desk's signature is checked (good, tampered, expired, replayed, wrong account), bodies are
// schema- and size-checked, and the loader is served small.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Msg, SessionInfo } from '../../protocol/index.ts';
import { apiCredentials } from '../helpers/api-client.ts';
import { api, joinSession, loginRep, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

const SITE = 'https://shop.example.com';
let server: TestServer;
let off: TestServer;
let admin: string;
let desk: { clientId: string; secret: string };
let reportingOnly: { clientId: string; secret: string };

test.before(async () => {
  [server, off] = await Promise.all([
    startServer({ config: { agreement: null, orphan: { timeoutSec: 1 }, embed: { allowedOrigins: [SITE, 'http://localhost:1'], pollSec: 2 } } }),
    startServer(),
  ]);
  admin = await loginRep(server);
  desk = await apiCredentials(server, admin, ['command']);
  reportingOnly = await apiCredentials(server, admin, ['reporting']);
});
test.after(async () => {
  await Promise.all([server.stop(), off.stop()]);
});

const site = (origin = SITE) => ({ origin });
const embed = (method: string, path: string, body?: unknown, origin: string | null = SITE) => api(server, method, path, body, origin ? { origin } : {});

interface Fields { name?: string; email?: string; externalKey?: string; company?: string; issue?: string }
/** What a help desk's server does (docs/INTEGRATIONS.md, "Click-to-chat"), written from the recipe. */
function sign(account: { clientId: string; secret: string }, f: Fields, opts: { expires?: number; nonce?: string } = {}) {
  const expires = opts.expires ?? Math.floor(Date.now() / 1000) + 600;
  const nonce = opts.nonce ?? randomBytes(12).toString('base64url');
  const canonical = ['bridge-prefill-v1', account.clientId, String(expires), nonce, f.externalKey ?? '', f.name ?? '', f.email ?? ''].join('\n');
  const key = createHash('sha256').update(account.secret).digest();
  return { clientId: account.clientId, expires, nonce, signature: createHmac('sha256', key).update(canonical).digest('hex') };
}

async function repClient(): Promise<TestClient> {
  const rep = wsClient(server, 'rep', '', { cookie: admin });
  await rep.ready;
  return rep;
}
function queued(rep: TestClient, sessionId: string, pred: (s: SessionInfo) => boolean = () => true): Promise<SessionInfo> {
  const find = (m: Msg<'rep.queues'>) => m.queues.flatMap((q) => q.sessions).find((s) => s.id === sessionId && pred(s));
  return rep.waitForQueues((m) => !!find(m as Msg<'rep.queues'>)).then((m) => find(m)!);
}

test('off by default: no allowed origins refuses every site, and nothing frames the chat', async () => {
  const r = await api(off, 'GET', '/api/embed/availability', undefined, site());
  assert.is(r.status, 403);
  assert.is(r.body.error.code, 'forbidden');
  assert.match(r.body.error.message, /embed\.allowedOrigins/);
  const page = await fetch(`${off.url}/embed/chat`);
  assert.match(page.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
  assert.is(page.headers.get('x-frame-options'), 'DENY');
});

test('the Origin decides: listed sites get CORS answers, others and Origin-less requests a clear 403', async () => {
  const ok = await embed('GET', '/api/embed/availability');
  assert.is(ok.status, 200);
  assert.is(ok.headers.get('access-control-allow-origin'), SITE);
  assert.match(ok.headers.get('vary') ?? '', /Origin/);
  const other = await embed('GET', '/api/embed/availability', undefined, 'https://evil.example');
  assert.is(other.status, 403);
  assert.match(other.body.error.message, /https:\/\/evil\.example may not embed this chat/);
  const none = await embed('GET', '/api/embed/availability', undefined, null);
  assert.is(none.status, 403);
  assert.match(none.body.error.message, /no Origin/);
  for (const path of ['/api/embed/start', '/api/embed/message']) {
    const refused = await embed('POST', path, { fields: { name: 'Eve' }, message: 'hi' }, 'https://evil.example');
    assert.is(refused.status, 403, path);
  }
  // Preflight of the POSTs: allowed for listed sites (cached), refused for others.
  const pre = await fetch(`${server.url}/api/embed/start`, { method: 'OPTIONS', headers: { origin: SITE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
  assert.is(pre.status, 204);
  assert.is(pre.headers.get('access-control-allow-origin'), SITE);
  assert.match(pre.headers.get('access-control-allow-headers')!, /content-type/);
  assert.ok(Number(pre.headers.get('access-control-max-age')) > 0);
  const preBad = await fetch(`${server.url}/api/embed/start`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
  assert.is(preBad.status, 403);
});

test('availability follows the reps: none, one signed in, away, gone; settings carry the defaults', async () => {
  const first = await embed('GET', '/api/embed/settings');
  assert.is(first.status, 200);
  assert.equal(first.body.availability, { available: false, reps: 0, waiting: 0, estimatedWaitSec: null, pollSec: 2 });
  assert.is(first.body.look.position, 'bottom-right');
  assert.is(first.body.offline.mode, 'form');
  const rep = await repClient();
  await until(async () => (await embed('GET', '/api/embed/availability')).body.available === true, 5000, 'a rep available');
  assert.is((await embed('GET', '/api/embed/availability')).body.reps, 1);
  rep.conn.send({ t: 'availability', status: 'away' });
  await until(async () => (await embed('GET', '/api/embed/availability')).body.available === false, 5000, 'away is not available');
  rep.conn.send({ t: 'availability', status: 'available' });
  await until(async () => (await embed('GET', '/api/embed/availability')).body.available === true, 5000, 'back');
  rep.close();
  await until(async () => (await embed('GET', '/api/embed/availability')).body.reps === 0, 5000, 'gone');
  assert.is((await embed('GET', '/api/embed/availability?queue=team:nope')).status, 404);
  const bad = await embed('GET', '/api/embed/availability?queue=rep:1');
  assert.is(bad.status, 400);
  assert.match(bad.body.error.message, /queue is "general" or "team:<team id>"/);
});

test('start: the page\'s fields make a pending session whose link the chat opens; the rep sees them unverified', async () => {
  const rep = await repClient();
  const r = await embed('POST', '/api/embed/start', { fields: { name: 'Dana Page', email: 'dana@example.com', company: 'Acme', issue: 'Printer', description: 'Jams', language: 'de' } });
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.verified, []);
  assert.match(r.body.url, new RegExp(`^${server.url}/s/[^/?]+\\?prefilled=1$`));
  assert.match(r.body.frameUrl, new RegExp(`^${server.url}/embed/s/[^/?]+\\?prefilled=1$`));
  const accessKey = /\/s\/([^?]+)/.exec(r.body.url)![1];
  const joined = await api(server, 'POST', '/api/sessions/join', { accessKey, role: 'customer' });
  assert.is(joined.status, 200, JSON.stringify(joined.body));
  const customer = wsClient(server, 'customer', joined.body.token);
  await customer.ready;
  const s = await queued(rep, r.body.sessionId);
  assert.is(s.customer.name, 'Dana Page');
  assert.is(s.customer.company, 'Acme');
  assert.is(s.email, 'dana@example.com');
  assert.equal(s.embed, { origin: SITE, verifiedBy: null, verified: [] });
  assert.is(s.externalKey, null);
  // An external key ties the session to a ticket: never taken from a page without a signature.
  const ext = await embed('POST', '/api/embed/start', { fields: { name: 'Eve', externalKey: 'RT#1' } });
  assert.is(ext.status, 400);
  assert.match(ext.body.error.message, /signs it/);
  customer.close();
  rep.close();
});

test('signed prefill: verified fields reach the rep; tampered, expired, replayed, too-long and wrong-account signatures are refused', async () => {
  const rep = await repClient();
  const f = { name: 'Henry Alder', email: 'henry@example.com', externalKey: 'RT#4711', company: 'Alder & Co' };
  const signed = sign(desk, f);
  const good = await embed('POST', '/api/embed/start', { fields: f, signed });
  assert.is(good.status, 200, JSON.stringify(good.body));
  assert.equal(good.body.verified, ['externalKey', 'name', 'email']);
  const accessKey = /\/s\/([^?]+)/.exec(good.body.url)![1];
  const joined = await api(server, 'POST', '/api/sessions/join', { accessKey, role: 'customer' });
  const customer = wsClient(server, 'customer', joined.body.token);
  await customer.ready;
  const s = await queued(rep, good.body.sessionId);
  assert.is(s.externalKey, 'RT#4711');
  assert.equal(s.embed, { origin: SITE, verifiedBy: 'Help desk', verified: ['externalKey', 'name', 'email'] });

  const replay = await embed('POST', '/api/embed/start', { fields: f, signed });
  assert.is(replay.status, 409);
  assert.is(replay.body.error.code, 'used');
  const tampered = await embed('POST', '/api/embed/start', { fields: { ...f, name: 'Mallory' }, signed: sign(desk, f) });
  assert.is(tampered.status, 401);
  assert.is(tampered.body.error.code, 'unauthorized');
  const badSig = await embed('POST', '/api/embed/start', { fields: f, signed: { ...sign(desk, f), signature: 'a'.repeat(64) } });
  assert.is(badSig.status, 401);
  const expired = await embed('POST', '/api/embed/start', { fields: f, signed: sign(desk, f, { expires: Math.floor(Date.now() / 1000) - 5 }) });
  assert.is(expired.status, 410);
  assert.is(expired.body.error.code, 'expired');
  const farAhead = await embed('POST', '/api/embed/start', { fields: f, signed: sign(desk, f, { expires: Math.floor(Date.now() / 1000) + 7200 }) });
  assert.is(farAhead.status, 400);
  assert.match(farAhead.body.error.message, /signatureMaxSec/);
  const noCommand = await embed('POST', '/api/embed/start', { fields: f, signed: sign(reportingOnly, f) });
  assert.is(noCommand.status, 401);
  const unknown = await embed('POST', '/api/embed/start', { fields: f, signed: sign({ clientId: 'bc_nobody', secret: 'x' }, f) });
  assert.is(unknown.status, 401);
  assert.is(unknown.body.error.message, noCommand.body.error.message, 'an unknown account reads like a bad signature');
  // A refused start spends no nonce: the same nonce signed right still works once.
  const nonce = randomBytes(12).toString('base64url');
  assert.is((await embed('POST', '/api/embed/start', { fields: { ...f, name: 'X' }, signed: sign(desk, f, { nonce }) })).status, 401);
  assert.is((await embed('POST', '/api/embed/start', { fields: f, signed: sign(desk, f, { nonce }) })).status, 200);
  customer.close();
  rep.close();
});

test('message: with nobody available the visitor\'s message waits in the queue as their first line, never orphaned', async () => {
  const r = await embed('POST', '/api/embed/message', { fields: { name: 'Olga Offline', email: 'olga@example.com', issue: 'Billing' }, message: 'Please call me back about invoice 12.' });
  assert.is(r.status, 200, JSON.stringify(r.body));
  await new Promise((res) => setTimeout(res, 2500)); // past orphan.timeoutSec (1 s)
  const rep = await repClient();
  const s = await queued(rep, r.body.sessionId);
  assert.is(s.state, 'queued');
  assert.is(s.customer.name, 'Olga Offline');
  assert.is(s.email, 'olga@example.com');
  rep.conn.send({ t: 'accept', sessionId: r.body.sessionId });
  const line = await rep.waitFor<Msg<'event'>>((m) => m.t === 'event' && m.sessionId === r.body.sessionId && m.body.kind === 'chat');
  assert.equal(line.body, { kind: 'chat', text: 'Please call me back about invoice 12.' });
  assert.is(line.from.role, 'customer');
  assert.is(line.from.name, 'Olga Offline');
  rep.close();
});

test('every body is schema- and size-checked with a clear error', async () => {
  const cases: [string, unknown, RegExp][] = [
    ['/api/embed/message', { fields: { name: 'A' }, message: '   ' }, /write a message/],
    ['/api/embed/message', { fields: { name: '' }, message: 'hi' }, /give your name/],
    ['/api/embed/message', { fields: { name: 'A', email: 'not-mail' }, message: 'hi' }, /e-mail/],
    ['/api/embed/start', { fields: { name: 'A\u001b[31m' } }, /fields\.name/],
    ['/api/embed/start', { fields: { description: 'x'.repeat(4001) } }, /fields\.description/],
    ['/api/embed/start', { fields: { language: 'english please' } }, /language tag/],
    ['/api/embed/start', { fields: {}, signed: { clientId: 'bc_x', expires: 1, nonce: 'short', signature: 'zz' } }, /nonce/],
    ['/api/embed/start', { fields: {}, queue: 'team:' }, /queue/],
  ];
  for (const [path, body, message] of cases) {
    const r = await embed('POST', path, body);
    assert.is(r.status, 400, `${path} ${JSON.stringify(body).slice(0, 60)}`);
    assert.is(r.body.error.code, 'invalid');
    assert.match(r.body.error.message, message);
  }
  const big = await embed('POST', '/api/embed/message', { fields: { name: 'A' }, message: 'x'.repeat(70_000) });
  assert.is(big.status, 413);
});

test('the loader is small and the framed chat may be framed by the listed sites only', async () => {
  const js = await fetch(`${server.url}/embed.js`);
  assert.is(js.status, 200);
  assert.match(js.headers.get('content-type')!, /javascript/);
  const bytes = Buffer.from(await js.arrayBuffer());
  const gz = gzipSync(bytes, { level: 9 }).length;
  console.log(`  embed.js: ${bytes.length} bytes, ${gz} bytes gzipped (target ≤ 8192)`);
  assert.ok(gz <= 8192, `embed.js is ${gz} bytes gzipped`);
  for (const path of ['/embed/chat', '/embed/s/abc?prefilled=1', '/embed/']) {
    const page = await fetch(server.url + path);
    assert.is(page.status, 200, path);
    assert.match(page.headers.get('content-security-policy')!, new RegExp(`frame-ancestors ${SITE} http://localhost:1(;|$)`), path);
    assert.is(page.headers.get('x-frame-options'), null, path);
  }
  const portal = await fetch(`${server.url}/chat`);
  assert.match(portal.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
  assert.is(portal.headers.get('x-frame-options'), 'DENY');
});

test.run();
