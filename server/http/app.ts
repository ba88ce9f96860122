// The Fastify app: plugins, error shape, and every route module.
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { ErrorCode, PROTOCOL_VERSION } from '../../protocol/index.ts';
import { adminRepRoutes } from './admin-reps.ts';
import { adminTeamRoutes } from './admin-teams.ts';
import { cannedRoutes } from './canned.ts';
import { adminSettingsRoutes } from './admin-settings.ts';
import { auditRoutes } from './audit.ts';
import { apiAccountRoutes } from './api-accounts.ts';
import { apiV1Routes } from './api-v1/index.ts';
import { oauth2Routes } from './oauth2.ts';
import type { Config } from '../config.ts';
import { proxyTrust } from './client-address.ts';
import type { Ctx } from '../context.ts';
import { errorHandler, HttpFail, notFoundHandler } from './errors.ts';
import { embedRoutes } from './embed.ts';
import { eventEndpointRoutes } from './event-endpoints.ts';
import { keyRoutes } from './keys.ts';
import { portalRoutes } from './portal.ts';
import { rateStore } from './rate-store.ts';
import { recordRoutes } from './records.ts';
import { repRoutes } from './rep.ts';
import { securityHeaders } from './security-headers.ts';
import { staticRoutes } from './static.ts';
import { downloadDepsFromCtx, downloadRoutes } from './download.ts';

/** JSON bodies are small; anything larger is refused before parsing. */
const BODY_LIMIT = 64 * 1024;

/**
 * Node's http server limits: a stalled request (headers or body trickling in) is closed after
 * `requestSec`, not held forever. Node checks them every `connectionsCheckingInterval`, so that
 * is a fraction of the shortest. WebSockets leave this accounting at their upgrade.
 */
function serverTimeouts(http: Config['http']) {
  const requestTimeout = http.requestSec * 1000;
  const headersTimeout = Math.min(http.headersSec, http.requestSec) * 1000;
  return {
    requestTimeout,
    headersTimeout,
    keepAliveTimeout: http.keepAliveSec * 1000,
    connectionsCheckingInterval: Math.max(250, Math.min(headersTimeout / 4, 5000)),
  };
}

export async function buildHttp(ctx: Ctx, distDir: string): Promise<FastifyInstance> {
  const tls = ctx.config.tls;
  const timeouts = serverTimeouts(ctx.config.http);
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    trustProxy: proxyTrust(ctx.config.trustProxy),
    requestTimeout: timeouts.requestTimeout,
    keepAliveTimeout: timeouts.keepAliveTimeout,
    connectionTimeout: ctx.config.http.idleSec * 1000,
    ...(tls ? { https: { cert: readFileSync(tls.cert), key: readFileSync(tls.key), ...timeouts } } : { http: timeouts }),
  }) as unknown as FastifyInstance;
  securityHeaders(app, { tls: tls !== null });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    store: rateStore(ctx.counts ?? null) as never,
    errorResponseBuilder: (_req, c) => new HttpFail(429, ErrorCode.RateLimited, `too many attempts: try again in ${Math.ceil(c.ttl / 1000)} s`),
  });
  app.get('/healthz', async () => ({ ok: true, version: PROTOCOL_VERSION }));
  repRoutes(app, ctx);
  keyRoutes(app, ctx);
  portalRoutes(app, ctx);
  recordRoutes(app, ctx);
  adminRepRoutes(app, ctx);
  adminTeamRoutes(app, ctx);
  cannedRoutes(app, ctx);
  adminSettingsRoutes(app, ctx);
  auditRoutes(app, ctx);
  eventEndpointRoutes(app, ctx);
  apiAccountRoutes(app, ctx);
  await app.register((scope) => oauth2Routes(scope, ctx));
  await apiV1Routes(app, ctx);
  await downloadRoutes(app, downloadDepsFromCtx(ctx));
  await embedRoutes(app, ctx, distDir);
  await staticRoutes(app, distDir);
  return app;
}
