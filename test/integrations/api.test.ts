// The help-desk API as a help desk uses it, with nothing but its client id and secret: a token by
// OAuth 2 client credentials, a key with the ticket's fields, the customer joins and a rep
// accepts, chat, end, surveys; then the record, the transcript both ways, the cursor of changes,
// and the OpenAPI document checked against every answer with a JSON Schema validator.
import Ajv2020 from 'ajv/dist/2020.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type Msg } from '../../protocol/index.ts';
import { api, createTeam, joinSession, loginRep, startServer, until, wsClient, type ApiResult, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let admin: string;
let client: { clientId: string; secret: string };
let token: string;
let openapi: any;

test.before(async () => {
  server = await startServer({ config: { agreement: null, api: { requestsPerMin: 60 } } });
  admin = await loginRep(server);
});
test.after(async () => {
  await server.stop();
});

const bearer = (t = token) => ({ authorization: `Bearer ${t}` });

async function form(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<ApiResult> {
  const res = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** Checks an answer against the published document's schema for that operation. */
function conforms(path: string, method: string, body: unknown): void {
  const op = openapi.paths[path]?.[method];
  assert.ok(op, `the document has ${method.toUpperCase()} ${path}`);
  const schema = op.responses['200'].content['application/json'].schema;
  const ajv = new Ajv2020({ strict: false, validateFormats: false }); // formats: the server's valibot checks them
  const ok = ajv.validate(schema, body);
  assert.ok(ok, `${method.toUpperCase()} ${path} answers as documented: ${ajv.errorsText(ajv.errors)}`);
}

test('an administrator creates an API account; the secret is shown once and only its hash is kept', async () => {
  const r = await api(server, 'POST', '/api/admin/api-accounts', { name: 'Help desk', scopes: ['command', 'reporting'] }, { cookie: admin });
  assert.is(r.status, 200, JSON.stringify(r.body));
  client = { clientId: r.body.account.clientId, secret: r.body.clientSecret };
  assert.match(client.secret, /^bsec_/);
  const list = await api(server, 'GET', '/api/admin/api-accounts', undefined, { cookie: admin });
  assert.not.match(JSON.stringify(list.body), client.secret);
  assert.equal(list.body.accounts[0].scopes, ['command', 'reporting']);
  // Reps who are not administrators can't.
  const anon = await api(server, 'POST', '/api/admin/api-accounts', { name: 'x', scopes: ['command'] });
  assert.is(anon.status, 401);
});

test('OAuth 2 client credentials: Basic or form fields, RFC 6749 errors, scopes within the account', async () => {
  const basic = 'Basic ' + Buffer.from(`${client.clientId}:${client.secret}`).toString('base64');
  const a = await form('/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic });
  assert.is(a.status, 200, JSON.stringify(a.body));
  assert.is(a.body.token_type, 'Bearer');
  assert.is(a.body.scope, 'command reporting');
  assert.is(a.headers.get('cache-control'), 'no-store');
  token = a.body.access_token;
  const b = await form('/oauth2/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret, scope: 'reporting' });
  assert.is(b.body.scope, 'reporting');
  const wrong = await form('/oauth2/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'bsec_nope' });
  assert.is(wrong.status, 401);
  assert.is(wrong.body.error, 'invalid_client');
  const scope = await form('/oauth2/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret, scope: 'events' });
  assert.is(scope.body.error, 'invalid_scope');
  const grant = await form('/oauth2/token', { grant_type: 'password', client_id: client.clientId, client_secret: client.secret });
  assert.is(grant.body.error, 'unsupported_grant_type');
  // A reporting-only token may not command.
  const narrow = await api(server, 'GET', '/api/v1/reps', undefined, bearer(b.body.access_token));
  assert.is(narrow.status, 403);
  assert.match(narrow.body.error.message, /"command" scope/);
});

test('the OpenAPI document is published and describes every route', async () => {
  const r = await api(server, 'GET', '/api/v1/openapi.json');
  assert.is(r.status, 200);
  openapi = r.body;
  assert.is(openapi.openapi, '3.1.0');
  for (const p of ['/api/v1/session-keys', '/api/v1/chat-links', '/api/v1/sessions/changes', '/api/v1/sessions/{id}/transcript', '/oauth2/token']) assert.ok(openapi.paths[p], p);
});

test('a help desk creates a key for a ticket; the customer joins, a rep accepts; the record and transcript tell it all', async () => {
  const teamId = await createTeam(server, admin, 'Printers');
  const teams = await api(server, 'GET', '/api/v1/teams', undefined, bearer());
  assert.is(teams.status, 200);
  conforms('/api/v1/teams', 'get', teams.body);
  const reps = await api(server, 'GET', '/api/v1/reps', undefined, bearer());
  conforms('/api/v1/reps', 'get', reps.body);
  assert.is(reps.body.reps[0].availability, 'offline');

  const before = await api(server, 'GET', '/api/v1/sessions/changes', undefined, bearer());
  const cursor0 = before.body.nextCursor;

  const created = await api(server, 'POST', '/api/v1/session-keys', {
    queue: { kind: 'team', id: teamId }, externalKey: 'RT-1234', validityMin: 30,
    customer: { name: 'Henry Alder', company: 'Alder & Co', email: 'henry@example.com', issue: 'Printer jams', description: 'Since Monday.' },
  }, bearer());
  assert.is(created.status, 200, JSON.stringify(created.body));
  conforms('/api/v1/session-keys', 'post', created.body);
  const { sessionId, key } = created.body;
  assert.match(created.body.url, /\/s\/[A-Za-z0-9_-]+\?prefilled=1$/);
  assert.match(created.body.email.text, new RegExp(key));
  assert.match(created.body.email.text, /Hello Henry Alder/);

  const rep = wsClient(server, 'rep', '', { cookie: admin });
  await rep.ready;
  const avail = await api(server, 'GET', '/api/v1/reps', undefined, bearer());
  assert.is(avail.body.reps[0].availability, 'available');
  // The customer doesn't type the name again: the join carries none and the ticket's is used.
  const joined = await api(server, 'POST', '/api/sessions/join', { key, role: 'customer' });
  assert.is(joined.status, 200);
  const customer = wsClient(server, 'customer', joined.body.token);
  await customer.ready;
  const waiting = await api(server, 'GET', '/api/v1/teams', undefined, bearer());
  assert.is(waiting.body.teams.find((t: any) => t.id === teamId).waiting, 1);
  rep.conn.send({ t: 'accept', sessionId });
  await customer.waitFor((m) => m.t === 'session' && (m as Msg<'session'>).session.state === 'active');
  await customer.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: 'It jams on page two' });
  await rep.conn.sendReliable({ t: 'chat', sessionId, id: newClientId(), text: 'Let me look' });
  rep.conn.send({ t: 'end', sessionId });
  await customer.waitFor((m) => m.t === 'session' && (m as Msg<'session'>).session.state === 'ended');
  await customer.conn.sendReliable({ t: 'survey', sessionId, id: newClientId(), answers: { rating: 5 } });
  await rep.conn.sendReliable({ t: 'survey', sessionId, id: newClientId(), answers: { resolved: 'Yes' } });

  const rec = await api(server, 'GET', `/api/v1/sessions/${sessionId}`, undefined, bearer());
  assert.is(rec.status, 200);
  conforms('/api/v1/sessions/{id}', 'get', rec.body);
  assert.is(rec.body.externalKey, 'RT-1234');
  assert.equal(rec.body.portal, { customerName: 'Henry Alder', company: 'Alder & Co', email: 'henry@example.com', issue: 'Printer jams', description: 'Since Monday.', queue: { kind: 'team', id: teamId } });
  assert.is(rec.body.team.name, 'Printers');
  assert.is(rec.body.primaryRep.name, 'Administrator');
  assert.is(rec.body.end.state, 'ended');
  assert.ok(rec.body.times.durationSec !== null);
  assert.equal(rec.body.surveys.map((s: any) => [s.role, s.answers[0].answer]), [['customer', 5], ['rep', 'Yes']]);
  assert.ok(rec.body.participants.some((p: any) => p.role === 'rep' && p.leftAt !== null));

  const json = await api(server, 'GET', `/api/v1/sessions/${sessionId}/transcript?system=false`, undefined, bearer());
  conforms('/api/v1/sessions/{id}/transcript', 'get', json.body);
  assert.equal(json.body.lines.map((l: any) => l.text), ['It jams on page two', 'Let me look']);
  const withSystem = await api(server, 'GET', `/api/v1/sessions/${sessionId}/transcript`, undefined, bearer());
  assert.ok(withSystem.body.lines.some((l: any) => l.system && /accepted/.test(l.text)));
  const txt = await fetch(`${server.url}/api/v1/sessions/${sessionId}/transcript?format=txt&system=false`, { headers: bearer() });
  const text = await txt.text();
  assert.match(text, /Henry Alder: It jams on page two/);
  assert.not.match(text, /accepted/);

  // By external key and by time range.
  const byKey = await api(server, 'GET', '/api/v1/sessions?externalKey=RT-1234', undefined, bearer());
  conforms('/api/v1/sessions', 'get', byKey.body);
  assert.equal(byKey.body.sessions.map((s: any) => s.id), [sessionId]);
  const range = await api(server, 'GET', `/api/v1/sessions?from=${new Date(Date.now() - 60_000).toISOString()}`, undefined, bearer());
  assert.ok(range.body.sessions.some((s: any) => s.id === sessionId));

  // The cursor: this session once (at its latest change), then nothing until something changes.
  const changes = await api(server, 'GET', `/api/v1/sessions/changes?cursor=${cursor0}`, undefined, bearer());
  conforms('/api/v1/sessions/changes', 'get', changes.body);
  assert.equal(changes.body.sessions.map((s: any) => s.id), [sessionId]);
  const again = await api(server, 'GET', `/api/v1/sessions/changes?cursor=${changes.body.nextCursor}`, undefined, bearer());
  assert.equal(again.body.sessions, []);
  assert.is(again.body.nextCursor, changes.body.nextCursor);
  const put = await api(server, 'PUT', `/api/v1/sessions/${sessionId}/external-key`, { externalKey: 'RT-1235' }, bearer());
  assert.is(put.body.session.externalKey, 'RT-1235');
  const moved = await api(server, 'GET', `/api/v1/sessions/changes?cursor=${again.body.nextCursor}`, undefined, bearer());
  assert.equal(moved.body.sessions.map((s: any) => [s.id, s.externalKey]), [[sessionId, 'RT-1235']]);
  rep.close();
  customer.close();
});

test('the cursor never skips a session however many change, page by page', async () => {
  const start = (await api(server, 'GET', '/api/v1/sessions/changes?limit=500', undefined, bearer())).body;
  const made: string[] = [];
  for (let i = 0; i < 7; i++) made.push((await api(server, 'POST', '/api/v1/chat-links', { customer: { name: `C${i}` } }, bearer())).body.sessionId);
  let cursor = start.nextCursor;
  const seen: string[] = [];
  for (let page = 0; page < 5; page++) {
    const r = await api(server, 'GET', `/api/v1/sessions/changes?limit=3&cursor=${cursor}`, undefined, bearer());
    seen.push(...r.body.sessions.map((s: any) => s.id));
    cursor = r.body.nextCursor;
  }
  // Others may change meanwhile (the last test's people leaving); these come each once, in order.
  assert.equal(seen.filter((id) => made.includes(id)), made);
});

test('a chat link opens the chat with the fields filled in; ending from the help desk ends it', async () => {
  const link = await api(server, 'POST', '/api/v1/chat-links', { customer: { name: 'Ivy Stone', issue: 'VPN' }, externalKey: 'INC-9' }, bearer());
  assert.is(link.status, 200);
  conforms('/api/v1/chat-links', 'post', link.body);
  const accessKey = /\/s\/([^?]+)/.exec(link.body.url)![1];
  const joined = await api(server, 'POST', '/api/sessions/join', { accessKey, role: 'customer' });
  assert.is(joined.status, 200);
  const c = wsClient(server, 'customer', joined.body.token);
  await c.ready;
  // One use only.
  assert.is((await api(server, 'POST', '/api/sessions/join', { accessKey, role: 'customer' })).status, 409);
  const end = await api(server, 'POST', `/api/v1/sessions/${link.body.sessionId}/end`, { reason: 'solved by phone' }, bearer());
  assert.is(end.status, 200);
  assert.is(end.body.session.state, 'ended');
  await c.waitFor((m) => m.t === 'session' && (m as Msg<'session'>).session.state === 'ended');
  c.close();
});

test('tokens are API-only, die with the account, and every call is audited; bad input gets clear errors', async () => {
  const rec = await api(server, 'GET', '/api/v1/sessions?limit=1', undefined, bearer());
  const sessionId = rec.body.sessions[0].id;
  // An API token opens no browser route, and a rep cookie opens no API route.
  assert.ok([401, 403].includes((await api(server, 'GET', `/api/sessions/${sessionId}/transcript`, undefined, bearer())).status));
  assert.is((await api(server, 'GET', '/api/history', undefined, bearer())).status, 401);
  assert.is((await api(server, 'GET', '/api/v1/sessions', undefined, { cookie: admin })).status, 401);
  assert.is((await api(server, 'GET', '/api/v1/sessions?cursor=nonsense', undefined, bearer())).status, 400);
  assert.is((await api(server, 'GET', '/api/v1/sessions?from=yesterday', undefined, bearer())).status, 400);
  const bad = await api(server, 'POST', '/api/v1/session-keys', { queue: { kind: 'team', id: 'nope' } }, bearer());
  assert.is(bad.status, 404);
  assert.match(bad.body.error.message, /GET \/api\/v1\/teams/);
  assert.is((await api(server, 'POST', '/api/v1/session-keys', { customer: { name: 'x'.repeat(500) } }, bearer())).status, 400);
  assert.is((await api(server, 'GET', '/api/v1/sessions/nope', undefined, bearer())).status, 404);
  // One e-mail address (it may become a ticket's requestor); plain text where people read it.
  assert.is((await api(server, 'POST', '/api/v1/chat-links', { customer: { email: 'a@example.com, b@example.com' } }, bearer())).status, 400);
  assert.is((await api(server, 'POST', `/api/v1/sessions/${sessionId}/end`, { reason: 'done\u001b[2J' }, bearer())).status, 400);
  assert.is((await api(server, 'POST', '/api/v1/chat-links', { customer: { name: 'Eve\u0007' } }, bearer())).status, 400);

  const audit = await api(server, 'GET', `/api/admin/api-accounts/${client.clientId}/audit`, undefined, { cookie: admin });
  const actions = audit.body.entries.map((e: any) => `${e.action} ${e.status}`);
  assert.ok(actions.includes('POST /api/v1/session-keys 200'), actions.join('\n'));
  assert.ok(actions.includes('POST /oauth2/token 401'));
  assert.ok(actions.includes('GET /api/v1/sessions/:id 404'));

  // Disabled: the token stops at once and no new one is given.
  await api(server, 'PATCH', `/api/admin/api-accounts/${client.clientId}`, { enabled: false }, { cookie: admin });
  assert.is((await api(server, 'GET', '/api/v1/reps', undefined, bearer())).status, 401);
  const refused = await form('/oauth2/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret });
  assert.match(refused.body.error_description, /disabled/);
  await api(server, 'PATCH', `/api/admin/api-accounts/${client.clientId}`, { enabled: true }, { cookie: admin });
  // A rotated secret replaces the old one.
  const rotated = await api(server, 'POST', `/api/admin/api-accounts/${client.clientId}/secret`, undefined, { cookie: admin });
  assert.is((await form('/oauth2/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret })).status, 401);
  const fresh = await form('/oauth2/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: rotated.body.clientSecret });
  token = fresh.body.access_token;
  assert.is((await api(server, 'GET', '/api/v1/reps', undefined, bearer())).status, 200);
});

test('each account has a budget of calls per minute', async () => {
  let limited: ApiResult | null = null;
  await until(async () => {
    const r = await api(server, 'GET', '/api/v1/teams', undefined, bearer());
    if (r.status === 429) limited = r;
    return limited !== null;
  }, 10_000, 'a 429');
  assert.ok(Number(limited!.headers.get('retry-after')) > 0);
});

test('a deleted account: its token stops at once, no new one, its call log stays', async () => {
  const made = await api(server, 'POST', '/api/admin/api-accounts', { name: 'Old desk', scopes: ['command'] }, { cookie: admin });
  const { clientId } = made.body.account;
  const got = await form('/oauth2/token', { grant_type: 'client_credentials', client_id: clientId, client_secret: made.body.clientSecret });
  const auth = { authorization: `Bearer ${got.body.access_token}` };
  assert.is((await api(server, 'GET', '/api/v1/reps', undefined, auth)).status, 200);
  assert.is((await api(server, 'DELETE', `/api/admin/api-accounts/${clientId}`, undefined, { cookie: admin })).status, 200);
  assert.is((await api(server, 'GET', '/api/v1/reps', undefined, auth)).status, 401);
  assert.is((await form('/oauth2/token', { grant_type: 'client_credentials', client_id: clientId, client_secret: made.body.clientSecret })).status, 401);
  assert.is((await api(server, 'DELETE', `/api/admin/api-accounts/${clientId}`, undefined, { cookie: admin })).status, 404);
  const log = await api(server, 'GET', '/api/admin/audit?kind=integration', undefined, { cookie: admin });
  assert.ok(log.body.entries.some((e: any) => JSON.stringify(e).includes(`DELETE /api/admin/api-accounts/${clientId}`)));
});

test.run();
