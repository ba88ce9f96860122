// The agent's loopback window server: token on every request and socket, Host and Origin checks
// (no DNS rebinding, no cross-site requests), validated consent bodies, static files only.
import { request } from 'node:http';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { decode, encode, PROTOCOL_VERSION, type Message } from '../../protocol/index.ts';
import { WindowServer } from '../../agent/window/host/server.ts';
import type { ConsentRequest } from '../../agent/window/local-api.ts';

const consents: ConsentRequest[] = [];
let closes = 0;
const diagAnswers: Array<{ requestId: string; allow: boolean }> = [];
const rebootAnswers: Array<{ requestId: string; answer: string }> = [];
const got: Message[] = [];
const server = new WindowServer(
  { has: (n) => n === 'index.html' || n === 'app.js', read: (n) => Buffer.from(`file ${n}`) },
  {
    info: () => ({ sessionId: 's1', shortcut: 'Ctrl+Shift+E' }),
    state: () => ({ grant: 'none', epoch: 0, apps: null, pausedUntil: 0, reps: [] }),
    windows: async () => [],
    consent: (r) => consents.push(r),
    diagnostics: () => ({ requestId: 'd1', repName: 'Ana', sections: [{ id: 'os', title: 'Operating system and version' }] }),
    answerDiagnostics: (a) => { diagAnswers.push(a); return a.requestId === 'd1'; },
    reboot: () => ({ requestId: 'r1', repName: 'Ana' }),
    answerReboot: (a) => { rebootAnswers.push(a); return a.requestId === 'r1'; },
    close: () => { closes++; },
    transcript: async () => 'transcript',
    message: (m, c) => { got.push(m); if (m.t === 'ping') c.send({ t: 'pong', ts: m.ts }); },
    clientsChanged: () => {},
  },
);

