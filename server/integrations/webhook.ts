// One webhook attempt (docs/ARCHITECTURE.md, "Outbox"): the Standard Webhooks signature
// (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`) and a POST
// that follows no redirect, gives up after its timeout and reads only the start of the answer.
import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

const SECRET_PREFIX = 'whsec_';

/** A new endpoint secret: `whsec_` + 32 random bytes in base64 (what Standard Webhooks libraries take). */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** `v1,<signature>` of one secret over `${id}.${timestamp}.${body}`. */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The headers of one attempt; during a rotation both secrets sign (space-separated, as the convention allows). */
export function webhookHeaders(secrets: readonly string[], id: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => signature(s, id, timestamp, body)).join(' '),
  };
}

export interface PostResult {
  /** The receiver's status, null when it never answered. */
  status: number | null;
  /** Why it isn't a delivery (null for 2xx). */
  error: string | null;
}

export interface PostOptions {
  timeoutMs: number;
  /** At most this much of the answer is read (for the log); the rest is dropped. */
  responseBytes: number;
  signal?: AbortSignal;
}

/** POSTs the JSON body; 2xx is a delivery, anything else (a redirect too) an error to retry. */
export function postWebhook(url: string, body: string, headers: Record<string, string>, opts: PostOptions): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Bridge-Webhooks/1', ...headers },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const timer = setTimeout(() => done({ status: null, error: `no answer within ${Math.round(opts.timeoutMs / 100) / 10} s` }), opts.timeoutMs);
    req.on('error', (e) => done({ status: null, error: e.message || 'request failed' }));
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        const text = Buffer.concat(chunks).toString('utf8').replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim().slice(0, 160);
        if (status >= 200 && status < 300) return done({ status, error: null });
        const why = status >= 300 && status < 400 ? `redirect to ${String(res.headers.location ?? '?').slice(0, 100)} not followed` : text;
        done({ status, error: `HTTP ${status}${why ? `: ${why}` : ''}` });
      };
      res.on('data', (c: Buffer) => {
        if (size >= opts.responseBytes) return;
        chunks.push(c.subarray(0, opts.responseBytes - size));
        size += c.byteLength;
        if (size >= opts.responseBytes) finish();
      });
      res.on('end', finish);
      res.on('error', finish);
    });
    req.end(body);
  });
}
