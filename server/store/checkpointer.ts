// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that
// crosses 1,000 WAL pages, i.e. on the server's only thread, and it copies those pages into the
// database file and fsyncs it: under 250 chat messages/s that was an 8–35 ms stall once a second
// (more on a busy disk), the whole tail of the chat latency (bench/FINDINGS.md). So the server's
// connection has wal_autocheckpoint off and this worker thread, with its own connection to the
// same file, runs a PASSIVE checkpoint every interval. PASSIVE never blocks the writer, and moving
// committed pages from the WAL into the database changes nothing about what a crash keeps.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Plain CommonJS so the worker needs no TypeScript loader. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { checkpoint(); } finally { db.close(); parentPort.close(); }
});
`;

export interface Checkpointer {
  /** Last checkpoint and the worker's connection closed (before the server's own connection). */
  stop(): Promise<void>;
}

/** Starts the worker; `onFail` is called if it dies, so the caller can go back to auto-checkpoints. */
export function startCheckpointer(file: string, intervalMs: number, onFail: (e: Error) => void): Checkpointer {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, module, intervalMs } });
  worker.unref(); // never what keeps the process alive
  let stopped = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('error', (e) => { if (!stopped) onFail(e); });
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      worker.ref(); // the wait for its exit must keep the process alive
      worker.postMessage('stop');
      await exited;
    },
  };
}
