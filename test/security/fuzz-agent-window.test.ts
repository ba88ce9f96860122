// Property-based fuzzing of the agent's local window server (agent/window/host/server.ts, docs/ARCHITECTURE.md "Consent lives in the agent"):
// raw HTTP requests with random methods, paths (traversal, encodings, wrong tokens), Host and
// Origin headers and bodies, and random WebSocket messages. It never fails with a 500 or a throw,
// never serves a file outside its bundle, and only a request with the token, our Host, our Origin
// and a valid body reaches the consent handler — the one door to the customer's grant.
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { connect } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as v from 'valibot';
import WebSocket from 'ws';
import { decode, encode, Message, PROTOCOL_VERSION, type Message as MessageT } from '../../protocol/index.ts';
import { WindowServer } from '../../agent/window/host/server.ts';
import { ConsentRequest } from '../../agent/window/local-api.ts';

const consents: unknown[] = [];
let closes = 0;
const diagAnswers: Array<{ requestId: string; allow: boolean }> = [];
const rebootAnswers: Array<{ requestId: string; answer: string }> = [];
const messages: unknown[] = [];
const server = new WindowServer(
  { has: (n) => n === 'index.html' || n === 'app.js', read: (n) => Buffer.from(`asset ${n}`) },
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
    message: (m) => messages.push(m),
    clientsChanged: () => {},
  },
);
const packr = new Packr({ useRecords: true, moreTypes: false });

test.before(async () => {
  await server.listen();
});
test.after(async () => {
  await server.close();
});

/** One raw HTTP/1.1 request over a socket (nothing is normalised on the way); status and body. */
function raw(method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const s = connect(server.port, '127.0.0.1');
    let data = '';
    s.setTimeout(10_000, () => { s.destroy(); reject(new Error(`no answer to ${method} ${path}`)); });
    s.on('data', (d) => (data += d.toString('latin1')));
    s.on('error', () => {});
    s.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      resolve({ status: m ? Number(m[1]) : 0, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
    const head = Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' }).map(([k, v2]) => `${k}: ${v2}`).join('\r\n');
    s.end(`${method} ${path} HTTP/1.1\r\n${head}\r\n\r\n${body}`);
  });
}

const oneLine = (s: string) => s.replace(/[\r\n\u0000]/g, '').replace(/ /g, '%20');

