// Browser hardening headers on every HTTP answer: pages, API, downloads and errors alike
// (docs/SECURITY.md "Browser hardening headers"). The pages load only their own scripts and
// styles (no inline script or style anywhere: served HTML has none, and the msgpack decoder in
// the bundles is the no-eval build), talk only to this origin (WebSockets included: CSP's 'self'
// covers ws:/wss: of the same host) and their own object URLs, and may not be framed: the console acts with the rep's
// cookie and the chat with the customer's token, so a framing page could trick clicks.
import type { FastifyInstance, FastifyReply } from 'fastify';

const POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // data: for the empty favicon, blob: for received images and the decoded screen
  "img-src 'self' data: blob:",
  // the nudge chime is a WAV made in memory (blob:)
  "media-src 'self' blob:",
  // blob: so a page may read back a file it received (object URLs only its own script makes)
  "connect-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];
export const CONTENT_SECURITY_POLICY = [...POLICY, "frame-ancestors 'none'"].join('; ');

/** Answers that click-to-chat frames on these sites' pages (docs/ARCHITECTURE.md, "Click-to-chat"). */
const framers = new WeakMap<FastifyReply, readonly string[]>();

/** This answer may be framed by pages of these origins (none: by nobody, as every other answer). */
export function allowFraming(reply: FastifyReply, origins: readonly string[]): void {
  framers.set(reply, origins);
}

/** Two years, no includeSubDomains: other hosts of the domain are not ours to pin. */
export const HSTS = 'max-age=63072000';

export function securityHeaders(app: FastifyInstance, opts: { tls: boolean }): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    const allowed = framers.get(reply) ?? [];
    void reply
      .header('content-security-policy', allowed.length ? [...POLICY, `frame-ancestors ${allowed.join(' ')}`].join('; ') : CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      // Links carry the access key (/s/<key>) and downloads the agent key: never in a Referer.
      .header('referrer-policy', 'no-referrer');
    // X-Frame-Options can't name sites; browsers that know frame-ancestors ignore it anyway.
    if (!allowed.length) void reply.header('x-frame-options', 'DENY');
    if (opts.tls) void reply.header('strict-transport-security', HSTS);
    return payload;
  });
}
