// A shaped link between the rep console and the server for the end-to-end benches
// (docs/ARCHITECTURE.md "Benchmarks", link shaping): a TCP proxy whose server → console direction
// carries `bitsPerSec` with TCP back-pressure (past a small bottleneck queue it stops reading from
// the server, so the server's socket and then the agent's pacing feel the link), and which delays
// every byte by `delayMs` each way. Console → server is not rate-limited (acks and input are small).
import net from 'node:net';

export interface LinkShape { bitsPerSec: number; delayMs: number }
export interface LinkProxy { port: number; close(): Promise<void> }

/** Bytes waiting for the bottleneck before the proxy stops reading (a router's small buffer). */
const QUEUE_BYTES = 16 * 1024;
/** Slices the bottleneck sends one after another, so delivery is smooth, not per 64 KB chunk. */
const SLICE = 1500;

/** `512k/100` → 512 kbit/s, 100 ms one way; `2m/40`; null for anything else. */
export function parseLink(spec: string | undefined): LinkShape | null {
  const m = /^(\d+(?:\.\d+)?)([km]?)\/(\d+)$/i.exec(spec ?? '');
  if (!m) return null;
  const unit = m[2].toLowerCase() === 'm' ? 1e6 : m[2].toLowerCase() === 'k' ? 1e3 : 1;
  return { bitsPerSec: Number(m[1]) * unit, delayMs: Number(m[3]) };
}

export async function linkProxy(target: { host: string; port: number }, shape: LinkShape): Promise<LinkProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client); sockets.add(upstream);
    const kill = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    client.on('error', kill); upstream.on('error', kill);
    // An end travels like data: after what is still on the link (a response's tail is not lost).
    client.on('end', () => setTimeout(() => upstream.end(), shape.delayMs + 1));
    upstream.on('end', () => setTimeout(() => client.end(), Math.max(0, wireFree - performance.now()) + shape.delayMs + 1));
    // console → server: delayed only
    client.on('data', (chunk) => { setTimeout(() => { if (!upstream.destroyed) upstream.write(chunk); }, shape.delayMs); });
    // server → console: serialised at the link rate, then delayed
    let wireFree = 0, queued = 0;
    upstream.on('data', (chunk) => {
      for (let at = 0; at < chunk.length; at += SLICE) {
        const slice = chunk.subarray(at, Math.min(chunk.length, at + SLICE));
        const now = performance.now();
        const leaves = Math.max(now, wireFree) + (slice.length * 8 * 1000) / shape.bitsPerSec;
        wireFree = leaves;
        queued += slice.length;
        setTimeout(() => {
          queued -= slice.length;
          if (queued < QUEUE_BYTES && upstream.isPaused()) upstream.resume();
          setTimeout(() => { if (!client.destroyed) client.write(slice); }, shape.delayMs);
        }, leaves - now);
      }
      if (queued >= QUEUE_BYTES) upstream.pause();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}
