// /api/v1: the help-desk API. Registered as its own Fastify plugin so its bearer check and audit
// apply to it alone; browser routes never see an API token and these never take a cookie.
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.ts';
import { apiEventRoutes } from '../event-endpoints.ts';
import { apiAuth } from './auth.ts';
import { commandRoutes } from './command.ts';
import { openApiDocument } from './openapi.ts';
import { reportingRoutes } from './reporting.ts';
import type { ApiRoute } from './route.ts';

export const API_V1_ROUTES: ApiRoute[] = [...commandRoutes, ...reportingRoutes, ...apiEventRoutes()];

export async function apiV1Routes(app: FastifyInstance, ctx: Ctx, routes: ApiRoute[] = API_V1_ROUTES): Promise<void> {
  await app.register(async (api) => {
    apiAuth(api, ctx);
    for (const r of routes) {
      api.route({ method: r.method, url: r.url, config: { scope: r.scope }, handler: (req, reply) => r.handler(ctx, req, reply) });
    }
    let doc: string | null = null;
    api.get('/api/v1/openapi.json', async (_req, reply) => {
      doc ??= JSON.stringify(openApiDocument(routes));
      return reply.type('application/json').send(doc);
    });
  });
}
