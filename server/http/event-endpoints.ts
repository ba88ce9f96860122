// Webhook endpoints for outbound events, for administrators (docs/INTEGRATIONS.md, "Outbound
// events"). Thin: authentication and body checks here, the rules in server/integrations/endpoints.ts.
import type { FastifyInstance } from 'fastify';
import * as v from 'valibot';
import { CreateEventEndpointRequest, DeliveriesQuery, Id, UpdateEventEndpointRequest } from '../../protocol/index.ts';
import type { Ctx } from '../context.ts';
import { parse } from './errors.ts';
import { requireAdmin } from './rep-auth.ts';

const EndpointParams = v.object({ id: Id });
const DeliveryParams = v.object({ id: Id, eventId: Id });

export function eventEndpointRoutes(app: FastifyInstance, ctx: Ctx): void {
  const endpoints = ctx.integrations.endpoints;
  const base = '/api/admin/event-endpoints';

  app.get(base, async (req) => {
    await requireAdmin(ctx, req);
    return { endpoints: await endpoints.list() };
  });
  app.post(base, async (req, reply) => {
    await requireAdmin(ctx, req);
    const created = await endpoints.create(parse(CreateEventEndpointRequest, req.body));
    return reply.status(201).send(created);
  });
  app.get(`${base}/:id`, async (req) => {
    await requireAdmin(ctx, req);
    return { endpoint: await endpoints.get(parse(EndpointParams, req.params).id) };
  });
  app.patch(`${base}/:id`, async (req) => {
    await requireAdmin(ctx, req);
    return { endpoint: await endpoints.update(parse(EndpointParams, req.params).id, parse(UpdateEventEndpointRequest, req.body)) };
  });
  app.delete(`${base}/:id`, async (req) => {
    await requireAdmin(ctx, req);
    await endpoints.remove(parse(EndpointParams, req.params).id);
    return { ok: true };
  });
  app.post(`${base}/:id/rotate-secret`, async (req) => {
    await requireAdmin(ctx, req);
    return endpoints.rotateSecret(parse(EndpointParams, req.params).id);
  });
  app.get(`${base}/:id/deliveries`, async (req) => {
    await requireAdmin(ctx, req);
    return endpoints.deliveries(parse(EndpointParams, req.params).id, parse(DeliveriesQuery, req.query));
  });
  app.post(`${base}/:id/deliveries/:eventId/redeliver`, async (req) => {
    await requireAdmin(ctx, req);
    const p = parse(DeliveryParams, req.params);
    return { delivery: await endpoints.redeliver(p.id, p.eventId) };
  });
}
