// TLS from a configured certificate and key: HTTPS and wss: on the same port, Secure cookie.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { decode, encode, PROTOCOL_VERSION } from '../../protocol/index.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let certDir: string;
test.before(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'bridge-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore' });
  server = await startServer({ config: { agreement: null, tls: { cert: join(certDir, 'cert.pem'), key: join(certDir, 'key.pem') } } });
});
test.after(async () => {
  await server.stop();
  rmSync(certDir, { recursive: true, force: true });
});

function https(method: string, path: string, body?: object): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(server.url + path, { method, rejectUnauthorized: false, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

test('https and wss work; the login cookie is Secure', async () => {
  assert.ok(server.url.startsWith('https://'));
  const h = await https('GET', '/healthz');
  assert.is(h.status, 200);
  const login = await https('POST', '/api/rep/login', { username: 'admin', password: server.adminPassword });
  assert.is(login.status, 200);
  const cookie = String((login.headers['set-cookie'] as string[])[0]);
  assert.match(cookie, /Secure/);
  const ws = new WebSocket(`${server.wsUrl}/ws/rep`, { rejectUnauthorized: false, headers: { cookie: cookie.split(';')[0], origin: server.url } });
  const welcome = await new Promise<string>((resolve, reject) => {
    ws.on('open', () => ws.send(encode({ t: 'hello', v: PROTOCOL_VERSION, role: 'rep', credential: '' })));
    ws.on('message', (d) => { const r = decode(new Uint8Array(d as Buffer)); if (r.ok) resolve(r.msg.t); });
    ws.on('error', reject);
  });
  assert.is(welcome, 'welcome');
  ws.close();
});

test.run();
