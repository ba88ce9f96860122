// System lines stored as code + params and worded in the reader's language (docs/ARCHITECTURE.md,
// "Languages" → "System events"): the store keeps no sentence, the wire adds the English words,
// the transcript endpoints word them in German or Arabic on request, and rows stored as English
// sentences before codes still read as they were.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as v from 'valibot';
import { EventBody, type Msg } from '../../protocol/index.ts';
import { apiCredentials } from '../helpers/api-client.ts';
import { api, createKey, joinSession, loginRep, startServer, wsClient, type TestServer } from '../helpers/server.ts';
import { storeSql } from '../helpers/store-sql.ts';

let server: TestServer;
test.before(async () => {
  server = await startServer({ config: { agreement: null } });
});
test.after(async () => {
  await server.stop();
});

test('the schema checks a system line\'s params against its code; old lines without params still decode', () => {
  assert.ok(v.is(EventBody, { kind: 'system', code: 'accepted', params: { rep: 'Ana' }, text: 'Ana accepted the session.' }));
  assert.not.ok(v.is(EventBody, { kind: 'system', code: 'accepted', params: { rep: 'Ana', extra: 'x' }, text: '' }), 'unknown param');
  assert.not.ok(v.is(EventBody, { kind: 'system', code: 'screen.requested', params: { rep: 'Ana', want: 'everything' }, text: '' }), 'want is view or control');
  assert.ok(v.is(EventBody, { kind: 'system', code: 'accepted', text: 'Administrator accepted the session.' }), 'a row from before codes');
});

test('stored as code + params, sent with English words, read in German and Arabic; old English rows read as they were', async () => {
  const cookie = await loginRep(server);
  const k = await createKey(server, cookie);
  const j = await joinSession(server, k.key, 'customer', 'Ada Lovelace');
  const rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;
  const cust = wsClient(server, 'customer', j.token, { client: { name: 'web-chat', timeZone: 'Asia/Tokyo' } });
  await cust.ready;
  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  // The rep learns the customer's zone from their hello (the console shows their local time).
  await rep.waitFor((m) => m.t === 'session' && m.session.id === k.sessionId && m.session.customerTimeZone === 'Asia/Tokyo');
  const accepted = await cust.waitFor<Msg<'event'>>((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'accepted');
  assert.equal(accepted.body, { kind: 'system', code: 'accepted', params: { rep: 'Administrator' }, text: 'Administrator accepted the session.' });
  rep.conn.send({ t: 'screen.request', sessionId: k.sessionId, want: 'control' });
  await cust.waitFor((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'screen.requested');

  // The store keeps the code and params only.
  const [row] = await storeSql<{ body: string }>(server, "select body from events where session_id = ? and kind = 'system' order by seq limit 1", k.sessionId);
  assert.equal(JSON.parse(row!.body), { kind: 'system', code: 'accepted', params: { rep: 'Administrator' } });

  // A line stored before codes: an English sentence, shown as it is in every language.
  await storeSql(server, 'insert into events (session_id, seq, client_id, at, from_role, from_id, from_name, kind, body) values (?, ?, null, ?, ?, null, ?, ?, ?)',
    k.sessionId, 900, Date.now(), 'system', 'System', 'system', JSON.stringify({ kind: 'system', code: 'held', text: 'Administrator put the session on hold. Please stay connected.' }));

  const de = await api(server, 'GET', `/api/sessions/${k.sessionId}/transcript?format=txt`, undefined, { cookie, 'accept-language': 'de-CH,de;q=0.9,en;q=0.5' });
  assert.is(de.status, 200);
  assert.match(de.body, 'Support-Sitzung');
  assert.match(de.body, 'Kunde: Ada Lovelace');
  assert.match(de.body, '* Administrator hat die Sitzung angenommen.');
  assert.match(de.body, '* Administrator möchte Ihren Bildschirm steuern.');
  assert.match(de.body, '* Administrator put the session on hold. Please stay connected.', 'the old row as it was');
  assert.match(de.body, 'Zeitangaben in UTC.');
  assert.match(de.body, /\[\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2}\]/, 'German date and time');

  // Arabic, in the customer's zone: right-to-left lines isolate the Latin names.
  const ar = await api(server, 'GET', `/api/sessions/${k.sessionId}/transcript?format=txt&lang=ar&tz=Europe/Berlin`, undefined, { authorization: `Bearer ${j.token}` });
  assert.is(ar.status, 200);
  assert.match(ar.body, 'قبل \u2068Administrator\u2069 الجلسة.');
  assert.match(ar.body, 'الأوقات بتوقيت Europe/Berlin.');
  const bad = await api(server, 'GET', `/api/sessions/${k.sessionId}/transcript?format=txt&lang=xx`, undefined, { cookie });
  assert.is(bad.status, 400);
  assert.match(bad.body.error.message, /lang is one of/);

  // The reporting API: stable code and params, English words unless asked otherwise.
  const creds = await apiCredentials(server, cookie, ['reporting']);
  const bearer = { authorization: `Bearer ${creds.token}` };
  const en = await api(server, 'GET', `/api/v1/sessions/${k.sessionId}/transcript`, undefined, bearer);
  const line = en.body.lines.find((l: any) => l.code === 'accepted');
  assert.equal([line.text, line.params], ['Administrator accepted the session.', { rep: 'Administrator' }]);
  const old = en.body.lines.find((l: any) => l.seq === 900);
  assert.equal([old.code, old.params, old.text], ['held', undefined, 'Administrator put the session on hold. Please stay connected.']);
  const fr = await api(server, 'GET', `/api/v1/sessions/${k.sessionId}/transcript?lang=fr`, undefined, bearer);
  assert.is(fr.body.lines.find((l: any) => l.code === 'screen.requested').text, 'Administrator demande à contrôler votre écran.');
  rep.close();
  cust.close();
});

test.run();
