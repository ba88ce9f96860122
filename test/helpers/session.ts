// One active support session against a real server: a rep (logged in, WebSocket open) who
// accepted the session a customer opened with a key. Used by the reliability and security suites.
//   const s = await activeSession(server);  s.customer.conn.sendReliable(...);  s.close();
import type { Msg } from '../../protocol/index.ts';
import { createKey, joinSession, loginRep, wsClient, type TestClient, type TestServer } from './server.ts';

export interface ActiveSession {
  cookie: string;
  rep: TestClient;
  repId: string;
  customer: TestClient;
  sessionId: string;
  key: string;
  /** The customer's session-scoped bearer token. */
  token: string;
  close(): void;
}

export async function activeSession(server: TestServer, opts: { cookie?: string; key?: object; customerName?: string } = {}): Promise<ActiveSession> {
  const cookie = opts.cookie ?? (await loginRep(server));
  const k = await createKey(server, cookie, opts.key ?? {});
  const j = await joinSession(server, k.key, 'customer', opts.customerName ?? 'Test Customer');
  const customer = wsClient(server, 'customer', j.token);
  await customer.ready;
  const rep = wsClient(server, 'rep', '', { cookie });
  const welcome = await rep.ready;
  rep.conn.send({ t: 'accept', sessionId: k.sessionId });
  await rep.waitFor<Msg<'session'>>((m) => m.t === 'session' && m.session.id === k.sessionId && m.session.state === 'active', 10_000);
  return {
    cookie, rep, repId: welcome.participantId, customer, sessionId: k.sessionId, key: k.key, token: j.token,
    close() { rep.close(); customer.close(); },
  };
}
