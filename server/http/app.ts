// The Fastify app: plugins, error shape, and every route module.
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { ErrorCode, PROTOCOL_VERSION } from '../../protocol/index.ts';
import { adminRoutes } from './admin.ts';
import type { Ctx } from './context.ts';
import { errorHandler, HttpFail, notFoundHandler } from './errors.ts';
import { keyRoutes } from './keys.ts';
import { portalRoutes } from './portal.ts';
import { SharedRateStore } from './rate-store.ts';
import { recordRoutes } from './records.ts';
import { repRoutes } from './rep.ts';
import { securityHeaders } from './security-headers.ts';
import { staticRoutes } from './static.ts';
import { downloadDepsFromCtx, downloadRoutes } from '../routes/download.ts';

/** JSON bodies are small; anything larger is refused before parsing. */
const BODY_LIMIT = 64 * 1024;

export async function buildHttp(ctx: Ctx, distDir: string): Promise<FastifyInstance> {
  const tls = ctx.config.tls;
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    trustProxy: false,
    ...(tls ? { https: { cert: readFileSync(tls.cert), key: readFileSync(tls.key) } } : {}),
  }) as unknown as FastifyInstance;
  securityHeaders(app, { tls: tls !== null });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    store: SharedRateStore as never,
    errorResponseBuilder: (_req, c) => new HttpFail(429, ErrorCode.RateLimited, `too many attempts: try again in ${Math.ceil(c.ttl / 1000)} s`),
  });
  app.get('/healthz', async () => ({ ok: true, version: PROTOCOL_VERSION }));
  repRoutes(app, ctx);
  keyRoutes(app, ctx);
  portalRoutes(app, ctx);
  recordRoutes(app, ctx);
  adminRoutes(app, ctx);
  await downloadRoutes(app, downloadDepsFromCtx(ctx));
  await staticRoutes(app, distDir);
  return app;
}
