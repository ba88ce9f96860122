// Administrators manage reps and teams: /api/admin/reps, /api/admin/teams.
import type { FastifyInstance } from 'fastify';
import { CreateRepRequest, CreateTeamRequest, ErrorCode } from '../../protocol/index.ts';
import { hashPassword, newId } from '../secrets.ts';
import type { Ctx } from '../context.ts';
import { HttpFail, parse } from './errors.ts';
import { recordAudit } from './audit.ts';
import { requireAdmin } from './rep-auth.ts';

export function adminRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/api/admin/teams', async (req) => {
    await requireAdmin(ctx, req);
    return { teams: [...ctx.dir.teams.values()].map((t) => ({ id: t.id, name: t.name })) };
  });

  app.post('/api/admin/teams', async (req) => {
    const admin = await requireAdmin(ctx, req);
    const body = parse(CreateTeamRequest, req.body);
    if (await ctx.store.getTeamByName(body.name)) throw new HttpFail(409, ErrorCode.Conflict, 'a team with that name exists');
    const team = { id: newId(), name: body.name, created_at: Date.now() };
    await ctx.store.createTeam(team);
    await ctx.dir.reload();
    ctx.hub.queues.scheduleRepQueues();
    await recordAudit(ctx, req, { id: admin.id, name: admin.username }, 'team.created', team.id, { name: team.name });
    return { team: { id: team.id, name: team.name } };
  });

  app.get('/api/admin/reps', async (req) => {
    await requireAdmin(ctx, req);
    return { reps: [...ctx.dir.reps.values()].map((r) => ctx.dir.profile(r)) };
  });

  app.post('/api/admin/reps', async (req) => {
    const admin = await requireAdmin(ctx, req);
    const body = parse(CreateRepRequest, req.body);
    if (await ctx.store.getRepByUsername(body.username)) throw new HttpFail(409, ErrorCode.Conflict, 'that user name is taken');
    for (const t of body.teamIds ?? []) if (!ctx.dir.teams.has(t)) throw new HttpFail(404, ErrorCode.NotFound, `no team ${t}`);
    const id = newId();
    await ctx.store.createRep({ id, username: body.username, name: body.name, password_hash: await hashPassword(body.password), is_admin: body.isAdmin ? 1 : 0, created_at: Date.now() });
    for (const t of body.teamIds ?? []) await ctx.store.addRepToTeam(id, t);
    await ctx.dir.reload();
    ctx.hub.queues.scheduleRepQueues();
    await recordAudit(ctx, req, { id: admin.id, name: admin.username }, 'rep.created', id, { username: body.username, name: body.name, isAdmin: body.isAdmin ?? false, teamIds: body.teamIds ?? [] });
    return { rep: ctx.dir.profile(ctx.dir.reps.get(id)!) };
  });
}
