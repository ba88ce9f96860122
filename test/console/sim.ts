// A simulated customer or agent: a real WebSocket client (ws) speaking the real protocol
// through protocol/connection.ts, with helpers to wait for what the console sends it.
import WebSocket from 'ws';
import { Connection, newClientId, type JoinRequest, type JoinResponse, type Message, type MessageType, type Msg, type SocketLike } from '../../protocol/index.ts';

export async function postJson<T>(base: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(new URL(path, base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export class Sim {
  readonly received: Message[] = [];
  private readonly waiters = new Set<() => void>();
  private consumed = new WeakSet<object>();
  readonly conn: Connection;
  readonly sessionId: string;

  /** Joins with a session key (customer) or an agent key (agent; test/helpers/server.ts agentKey) and connects. */
  static async join(base: string, req: JoinRequest): Promise<Sim> {
    const j = await postJson<JoinResponse>(base, '/api/sessions/join', req);
    const sim = new Sim(base, j.role, j.token, j.sessionId);
    await sim.waitFor('welcome');
    return sim;
  }

  /** `token`: the session token from join (a customer's mints agent keys, as in the chat). */
  constructor(base: string, readonly role: 'customer' | 'agent', readonly token: string, sessionId: string) {
    this.sessionId = sessionId;
    const url = new URL(`/ws/${role}`, base.replace(/^http/, 'ws')).href;
    this.conn = new Connection({
      url, role, credential: token,
      createSocket: (u) => new WebSocket(u, { headers: { origin: base } }) as unknown as SocketLike,
      onMessage: (m) => this.push(m),
      onWelcome: (m) => this.push(m),
      client: { name: `sim-${role}` },
    });
  }

  private push(m: Message): void {
    this.received.push(m);
    for (const w of [...this.waiters]) w();
  }

  send(msg: Message): boolean {
    return this.conn.send(msg);
  }

  chat(text: string): Promise<number> {
    return this.conn.sendReliable({ t: 'chat', sessionId: this.sessionId, id: newClientId(), text });
  }

  /** The first not yet consumed message of type t matching pred; consumes it. */
  waitFor<T extends MessageType>(t: T, pred: (m: Msg<T>) => boolean = () => true, timeoutMs = 10_000): Promise<Msg<T>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = this.received.find((x) => x.t === t && !this.consumed.has(x) && pred(x as Msg<T>)) as Msg<T> | undefined;
        if (!m) return false;
        this.consumed.add(m);
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(m);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${this.role}: no ${t} within ${timeoutMs} ms; got ${this.received.slice(-12).map((x) => x.t).join(', ')}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  /** Messages of the given types received since `mark` (an index into received). */
  since(mark: number, ...types: MessageType[]): Message[] {
    return this.received.slice(mark).filter((m) => types.includes(m.t));
  }

  close(): void {
    this.conn.close();
  }
}
