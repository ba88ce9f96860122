// Half-open connections (docs/ARCHITECTURE.md "No loss"): the network between a customer and the server silently
// stops carrying anything, with no close on either side (Wi-Fi gone, NAT entry expired) — made
// here by a TCP proxy that stops forwarding and reading. The server notices by its heartbeat and
// shows the customer offline; the client notices by its own, drops the dead socket and resumes on
// a new one: what was said meanwhile arrives once, its own unacked lines go out once.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newClientId, type Msg } from '../../protocol/index.ts';
import { createKey, joinSession, loginRep, startServer, until, wsClient, type TestClient, type TestServer } from '../helpers/server.ts';

/** A TCP proxy whose current connections can be turned into black holes; new ones pass. */
class Proxy {
  private server: Server;
  private pairs: Array<[Socket, Socket]> = [];
  private all: Socket[] = [];
  port = 0;
  constructor(target: number) {
    this.server = createServer((down) => {
      const up = connect(target, '127.0.0.1');
      this.pairs.push([down, up]);
      this.all.push(down, up);
      down.pipe(up);
      up.pipe(down);
      for (const s of [down, up]) s.on('error', () => { down.destroy(); up.destroy(); });
    });
  }
  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
  }
  /** Nothing passes any more, in either direction, and nothing is closed. */
  blackhole(): void {
    for (const [down, up] of this.pairs.splice(0)) {
      down.unpipe(up); up.unpipe(down);
      down.pause(); up.pause();
    }
  }
  close(): void {
    for (const s of this.all) s.destroy();
    this.server.close();
  }
}

let server: TestServer;
let proxy: Proxy;
let rep: TestClient;
let customer: TestClient;
let sessionId: string;

test.before(async () => {
  server = await startServer({ config: { agreement: null }, env: { BRIDGE_HEARTBEAT_MS: '500' } });
  proxy = new Proxy(server.port);
  await proxy.listen();
  const cookie = await loginRep(server);
  const k = await createKey(server, cookie);
  sessionId = k.sessionId;
  const j = await joinSession(server, k.key);
  customer = wsClient({ url: server.url, wsUrl: `ws://127.0.0.1:${proxy.port}` }, 'customer', j.token, { heartbeatMs: 500 });
  await customer.ready;
  rep = wsClient(server, 'rep', '', { cookie });
  await rep.ready;
  rep.conn.send({ t: 'accept', sessionId });
  await rep.waitFor((m) => m.t === 'session' && m.session.id === sessionId && m.session.state === 'active', 10_000);
});
test.after(async () => {
  customer?.close();
  rep?.close();
  proxy?.close();
  await server?.stop();
});

const online = (m: unknown) => (m as Msg<'session'>).t === 'session' && (m as Msg<'session'>).session.id === sessionId;

test('a silently dead connection: the server shows the customer offline, the client resumes on its own, nothing lost or doubled', async () => {
  const hi = newClientId();
  await customer.conn.sendReliable({ t: 'chat', sessionId, id: hi, text: 'before' });
  proxy.blackhole();
  // Both keep talking into the void / to the server.
  const fromRep: string[] = [];
  for (let i = 0; i < 5; i++) {
    const id = newClientId();
    fromRep.push(id);
    await rep.conn.sendReliable({ t: 'chat', sessionId, id, text: `are you there ${i}` });
  }
  const typed = newClientId();
  const typedAck = customer.conn.sendReliable({ t: 'chat', sessionId, id: typed, text: 'typed into a dead connection' });
  typedAck.catch(() => {}); // awaited below; a failed run must not also crash on it
  // The server's heartbeat: the rep sees the customer go offline.
  await rep.next((m) => online(m) && (m as Msg<'session'>).session.customerOnline === false, 10_000);
  // The client's heartbeat: it drops the dead socket and resumes through a fresh connection.
  await until(() => customer.status !== 'online', 10_000, 'the customer notices');
  await until(() => customer.status === 'online', 15_000, 'the customer resumes');
  await typedAck;
  await rep.waitFor((m) => online(m) && (m as Msg<'session'>).session.customerOnline === true, 10_000);
  await until(() => fromRep.every((id) => customer.events().some((e) => e.id === id)), 10_000, 'what the rep said meanwhile');
  for (const id of [hi, typed, ...fromRep]) {
    assert.is(customer.events().filter((e) => e.id === id).length, 1, `customer sees ${id} once`);
  }
  await until(() => rep.events().some((e) => e.id === typed), 10_000, 'the rep gets the line typed into the dead connection');
  assert.is(rep.events().filter((e) => e.id === typed).length, 1);
});

test.run();