function raw(path: string, opts: { method?: string; host?: string; origin?: string; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: opts.host ?? `127.0.0.1:${server.port}` };
    if (opts.origin) headers.origin = opts.origin;
    if (opts.body) headers['content-type'] = 'application/json';
    const req = request({ host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

function socket(path: string, origin: string | null, host?: string): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers: { ...(origin ? { origin } : {}), ...(host ? { host } : {}) } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

const me = () => `http://127.0.0.1:${server.port}`;

test.before(() => server.listen());
test.after(() => server.close());

test('listens on loopback with a 128-bit token in the URL', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{22}\/$/);
});

test('the right token serves the window; a wrong or missing token does not', async () => {
  assert.equal(await raw(`/${server.token}/`), { status: 200, body: 'file index.html' });
  assert.is((await raw(`/${server.token}/info`)).status, 200);
  assert.is((await raw('/')).status, 404);
  assert.is((await raw(`/${server.token.slice(0, -1)}x/`)).status, 404);
  assert.is((await raw('/info')).status, 404);
  assert.is((await raw(`/${server.token}/../etc/passwd`)).status, 404);
  assert.is((await raw(`/${server.token}/secret.txt`)).status, 404);
});

test('a foreign Host (DNS rebinding) is refused even with the token', async () => {
  assert.is((await raw(`/${server.token}/`, { host: `evil.example:${server.port}` })).status, 403);
  assert.is((await raw(`/${server.token}/`, { host: '127.0.0.1:1' })).status, 403);
});

test('consent needs our Origin and a valid body', async () => {
  const body = JSON.stringify({ grant: 'control' });
  assert.is((await raw(`/${server.token}/consent`, { method: 'POST', body })).status, 403, 'no Origin');
  assert.is((await raw(`/${server.token}/consent`, { method: 'POST', body, origin: 'https://evil.example' })).status, 403, 'foreign Origin');
  assert.is((await raw(`/${server.token}/consent`, { method: 'POST', body: '{"grant":"root"}', origin: me() })).status, 400);
  assert.is(consents.length, 0);
  assert.is((await raw(`/${server.token}/consent`, { method: 'POST', body, origin: me() })).status, 200);
  assert.equal(consents, [{ grant: 'control' }]);
});

test('the diagnostics question is read with the token; the answer needs our Origin and an open request', async () => {
  const ask = await raw(`/${server.token}/diagnostics`);
  assert.is(ask.status, 200);
  assert.is(JSON.parse(ask.body).sections[0].title, 'Operating system and version');
  const body = JSON.stringify({ requestId: 'd1', allow: true });
  assert.is((await raw(`/${server.token}/diagnostics`, { method: 'POST', body })).status, 403, 'no Origin');
  assert.is((await raw(`/${server.token}/diagnostics`, { method: 'POST', body, origin: 'https://evil.example' })).status, 403, 'foreign Origin');
  assert.is((await raw(`/${server.token}/diagnostics`, { method: 'POST', body: '{"requestId":"d1","allow":"yes"}', origin: me() })).status, 400);
  assert.is(diagAnswers.length, 0);
  assert.is((await raw(`/${server.token}/diagnostics`, { method: 'POST', body: JSON.stringify({ requestId: 'old', allow: true }), origin: me() })).status, 409, 'not the open request');
  assert.is((await raw(`/${server.token}/diagnostics`, { method: 'POST', body, origin: me() })).status, 200);
  assert.equal(diagAnswers.at(-1), { requestId: 'd1', allow: true });
});

test('the restart question is read with the token; the answer needs our Origin, a known answer and an open request', async () => {
  assert.equal(JSON.parse((await raw(`/${server.token}/reboot`)).body), { requestId: 'r1', repName: 'Ana' });
  const body = JSON.stringify({ requestId: 'r1', answer: 'logout' });
  assert.is((await raw(`/${server.token}/reboot`, { method: 'POST', body })).status, 403, 'no Origin');
  assert.is((await raw(`/${server.token}/reboot`, { method: 'POST', body, origin: 'https://evil.example' })).status, 403, 'foreign Origin');
  assert.is((await raw(`/${server.token}/reboot`, { method: 'POST', body: '{"requestId":"r1","answer":"shutdown"}', origin: me() })).status, 400);
  assert.is(rebootAnswers.length, 0);
  assert.is((await raw(`/${server.token}/reboot`, { method: 'POST', body: JSON.stringify({ requestId: 'old', answer: 'restart' }), origin: me() })).status, 409, 'not the open request');
  assert.is((await raw(`/${server.token}/reboot`, { method: 'POST', body, origin: me() })).status, 200);
  assert.equal(rebootAnswers.at(-1), { requestId: 'r1', answer: 'logout' });
});

test('Close needs our Origin and an empty body', async () => {
  assert.is((await raw(`/${server.token}/close`, { method: 'POST', body: '{}' })).status, 403, 'no Origin');
  assert.is((await raw(`/${server.token}/close`, { method: 'POST', body: '{}', origin: 'https://evil.example' })).status, 403, 'foreign Origin');
  assert.is(closes, 0);
  assert.is((await raw(`/${server.token}/close`, { method: 'POST', body: '{}', origin: me() })).status, 200);
  assert.is(closes, 1);
});

test('the WebSocket needs the token and our Origin; messages are validated', async () => {
  assert.is(await socket(`/${server.token}/ws`, null), 403);
  assert.is(await socket(`/${server.token}/ws`, 'https://evil.example'), 403);
  assert.is(await socket('/wrong/ws', me()), 403);
  const ws = (await socket(`/${server.token}/ws`, me())) as WebSocket;
  assert.ok(ws instanceof WebSocket);
  const replies: Message[] = [];
  ws.on('message', (d) => { const r = decode(new Uint8Array(d as Buffer)); if (r.ok) replies.push(r.msg); });
  ws.send(Buffer.from([0xc1, 0x00])); // not msgpack
  ws.send(encode({ t: 'ping', ts: 7 }));
  // Wait for both replies rather than a fixed time (a loaded machine can take longer).
  for (const deadline = Date.now() + 10_000; replies.length < 2 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
  assert.equal(replies.map((m) => m.t), ['error', 'pong']);
  assert.equal(got.map((m) => m.t), ['ping']);
  ws.send(encode({ t: 'hello', v: PROTOCOL_VERSION, role: 'customer', credential: 'x' }));
  ws.close();
});

test.run();
