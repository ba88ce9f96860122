// Guessing session keys and passwords (docs/ARCHITECTURE.md "The server decides everything else"): attempts are limited per client address,
// a spoofed X-Forwarded-For doesn't buy a fresh budget, another address has its own budget, and
// the key space makes a brute force hopeless within a key's validity (arithmetic in docs/SECURITY.md).
import { request } from 'node:http';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KEY_ALPHABET, KEY_LENGTH } from '../../protocol/index.ts';
import { DEFAULTS } from '../../server/config.ts';
import { api, createKey, loginRep, startServer, type TestServer } from '../helpers/server.ts';

const LIMIT = 8;
let server: TestServer;

test.before(async () => {
  server = await startServer({ config: { agreement: null, rateLimit: { joinPerMin: LIMIT, loginPerMin: LIMIT } } });
});
test.after(async () => {
  await server?.stop();
});

/** POST JSON from a chosen local address (every 127.x.y.z is loopback on Linux). */
function postFrom(localAddress: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port: server.port, localAddress, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => { let b: unknown = text; try { b = JSON.parse(text); } catch { /* text */ } resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b }); });
    });
    req.on('error', reject);
    req.end(data);
  });
}

test('the key space against the attempts allowed in a key\'s validity', () => {
  const space = KEY_ALPHABET.length ** KEY_LENGTH;
  assert.is(KEY_ALPHABET.length, 25);
  assert.is(space, 6_103_515_625);
  const perAddress = DEFAULTS.rateLimit.joinPerMin * DEFAULTS.sessionKeys.validityMin;
  assert.is(perAddress, 600);
  // Even with 1,000 keys live at once, one address finds any of them with probability < 1e-4.
  assert.ok((perAddress * 1000) / space < 1e-4);
  // A link's access key is 128 bits: out of reach at any rate.
});

test('key guesses are limited per address; X-Forwarded-For does not reset the budget; another address has its own', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT + 3; i++) statuses.push((await postFrom('127.0.0.1', '/api/sessions/join', { key: 'AAAAAAA' })).status);
  assert.equal(statuses.slice(0, LIMIT), Array(LIMIT).fill(404), 'unknown key answers 404 while within the budget');
  assert.equal(statuses.slice(LIMIT), [429, 429, 429], 'then 429');
  const limited = await postFrom('127.0.0.1', '/api/sessions/join', { key: 'AAAAAAA' });
  assert.is(limited.body.error.code, 'rate_limited');
  assert.ok(limited.headers['retry-after'] !== undefined, 'Retry-After tells the client when');
  // Access-key guesses spend the same budget.
  assert.is((await postFrom('127.0.0.1', '/api/sessions/join', { accessKey: 'x'.repeat(22) })).status, 429);
  // Spoofed proxy headers are ignored (trustProxy is off).
  const spoofs: Record<string, string>[] = [{ 'x-forwarded-for': '203.0.113.9' }, { 'x-real-ip': '203.0.113.10' }, { forwarded: 'for=203.0.113.11' }];
  for (const h of spoofs) {
    assert.is((await postFrom('127.0.0.1', '/api/sessions/join', { key: 'AAAAAAA' }, h)).status, 429, JSON.stringify(h));
  }
  // A different client address is a different budget.
  assert.is((await postFrom('127.0.0.2', '/api/sessions/join', { key: 'AAAAAAA' })).status, 404);
  // And while limited, even the right key is refused: guessing can't be mixed with real joins.
  const cookie = await loginRep(server);
  const k = await createKey(server, cookie);
  assert.is((await postFrom('127.0.0.1', '/api/sessions/join', { key: k.key })).status, 429);
  assert.is((await postFrom('127.0.0.3', '/api/sessions/join', { key: k.key })).status, 200);
});

test('every route that tells a valid key from an invalid one shares the one budget per address', async () => {
  const get = (localAddress: string, path: string) => new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, localAddress, path }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.end();
  });
  // Half the budget on join, the rest on the download routes: then all of them are closed.
  const at = '127.0.0.6';
  for (let i = 0; i < LIMIT / 2; i++) assert.is((await postFrom(at, '/api/sessions/join', { key: 'CCCCCCC' })).status, 404);
  for (let i = 0; i < LIMIT / 4; i++) assert.is(await get(at, '/download/CCCCCCC'), 404);
  for (let i = 0; i < LIMIT / 4; i++) assert.is(await get(at, '/download/CCCCCCC/linux-x64'), 404);
  assert.is(await get(at, '/download/CCCCCCC'), 429);
  assert.is(await get(at, '/download/CCCCCCC/linux-x64'), 429);
  assert.is((await postFrom(at, '/api/sessions/join', { key: 'CCCCCCC' })).status, 429);
  assert.is((await postFrom(at, '/api/portal/submit', { name: 'x' })).status, 429);
  // Logins count separately (a rep locked out of guessing keys can still log in, and vice versa).
  assert.is((await postFrom(at, '/api/rep/login', { username: 'admin', password: 'wrong' })).status, 401);
});

test('the portal submit and rep password guessing are limited too', async () => {
  const portal: number[] = [];
  for (let i = 0; i < LIMIT + 1; i++) portal.push((await postFrom('127.0.0.4', '/api/portal/submit', { name: `Guest ${i}` })).status);
  assert.is(portal.at(-1), 429);
  const login: number[] = [];
  for (let i = 0; i < LIMIT + 1; i++) login.push((await postFrom('127.0.0.5', '/api/rep/login', { username: 'admin', password: `guess-${i}` })).status);
  assert.equal(login.slice(0, LIMIT - 1).every((s) => s === 401), true);
  assert.is(login.at(-1), 429);
  // Even the right password is refused from that address until the window passes.
  assert.is((await postFrom('127.0.0.5', '/api/rep/login', { username: 'admin', password: server.adminPassword })).status, 429);
  assert.is((await api(server, 'POST', '/api/rep/login', { username: 'admin', password: server.adminPassword })).status, 200);
  // Routes outside a group count alone: the spent login budget isn't the password route's.
  assert.is((await postFrom('127.0.0.5', '/api/rep/password', { current: 'x', next: 'y' })).status, 401);
});

test.run();
