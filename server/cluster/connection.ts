// This node's connection to the NATS server the bridge servers talk through (docs/ARCHITECTURE.md,
// "Several nodes"). Messages are one msgpack value each; a node never hears its own (noEcho), so
// whatever arrives came from another node.
import { Packr } from 'msgpackr';
import { connect, type KV, type NatsConnection } from 'nats';
import { logError } from '../log.ts';

/** Plain msgpack (no records): both ends of the bus are this code, but of possibly different starts. */
const codec = new Packr({ useRecords: false });

export interface Bus {
  readonly nodeId: string;
  publish(subject: string, value: unknown): void;
  /** Calls `handler` for every message on the subject (wildcards allowed), one after the other. */
  subscribe(subject: string, handler: (value: unknown, subject: string) => void | Promise<void>): void;
  /** Waits until the NATS server has seen everything sent so far (subscriptions included). */
  flush(): Promise<void>;
  /** A JetStream key-value bucket (made if missing) whose entries expire `ttlMs` after their last write. */
  keyValue(bucket: string, ttlMs: number): Promise<KV>;
  close(): Promise<void>;
}

export async function connectBus(url: string, nodeId: string): Promise<Bus> {
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: url, name: `bridge-${nodeId}`, noEcho: true, maxReconnectAttempts: -1 });
  } catch (e) {
    throw new Error(`cannot reach the NATS server at ${url} (cluster.natsUrl): ${(e as Error).message}`);
  }
  return {
    nodeId,
    publish(subject, value) {
      nc.publish(subject, codec.pack(value));
    },
    subscribe(subject, handler) {
      const sub = nc.subscribe(subject);
      // In arrival order: what one node sent in order is applied here in that order.
      void (async () => {
        for await (const m of sub) {
          try {
            await handler(codec.unpack(m.data), m.subject);
          } catch (e) {
            logError(e);
          }
        }
      })();
    },
    flush: () => nc.flush(),
    keyValue: (bucket, ttlMs) => nc.jetstream().views.kv(bucket, { ttl: ttlMs, history: 1 }),
    async close() {
      await nc.drain().catch(logError);
    },
  };
}
