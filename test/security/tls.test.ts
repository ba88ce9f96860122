// TLS (docs/ARCHITECTURE.md "The server decides everything else"): with --tls-cert and --tls-key the server speaks https and wss only, with a
// self-signed certificate made by openssl for 127.0.0.1; clients that trust it get a working
// session, clients that don't are refused by the handshake, and the login cookie is Secure.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { Connection, newClientId, type SocketLike } from '../../protocol/index.ts';
import { nodeEntry } from '../helpers/bundles.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bridge-tls-'));
const password = `tls-${randomBytes(6).toString('hex')}`;
let proc: ChildProcess;
let url = '';
let ca: Buffer;

function server(args: string[]): { proc: ChildProcess; out: () => string; exited: Promise<number | null> } {
  let out = '';
  const p = spawn(process.execPath, [...nodeEntry('server'), '--port', '0', '--data-dir', join(dir, 'data'), ...args], {
    cwd: root, env: { ...process.env, BRIDGE_SKIP_BUILD: '1', BRIDGE_ADMIN_PASSWORD: password }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  p.stdout!.on('data', (d) => (out += d));
  p.stderr!.on('data', (d) => (out += d));
  return { proc: p, out: () => out, exited: new Promise((r) => p.once('exit', (c) => r(c))) };
}

function fetchTls(path: string, opts: { method?: string; body?: unknown; headers?: Record<string, string>; trust?: boolean } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  return new Promise((resolve, reject) => {
    const data = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = httpsRequest(url + path, {
      method: opts.method ?? 'GET', ...(opts.trust === false ? {} : { ca }),
      headers: { ...(data ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => { let b: unknown = text; try { b = JSON.parse(text); } catch { /* text */ } resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b }); });
    });
    req.on('error', reject);
    req.end(data);
  });
}

test.before(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  ca = readFileSync(join(dir, 'cert.pem'));
  const s = server(['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')]);
  proc = s.proc;
  const end = Date.now() + 30_000;
  while (!/Bridge server listening on (\S+)/.test(s.out())) {
    if (Date.now() > end || proc.exitCode !== null) throw new Error(`TLS server did not start:\n${s.out()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  url = /Bridge server listening on (\S+)/.exec(s.out())![1];
});
test.after(async () => {
  proc?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('serves https with the configured certificate', async () => {
  assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const r = await fetchTls('/healthz');
  assert.is(r.status, 200);
  assert.is(r.body.ok, true);
  // Over TLS browsers are told to stay on https (HSTS); plain-HTTP servers don't send it.
  assert.match(String(r.headers['strict-transport-security']), /^max-age=\d{7,}/);
  assert.match(String((await fetchTls('/')).headers['strict-transport-security']), /^max-age=/);
});

test('a client that doesn\'t trust the certificate is refused by the handshake; plain HTTP gets no answer', async () => {
  const err = await fetchTls('/healthz', { trust: false }).then(() => null, (e: Error & { code?: string }) => e);
  assert.ok(err, 'an untrusted self-signed certificate must fail verification');
  assert.match(String(err!.code ?? err!.message), /SELF_SIGNED|self.signed|UNABLE_TO_VERIFY/i);
  const plain = await new Promise<number | string>((resolve) => {
    const req = httpRequest(url.replace('https:', 'http:') + '/healthz', (res) => resolve(res.statusCode ?? 0));
    req.on('error', (e) => resolve((e as Error & { code?: string }).code ?? 'error'));
    req.setTimeout(5000, () => { req.destroy(); resolve('timeout'); });
    req.end();
  });
  assert.is.not(plain, 200, 'plain HTTP must not be served on the TLS port');
});

test('the login cookie is Secure over TLS (and HttpOnly, SameSite=Strict)', async () => {
  const r = await fetchTls('/api/rep/login', { method: 'POST', body: { username: 'admin', password } });
  assert.is(r.status, 200);
  const set = String(r.headers['set-cookie']);
  assert.match(set, /;\s*Secure/i);
  assert.match(set, /HttpOnly/i);
  assert.match(set, /SameSite=Strict/i);
});

test('a whole session over wss: customer and rep connect, chat is acked and delivered', async () => {
  const login = await fetchTls('/api/rep/login', { method: 'POST', body: { username: 'admin', password } });
  const cookie = /bridge_rep=[^;]+/.exec(String(login.headers['set-cookie']))![0];
  const key = await fetchTls('/api/session-keys', { method: 'POST', body: {}, headers: { cookie } });
  const join_ = await fetchTls('/api/sessions/join', { method: 'POST', body: { key: key.body.key, name: 'TLS Customer' } });
  assert.is(join_.status, 200);
  const wss = url.replace('https:', 'wss:');
  const open = (role: 'customer' | 'rep', credential: string, headers: Record<string, string>, onMessage: (m: any) => void) => new Promise<Connection>((resolve, reject) => {
    const conn = new Connection({
      url: `${wss}/ws/${role}`, role, credential, backoffMs: [100],
      createSocket: (u) => new WebSocket(u, { ca, headers }) as unknown as SocketLike,
      onWelcome: () => resolve(conn), onMessage,
      onStatus: (st, e) => { if (st === 'closed') reject(new Error(e?.message ?? 'closed')); },
    });
  });
  const repGot: any[] = [];
  const customer = await open('customer', join_.body.token, {}, () => {});
  const rep = await open('rep', '', { cookie, origin: url }, (m) => repGot.push(m));
  try {
    rep.send({ t: 'accept', sessionId: key.body.sessionId });
    const id = newClientId();
    const seq = await customer.sendReliable({ t: 'chat', sessionId: key.body.sessionId, id, text: 'over TLS' });
    assert.ok(seq > 0);
    const end = Date.now() + 10_000;
    while (!repGot.some((m) => m.t === 'event' && m.id === id) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    assert.ok(repGot.some((m) => m.t === 'event' && m.id === id), 'the rep got the line');
  } finally {
    customer.close();
    rep.close();
  }
  // The rep socket's Origin must be the https origin, not the http one.
  const status = await new Promise<number>((resolve) => {
    const ws = new WebSocket(`${wss}/ws/rep`, { ca, headers: { cookie, origin: url.replace('https:', 'http:') } });
    ws.on('open', () => { ws.close(); resolve(101); });
    ws.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => {});
  });
  assert.is(status, 403);
});

test('--tls-cert without --tls-key, or an unreadable certificate, stops the server with a clear message', async () => {
  const half = server(['--tls-cert', join(dir, 'cert.pem')]);
  assert.is(await half.exited, 2);
  assert.match(half.out(), /--tls-cert and --tls-key go together/);
  const missing = server(['--tls-cert', join(dir, 'nope.pem'), '--tls-key', join(dir, 'key.pem')]);
  assert.is.not(await missing.exited, 0);
  assert.match(missing.out(), /nope\.pem/);
});

test.run();