test('random HTTP requests: no 500, no foreign file, consent only through the one right door', async () => {
  const own = `127.0.0.1:${server.port}`;
  const origin = `http://${own}`;
  const token = server.token;
  const pathArb = fc.oneof(
    fc.constantFrom('', 'index.html', 'app.js', 'consent', 'state', 'info', 'windows', 'transcript', 'ws', '../package.json', '..%2f..%2fetc%2fpasswd', '%2e%2e/%2e%2e/etc/passwd', '....//....//etc/passwd', 'app.js%00.png', 'index.html?x=../../', '/etc/passwd', 'static/../../server/main.ts'),
    fc.string({ maxLength: 60 }),
  );
  const tokenArb = fc.constantFrom(token, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), '', 'x'.repeat(22), `${token}x`, token.toLowerCase());
  const req = fc.record({
    method: fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'),
    tok: tokenArb,
    path: pathArb,
    host: fc.constantFrom(own, `localhost:${server.port}`, 'evil.example', `evil.example:${server.port}`, '', `127.0.0.1:${server.port + 1}`),
    origin: fc.constantFrom(undefined, origin, 'https://evil.example', 'null', `http://localhost:${server.port}`, `${origin}.evil.example`),
    body: fc.oneof(fc.constant(''), fc.string({ maxLength: 200 }), fc.jsonValue().map((j) => JSON.stringify(j)),
      fc.record({ grant: fc.constantFrom('none', 'view', 'control', 'admin', 1), windows: fc.oneof(fc.constant(null), fc.array(fc.integer(), { maxLength: 70 }), fc.constant('all')) }).map((j) => JSON.stringify(j))),
  });
  await fc.assert(fc.asyncProperty(req, async (r) => {
    const before = consents.length;
    const headers: Record<string, string> = { host: r.host, 'content-type': 'application/json' };
    if (r.origin) headers.origin = r.origin;
    const path = oneLine(`/${r.tok}/${r.path}`);
    const res = await raw(r.method, path, headers, r.method === 'GET' || r.method === 'HEAD' ? '' : r.body);
    assert.ok([200, 400, 403, 404, 405].includes(res.status), `${r.method} ${path} (host ${r.host}, origin ${r.origin}) → ${res.status}`);
    if (res.status === 200 && r.method === 'GET') assert.not.match(res.body, /root:|"name": "bridge"|import /, 'nothing outside the bundle is served');
    const reached = consents.length > before;
    const door = r.method === 'POST' && r.tok === token && r.path === 'consent' && (r.host === own || r.host === `localhost:${server.port}`)
      && (r.origin === origin || r.origin === `http://localhost:${server.port}`);
    if (reached) {
      assert.ok(door, `consent reached through ${r.method} ${path} host=${r.host} origin=${r.origin}`);
      assert.ok(v.safeParse(ConsentRequest, consents.at(-1)).success, 'only valid consent bodies reach the handler');
    }
    if (door && v.safeParse(ConsentRequest, (() => { try { return JSON.parse(r.body); } catch { return null; } })()).success) assert.ok(reached, 'the right door works');
  }), { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) });
  // And the door itself opens for the window's own request.
  const before = consents.length;
  const ok = await raw('POST', `/${token}/consent`, { host: own, origin, 'content-type': 'application/json' }, JSON.stringify({ grant: 'view' }));
  assert.is(ok.status, 200);
  assert.is(consents.length, before + 1);
});

test('random WebSocket messages on the window socket: typed errors back, only valid messages reach the agent', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/${server.token}/ws`, { headers: { origin: `http://127.0.0.1:${server.port}` } });
  const replies: MessageT[] = [];
  ws.on('message', (d: Buffer) => { const r = decode(new Uint8Array(d)); assert.ok(r.ok, 'the window server sends valid messages'); if (r.ok) replies.push(r.msg); });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const inputs = fc.sample(fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 1024 }),
    fc.anything().map((x) => { try { return packr.pack(x) as Uint8Array; } catch { return new Uint8Array([0xc1]); } }),
    fc.record({ t: fc.constantFrom('hello', 'chat', 'grant', 'pointer', 'frame'), sessionId: fc.string(), v: fc.anything() }).map((x) => packr.pack(x) as Uint8Array),
  ), 400);
  for (const b of inputs) ws.send(b);
  ws.send(encode({ t: 'hello', v: PROTOCOL_VERSION, role: 'customer', credential: 'local' }));
  const end = Date.now() + 10_000;
  // The replies travel back on their own: wait for them too, not only for the hello to arrive.
  while (!(messages.some((m) => (m as MessageT).t === 'hello') && replies.some((m) => m.t === 'error')) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  for (const m of messages) assert.ok(v.safeParse(Message, m).success, 'the agent got an invalid message');
  assert.ok(replies.some((m) => m.t === 'error'), 'junk answered with errors');
  ws.terminate();
  // A socket without the token or from another origin is refused outright.
  for (const [path, origin] of [[`/${server.token}x/ws`, `http://127.0.0.1:${server.port}`], [`/${server.token}/ws`, 'https://evil.example'], ['/ws', `http://127.0.0.1:${server.port}`]]) {
    const bad = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers: { origin } });
    const outcome = await new Promise<string>((resolve) => { bad.once('open', () => resolve('open')); bad.once('error', () => resolve('refused')); });
    assert.is(outcome, 'refused', `${path} from ${origin}`);
  }
});

test.run();
