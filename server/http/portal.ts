// GET /api/portal and POST /api/portal/submit: click-to-chat from the public portal.
import type { FastifyInstance } from 'fastify';
import { ErrorCode, SubmitIssueRequest, type PortalInfo, type QueueRef } from '../../protocol/index.ts';
import type { Ctx } from '../context.ts';
import { HttpFail, parse } from './errors.ts';
import { queuedCustomerSession } from './prefill.ts';
import { KEY_CHECK_GROUP } from './rate-store.ts';

export function portalRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/api/portal', async (): Promise<PortalInfo> => {
    const s = ctx.settings.get();
    return {
      companyName: s.companyName,
      reps: ctx.dir.repList().filter((r) => r.availability === 'available').map(({ id, name }) => ({ id, name })),
      teams: [...ctx.dir.teams.values()].map((t) => ({ id: t.id, name: t.name })),
      issueCategories: s.issueCategories,
      askName: s.keySessionsAskName,
      ...(s.portalMessage ? { message: s.portalMessage } : {}),
    };
  });

  app.post('/api/portal/submit', { config: { rateLimit: { max: ctx.config.rateLimit.joinPerMin, timeWindow: 60_000, groupId: KEY_CHECK_GROUP } } }, async (req) => {
    const body = parse(SubmitIssueRequest, req.body);
    let queue: QueueRef = { kind: 'general' };
    if (body.repId) {
      if (!ctx.dir.reps.has(body.repId)) throw new HttpFail(404, ErrorCode.NotFound, 'no such representative');
      queue = { kind: 'personal', id: body.repId };
    } else if (body.teamId) {
      if (!ctx.dir.teams.has(body.teamId)) throw new HttpFail(404, ErrorCode.NotFound, 'no such team');
      queue = { kind: 'team', id: body.teamId };
    }
    const name = body.name.trim() || 'Customer';
    const { ls, token } = await queuedCustomerSession(ctx, queue, {
      customer_name: name, company: body.company ?? '', issue: body.issue ?? '', description: body.description ?? '', platform: body.platform ?? '',
      language: body.language ?? null,
    });
    await ctx.hub.lifecycle.enqueue(ls, queue);
    return { token, sessionId: ls.id };
  });
}
