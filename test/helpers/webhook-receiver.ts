// A real webhook receiver on loopback (node:http) for the outbound-event tests: it checks each
// request's Standard Webhooks signature the way a help desk would, records what came, and answers
// what the test tells it to (a status per request, or a held answer).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  id: string;
  timestamp: number;
  signature: string;
  body: string;
  /** The parsed OutboundEvent. */
  event: any;
  /** Whether the signature verified with the receiver's secret. */
  valid: boolean;
  /** The status the receiver answered. */
  status: number;
  at: number;
}

/** Standard Webhooks verification, as a receiver writes it: any `v1,` signature may match. */
export function verifySignature(secret: string, id: string, timestamp: string, body: string, header: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(' ').some((part) => {
    const [version, sig] = part.split(',');
    const got = Buffer.from(sig ?? '', 'base64');
    return version === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
  });
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Set once the endpoint is created; requests before it count as invalid. */
  secret: string;
  /** Decides each answer (default 200); may return a promise to hold the answer. */
  answer: (r: Omit<Received, 'status' | 'at'>) => number | Promise<number>;
  /** Received events (valid and answered 2xx), deduplicated by id, in the order first accepted. */
  accepted(): any[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const r: Receiver = {
    url: '',
    received: [],
    secret: '',
    answer: () => 200,
    accepted() {
      const seen = new Set<string>();
      const out: any[] = [];
      for (const x of r.received) {
        if (!x.valid || x.status < 200 || x.status > 299 || seen.has(x.id)) continue;
        seen.add(x.id);
        out.push(x.event);
      }
      return out;
    },
    close: () => new Promise<void>((res) => { server.closeAllConnections(); server.close(() => res()); }),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id'] ?? '');
      const ts = String(req.headers['webhook-timestamp'] ?? '');
      const signature = String(req.headers['webhook-signature'] ?? '');
      let event: any = null;
      try { event = JSON.parse(body); } catch { /* recorded as is */ }
      const base = { id, timestamp: Number(ts), signature, body, event, valid: r.secret !== '' && verifySignature(r.secret, id, ts, body, signature) };
      let status = 500;
      try { status = await r.answer(base); } catch { /* 500 */ }
      r.received.push({ ...base, status, at: Date.now() });
      if (!res.destroyed) res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `no thanks ${status}`);
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return r;
}
