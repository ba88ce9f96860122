// Several bridge servers for a test (docs/ARCHITECTURE.md "Several nodes"): one throwaway NATS
// server and one PostgreSQL database, shared by `count` server processes named a, b, c, …
import { startNats, type TestNats } from './nats.ts';
import { postgresDatabase } from './postgres.ts';
import { startServer, type TestServer } from './server.ts';

export interface TestCluster {
  nats: TestNats;
  nodes: TestServer[];
}

/** The admin's password on every node (they share one seeded database). */
export const CLUSTER_ADMIN_PASSWORD = 'cluster-admin-pw';

export async function startCluster(count: number, config: object): Promise<TestCluster> {
  const [nats, databaseUrl] = await Promise.all([startNats(), postgresDatabase()]);
  // `store: 'sqlite'` only keeps the helper from making a database per node: the URL is the shared one.
  const start = (i: number) => startServer({
    config,
    store: 'sqlite',
    env: { BRIDGE_DATABASE_URL: databaseUrl, BRIDGE_NATS_URL: nats.url, BRIDGE_NODE_ID: String.fromCharCode(97 + i), BRIDGE_ADMIN_PASSWORD: CLUSTER_ADMIN_PASSWORD },
  });
  // The first runs the migrations and seeds the admin (and, with timers, takes their lease); then the rest side by side.
  const first = await start(0);
  const rest = await Promise.all(Array.from({ length: count - 1 }, (_, i) => start(i + 1)));
  return { nats, nodes: [first, ...rest] };
}
