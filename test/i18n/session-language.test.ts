// The customer's language on the server (docs/ARCHITECTURE.md "Languages"): the chat page and
// the download page in the Accept-Language's language, the join's language kept with the
// session and told to everyone in it, a later choice over the socket, a bad code refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Message, Msg } from '../../protocol/index.ts';
import { agentKey, api, createKey, joinSession, loginRep, startServer, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let cookie = '';

test.before(async () => {
  server = await startServer({ config: { companyName: 'Acme' } });
  cookie = await loginRep(server);
});
test.after(async () => { await server?.stop(); });

/** The session as the server first describes it to this client. */
const sessionOf = async (c: TestClient) => (await c.waitFor<Msg<'session'>>((m) => m.t === 'session')).session;

const page = async (path: string, lang: string) => {
  const r = await fetch(server.url + path, { headers: { 'accept-language': lang } });
  return { status: r.status, vary: r.headers.get('vary') ?? '', html: await r.text() };
};

test('the chat page and the download page come in the visitor\'s language, right-to-left for Arabic', async () => {
  const de = await page('/', 'de-CH,de;q=0.9,en;q=0.5');
  assert.is(de.status, 200);
  assert.match(de.html, '<html lang="de" dir="ltr">');
  assert.match(de.html, 'Wird geladen…');
  assert.match(de.vary, 'accept-language');
  assert.match((await page('/chat', 'ar')).html, '<html lang="ar" dir="rtl">');
  assert.match((await page('/s/whatever', 'ja')).html, '<html lang="en" dir="ltr">', 'unsupported: English');
  const k = await createKey(server, cookie);
  const { token } = await joinSession(server, k.key);
  const dl = await page(`/download/${await agentKey(server, token)}`, 'fr-FR');
  assert.is(dl.status, 200);
  assert.match(dl.html, '<html lang="fr" dir="ltr">');
  assert.match(dl.html, 'Partage d’écran pour la session');
  const ar = await page(`/download/${await agentKey(server, token)}`, 'ar');
  assert.match(ar.html, '<html lang="ar" dir="rtl">');
  assert.match(ar.html, 'مشاركة الشاشة للجلسة');
});

test('the join\'s language stays with the session; the customer\'s later choice reaches the rep (and the agent window) with the session', async () => {
  const rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;
  const k = await createKey(server, cookie);
  const join = await api(server, 'POST', '/api/sessions/join', { key: k.key, role: 'customer', name: 'Dana', language: 'de' });
  assert.is(join.status, 200);
  const customer = wsClient(server, 'customer', join.body.token);
  assert.is((await sessionOf(customer)).language, 'de');
  customer.conn.send({ t: 'language', sessionId: join.body.sessionId, language: 'ar' });
  await customer.waitFor((m) => m.t === 'session' && m.session.language === 'ar');
  // The rep's queue view says it too (the console can show the customer's language).
  const listed = (m: Message) => m.t === 'rep.queues' ? [...m.queues.flatMap((q) => q.sessions), ...m.mine]
    : m.t === 'rep.queues.delta' ? [...m.added, ...m.changed].map((e) => e.session).concat(m.mineAdded, m.mineChanged) : [];
  await rep.waitFor((m) => listed(m).some((x) => x.id === join.body.sessionId && x.language === 'ar'));
  // Kept: a reconnect's welcome says it again.
  customer.close();
  const again = wsClient(server, 'customer', join.body.token);
  assert.is((await sessionOf(again)).language, 'ar');
  again.close();
  rep.close();
});

test('a language the site doesn\'t ship is refused with a clear error, at the join and on the socket', async () => {
  const k = await createKey(server, cookie);
  const bad = await api(server, 'POST', '/api/sessions/join', { key: k.key, role: 'customer', name: 'Dana', language: 'xx' });
  assert.is(bad.status, 400);
  assert.match(JSON.stringify(bad.body), 'unsupported language');
  const portal = await api(server, 'POST', '/api/portal/submit', { name: 'Eve', language: 'klingon' });
  assert.is(portal.status, 400);
  const ok = await api(server, 'POST', '/api/portal/submit', { name: 'Eve', language: 'es' });
  assert.is(ok.status, 200);
  const customer = wsClient(server, 'customer', ok.body.token);
  assert.is((await sessionOf(customer)).language, 'es');
  customer.conn.send({ t: 'language', sessionId: ok.body.sessionId, language: 'xx' } as never);
  const err = await customer.waitFor<Msg<'error'>>((m) => m.t === 'error');
  assert.ok(err.code, 'an error with a code');
  customer.close();
});

test.run();
