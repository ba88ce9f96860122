// Webhook endpoints and connector delivery logs (docs/INTEGRATIONS.md, "Outbound events"), as one
// route table served twice: under /api/admin for administrators (console login), all of it; under
// /api/v1 for API accounts with the `events` scope, all but what registers or changes an endpoint.
// An address is where the server will send requests from inside the network, so only an
// administrator chooses one (docs/SECURITY.md, "Outbound events"). Thin: the rules live in
// server/integrations/endpoints.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { CreateEventEndpointRequest, DeliveriesPage, DeliveriesQuery, EventDelivery, EventEndpoint, EventEndpointWithSecret, Id, OutboundEventType, UpdateEventEndpointRequest } from '../../protocol/index.ts';
import type { Ctx } from '../context.ts';
import type { ApiRoute } from './api-v1/route.ts';
import { parse } from './errors.ts';
import { recordAudit } from './audit.ts';
import { requireAdmin } from './rep-auth.ts';

const EndpointParams = v.object({ id: Id });
const DeliveryParams = v.object({ id: Id, eventId: Id });
const ConnectorParams = v.object({ name: Id });
const ConnectorDeliveryParams = v.object({ name: Id, eventId: Id });
const DELIVERY_QUERY = [
  { name: 'limit', type: 'integer' as const, description: 'Deliveries per page (default 50).' },
  { name: 'before', type: 'string' as const, description: 'next of the previous page.' },
  { name: 'state', type: 'string' as const, enum: ['pending', 'delivered', 'failed'], description: 'Only deliveries in this state.' },
];

const endpointsOf = (ctx: Ctx) => ctx.integrations.endpoints;
const params = <S extends v.GenericSchema>(schema: S, req: FastifyRequest) => parse(schema, req.params);

/** The routes with their paths under `prefix` (/api/admin or /api/v1). */
/** Routes only administrators may call: registering, changing, removing endpoints and their secrets. */
type EventRoute = ApiRoute & { adminOnly?: true };

export function eventRoutes(prefix: string): EventRoute[] {
  const base = `${prefix}/event-endpoints`;
  const connectors = `${prefix}/connectors`;
  return [
    { method: 'GET', url: base, scope: 'events', summary: 'Webhook endpoints', response: v.object({ endpoints: v.array(EventEndpoint) }),
      handler: async (ctx) => ({ endpoints: await endpointsOf(ctx).list() }) },
    { method: 'POST', url: base, scope: 'events', adminOnly: true, status: 201, summary: 'Register an endpoint; its signing secret is in this answer only',
      body: CreateEventEndpointRequest, response: EventEndpointWithSecret,
      handler: async (ctx, req, reply) => reply.status(201).send(await endpointsOf(ctx).create(parse(CreateEventEndpointRequest, req.body))) },
    { method: 'GET', url: `${base}/:id`, scope: 'events', summary: 'One endpoint', response: v.object({ endpoint: EventEndpoint }),
      handler: async (ctx, req) => ({ endpoint: await endpointsOf(ctx).get(params(EndpointParams, req).id) }) },
    { method: 'PATCH', url: `${base}/:id`, scope: 'events', adminOnly: true, summary: 'Change an endpoint\'s address, event types, description or whether it is enabled',
      body: UpdateEventEndpointRequest, response: v.object({ endpoint: EventEndpoint }),
      handler: async (ctx, req) => ({ endpoint: await endpointsOf(ctx).update(params(EndpointParams, req).id, parse(UpdateEventEndpointRequest, req.body)) }) },
    { method: 'DELETE', url: `${base}/:id`, scope: 'events', adminOnly: true, summary: 'Remove an endpoint with its delivery log', response: v.object({ ok: v.boolean() }),
      handler: async (ctx, req) => { await endpointsOf(ctx).remove(params(EndpointParams, req).id); return { ok: true }; } },
    { method: 'POST', url: `${base}/:id/rotate-secret`, scope: 'events', adminOnly: true, summary: 'A new signing secret (the old one also signs for 24 hours)', response: EventEndpointWithSecret,
      handler: async (ctx, req) => endpointsOf(ctx).rotateSecret(params(EndpointParams, req).id) },
    { method: 'GET', url: `${base}/:id/deliveries`, scope: 'events', summary: 'The endpoint\'s delivery log, newest first', query: DELIVERY_QUERY, response: DeliveriesPage,
      handler: async (ctx, req) => endpointsOf(ctx).deliveries(params(EndpointParams, req).id, parse(DeliveriesQuery, req.query)) },
    { method: 'POST', url: `${base}/:id/deliveries/:eventId/redeliver`, scope: 'events', summary: 'Send an event to the endpoint again (same id and body)', response: v.object({ delivery: EventDelivery }),
      handler: async (ctx, req) => { const p = params(DeliveryParams, req); return { delivery: await endpointsOf(ctx).redeliver(p.id, p.eventId) }; } },
    { method: 'GET', url: connectors, scope: 'events', summary: 'The help-desk connectors running here',
      response: v.object({ connectors: v.array(v.object({ name: Id, eventTypes: v.array(OutboundEventType) })) }),
      handler: async (ctx) => ({ connectors: endpointsOf(ctx).connectors() }) },
    { method: 'GET', url: `${connectors}/:name/deliveries`, scope: 'events', summary: 'A connector\'s delivery log, newest first', query: DELIVERY_QUERY, response: DeliveriesPage,
      handler: async (ctx, req) => endpointsOf(ctx).connectorDeliveries(params(ConnectorParams, req).name, parse(DeliveriesQuery, req.query)) },
    { method: 'POST', url: `${connectors}/:name/deliveries/:eventId/redeliver`, scope: 'events', summary: 'Run the connector on an event again (it acts only where it has not yet)', response: v.object({ delivery: EventDelivery }),
      handler: async (ctx, req) => { const p = params(ConnectorDeliveryParams, req); return { delivery: await endpointsOf(ctx).connectorRedeliver(p.name, p.eventId) }; } },
  ];
}

/** What API accounts with the `events` scope may call. */
export function apiEventRoutes(): ApiRoute[] {
  return eventRoutes('/api/v1').filter((r) => !r.adminOnly);
}

/** The administrators' copy: every route, behind the console login. */
export function eventEndpointRoutes(app: FastifyInstance, ctx: Ctx): void {
  for (const r of eventRoutes('/api/admin')) {
    app.route({
      method: r.method, url: r.url, handler: async (req, reply) => {
        const admin = await requireAdmin(ctx, req);
        const out = await r.handler(ctx, req, reply);
        // A change (not a read) goes in the audit log: the route and what was asked, never a secret in the answer.
        if (r.method !== 'GET') await recordAudit(ctx, req, { id: admin.id, name: admin.username }, 'integration.changed', `${r.method} ${req.url.split('?')[0]}`, req.body ?? {});
        return out;
      },
    });
  }
}
