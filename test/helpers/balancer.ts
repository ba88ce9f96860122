// A small TCP load balancer in front of several bridge servers, as HAProxy's `balance first` in
// TCP mode would be: each new connection goes to the first server in the list that accepts it, so
// while that one lives everybody lands there, and once it is dead (kill -9: connection refused)
// the next one takes whoever comes back. Bytes are piped both ways untouched (WebSocket upgrades
// included); when either side closes, so does the other.
//   const lb = await startBalancer([a, b]);   // lb.url, lb.wsUrl, as a TestServer's
import { createServer, connect, type Socket } from 'node:net';

export interface TestBalancer {
  url: string;
  wsUrl: string;
  port: number;
  /** Connections forwarded so far, per backend port. */
  forwarded: Map<number, number>;
  stop(): Promise<void>;
}

function dial(port: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.removeAllListeners('error'); resolve(s); });
    s.once('error', () => resolve(null));
  });
}

export async function startBalancer(backends: Array<{ port: number }>): Promise<TestBalancer> {
  const forwarded = new Map<number, number>();
  const open = new Set<Socket>();
  const server = createServer((client) => {
    client.pause();
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    void (async () => {
      for (const b of backends) {
        const up = await dial(b.port);
        if (!up) continue;
        if (client.destroyed) return void up.destroy();
        forwarded.set(b.port, (forwarded.get(b.port) ?? 0) + 1);
        open.add(up);
        up.on('close', () => { open.delete(up); client.destroy(); });
        up.on('error', () => up.destroy());
        client.on('close', () => up.destroy());
        client.pipe(up);
        up.pipe(client);
        client.resume();
        return;
      }
      client.destroy(); // nobody alive: as a balancer with every server down
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    forwarded,
    async stop() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
