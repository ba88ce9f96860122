// Entry of `npm start`: configuration, browser bundles, store, HTTP and WebSockets.
// Prints "Bridge server listening on <url>" once ready (tests parse that line).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { buildApps, root } from '../build-scripts/build.ts';
import { ensureAdmin, seedFromConfig } from './bootstrap.ts';
import { loadConfig } from './config.ts';
import { Directory } from './core/directory.ts';
import { Hub } from './core/hub.ts';
import { buildHttp } from './http/app.ts';
import { createConnectors } from './integrations/index.ts';
import { Integrations } from './integrations/integrations.ts';
import { Recorder } from './recording/recorder.ts';
import { FileRecordingStorage } from './recording/storage.ts';
import { LiveSettings } from './settings/live-settings.ts';
import type { Ctx } from './context.ts';
import { logError } from './log.ts';
import { openStore } from './store/open.ts';
import { Connections } from './ws/connection.ts';
import { attachWebSockets } from './ws/upgrade.ts';

async function main(): Promise<void> {
  let loaded;
  try {
    loaded = loadConfig(process.argv.slice(2), process.env);
  } catch (e) {
    console.error(`bridge: ${(e as Error).message}`);
    process.exit(2);
  }
  const { config, adminPassword } = loaded;
  if (process.env.BRIDGE_SKIP_BUILD !== '1') {
    // A broken bundle must not keep the server (and every other part's tests) from starting.
    await buildApps({ quiet: true }).catch((e: unknown) => console.error(`bridge: building the browser apps failed: ${(e as Error).message}`));
  }
  const store = await openStore(config);
  const generated = await ensureAdmin(store, adminPassword);
  if (generated) console.log(`Bridge admin user created: admin / ${generated}  (shown once; set BRIDGE_ADMIN_PASSWORD to choose it)`);
  await seedFromConfig(store, config);
  const settings = await LiveSettings.load(store, config);
  const dir = new Directory(store, settings);
  await dir.reload();
  const hub = new Hub(config, settings, store, dir);
  const integrations = new Integrations(config, settings, store, hub, dir);
  const storage = new FileRecordingStorage(config.dataDir);
  const recorder = new Recorder(settings, storage, store, hub);

  let publicUrl = config.publicUrl?.replace(/\/+$/, '') ?? '';
  const ctx: Ctx = { config, settings, store, hub, dir, integrations, recordings: { recorder, storage }, publicUrl: () => publicUrl };
  // Targets first, so what the hub's start does (closing expired keys' sessions) is reported too.
  await integrations.load(createConnectors(ctx));
  // Several nodes (docs/ARCHITECTURE.md, "Several nodes"): linked before the hub loads the open
  // sessions. One node alone never loads the NATS client.
  const cluster = config.cluster.natsUrl ? await (await import('./cluster/node.ts')).ClusterNode.join(config, hub, store) : null;
  if (cluster?.counts) ctx.counts = cluster.counts;
  await hub.start();
  const app = await buildHttp(ctx, join(root, 'dist'));
  const connections = new Connections(ctx);
  const sockets = attachWebSockets(app.server as Server, ctx, (peer) => connections.accept(peer));
  await app.listen({ port: config.port, host: config.host });
  const port = (app.server.address() as AddressInfo).port;
  if (!publicUrl) {
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
    publicUrl = `${config.tls ? 'https' : 'http'}://${host}:${port}`;
  }
  await integrations.start();
  recorder.start();
  console.log(`Bridge server listening on ${publicUrl}`);
  if (!config.tls && !['127.0.0.1', '::1', 'localhost'].includes(config.host)) {
    console.warn(`bridge: warning: plain HTTP on ${config.host}; passwords and sessions cross the network unencrypted (use --tls-cert/--tls-key or a TLS proxy)`);
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    hub.stop();
    await integrations.stop().catch(logError);
    await recorder.stop().catch(logError);
    sockets.closeAll(1001, 'server shutting down');
    await app.close().catch(logError);
    await cluster?.stop().catch(logError);
    await store.close().catch(logError);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((e: unknown) => {
  logError(e);
  process.exit(1);
});
