// Volume abuse against a real server (docs/SECURITY.md): a customer flooding the transcript is
// rate limited per sender (reconnecting doesn't refill the budget), a session's transcript has a
// byte cap, and surveys are one per role and session and small. An honest fast typist loses
// nothing: the client resends what the server asked to wait, in order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type Msg } from '../../protocol/index.ts';
import { activeSession, type ActiveSession } from '../helpers/session.ts';
import { startServer, until, wsClient, type TestServer } from '../helpers/server.ts';

const BURST = 10;
const PER_MIN = 1200; // 20 tokens/s: the defaults are 20 and 60/min, faster here to keep the test short
const CAP = 64 * 1024;
let server: TestServer;

test.before(async () => {
  server = await startServer({
    config: {
      agreement: null,
      rateLimit: { messageBurst: BURST, messagesPerMin: PER_MIN },
      limits: { sessionTranscriptBytes: CAP, surveyBytes: 8 * 1024 },
    },
  });
});
test.after(async () => {
  await server?.stop();
});

function chat(s: ActiveSession, text: string, id = newClientId()): Msg<'chat'> {
  return { t: 'chat', sessionId: s.sessionId, id, text };
}

/** The rejection of a promise that must fail, checked against `pattern`. */
async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const r = await p.then(() => null, (e: Error) => e);
  assert.ok(r, `expected a refusal matching ${pattern}`);
  assert.match(r!.message, pattern);
}

const errors = (s: ActiveSession, code: string) => s.customer.messages.filter((m): m is Msg<'error'> => m.t === 'error' && m.code === code);

test('a fast typist: messages over the budget are told to wait, resent by the client, and all arrive in order', async () => {
  const s = await activeSession(server);
  const texts = Array.from({ length: 30 }, (_, i) => `line ${i}`);
  const started = Date.now();
  await Promise.all(texts.map((t) => s.customer.conn.sendReliable(chat(s, t))));
  const took = Date.now() - started;
  const limited = errors(s, 'rate_limited');
  assert.ok(limited.length >= 30 - BURST - 3, `${limited.length} messages were asked to wait`);
  assert.match(limited[0].message, /sending messages too fast/);
  assert.ok((limited[0].retryAfterMs ?? 0) > 0, 'the error says when to resend');
  // 20 over the burst at 20/s: about a second.
  assert.ok(took < 4000, `all stored in ${took} ms`);
  await until(() => s.rep.events(s.sessionId).filter((e) => e.body.kind === 'chat').length === 30, 5000, 'the rep has all 30');
  const seen = s.rep.events(s.sessionId).flatMap((e) => (e.body.kind === 'chat' ? [e.body.text] : []));
  assert.equal(seen, texts, 'in the order typed, none twice');
  s.close();
});

test('a flood of 400 chats of 24 KB: a handful stored, the rest refused; reconnecting does not refill the budget', async () => {
  const s = await activeSession(server);
  const big = '€'.repeat(8000); // 24 KB in UTF-8, the largest chat message
  const ids: string[] = [];
  const started = Date.now();
  for (let i = 0; i < 400; i++) {
    const m = chat(s, big);
    ids.push(m.id);
    s.customer.conn.send(m); // raw: no client resend
  }
  await until(() => s.customer.messages.filter((m) => (m.t === 'ack' || m.t === 'error') && ids.includes(m.t === 'ack' ? m.id : m.ref ?? '')).length >= 400, 10_000, 'an answer to each');
  const elapsed = (Date.now() - started) / 1000;
  const acked = s.customer.messages.filter((m) => m.t === 'ack' && ids.includes(m.id)).length;
  // Each costs 6 tokens (one per started 4 KiB): burst 10 → 1 at once, then 20 tokens/s.
  const allowed = Math.ceil((BURST + (PER_MIN / 60) * elapsed) / 6) + 1;
  assert.ok(acked <= allowed, `${acked} stored in ${elapsed.toFixed(1)} s (allowed ${allowed})`);
  assert.ok(errors(s, 'rate_limited').length >= 400 - allowed);
  // A fresh connection of the same customer gets no fresh budget.
  s.customer.close();
  const again = wsClient(server, 'customer', s.token);
  await again.ready;
  const m = chat(s, 'hello again');
  again.conn.send(m);
  const answer = await again.waitFor((x) => (x.t === 'error' && x.ref === m.id) || (x.t === 'ack' && x.id === m.id));
  assert.is(answer.t, 'error', 'still limited after reconnecting');
  again.close();
  s.close();
});

test('a session\'s transcript is capped in bytes; system lines still go in', async () => {
  const s = await activeSession(server);
  const text = 'x'.repeat(8000);
  let refused: Error | null = null;
  let stored = 0;
  for (let i = 0; i < 12 && !refused; i++) {
    try {
      await s.customer.conn.sendReliable(chat(s, text));
      stored++;
    } catch (e) {
      refused = e as Error;
    }
  }
  assert.ok(refused, 'refused once full');
  assert.ok(stored >= 6 && stored <= 8, `${stored} × 8 KB stored under a 64 KiB cap`);
  assert.match(refused!.message, /size limit .*start a new support session/);
  assert.ok(errors(s, 'too_large').length === 1);
  // The rep is refused too, but the end still lands in the transcript.
  await rejects(s.rep.conn.sendReliable({ t: 'chat', sessionId: s.sessionId, id: newClientId(), text }), /size limit/);
  s.rep.conn.send({ t: 'end', sessionId: s.sessionId });
  await s.customer.waitFor((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'ended');
  s.close();
});

test('surveys: one per role and session, within the size limit', async () => {
  const s = await activeSession(server);
  s.rep.conn.send({ t: 'end', sessionId: s.sessionId });
  await s.customer.waitFor((m) => m.t === 'event' && m.body.kind === 'system' && m.body.code === 'ended');
  const survey = (answers: Msg<'survey'>['answers'], id = newClientId()): Msg<'survey'> => ({ t: 'survey', sessionId: s.sessionId, id, answers });
  // 12 KB: the schema allows it, the server's surveyBytes (8 KiB here) does not.
  await rejects(s.customer.conn.sendReliable(survey({ rating: 5, comment: '€'.repeat(4000) })), /too long .*shorten/);
  const first = survey({ rating: 5, comment: 'thanks' });
  assert.is(await s.customer.conn.sendReliable(first), 0);
  // The attack: 100 more surveys of up to 200 KB after the end.
  const more = await Promise.allSettled(Array.from({ length: 100 }, () => s.customer.conn.sendReliable(survey({ rating: 1, comment: 'x'.repeat(4000) }))));
  assert.ok(more.every((r) => r.status === 'rejected' && /already answered/.test(String(r.reason))), 'every further survey refused');
  assert.is(await s.customer.conn.sendReliable(first), 0, 'a resend of the stored one is still acked');
  // The rep answers once too.
  const repSurvey = (): Msg<'survey'> => ({ t: 'survey', sessionId: s.sessionId, id: newClientId(), answers: { resolved: 'Yes' } });
  assert.is(await s.rep.conn.sendReliable(repSurvey()), 0);
  await rejects(s.rep.conn.sendReliable(repSurvey()), /already answered/);
  s.close();
});

test.run();
