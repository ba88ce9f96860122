// Administrators manage teams and who is in them: /api/admin/teams (docs/ARCHITECTURE.md,
// "Administration"). A team with sessions open in its queue can't be deleted (they would wait
// where nobody looks): transfer them first.
import type { FastifyInstance } from 'fastify';
import { CreateTeamRequest, ErrorCode, UpdateTeamRequest, type AdminTeam } from '../../protocol/index.ts';
import { newId } from '../secrets.ts';
import type { Ctx } from '../context.ts';
import { directoryChanged } from './admin-reps.ts';
import { recordAudit } from './audit.ts';
import { HttpFail, parse } from './errors.ts';
import { requireAdmin } from './rep-auth.ts';

function teamView(ctx: Ctx, id: string): AdminTeam {
  const repIds = [...ctx.dir.repTeams].filter(([, teams]) => teams.has(id)).map(([repId]) => repId);
  return { id, name: ctx.dir.teamName(id), repIds };
}

function existingTeam(ctx: Ctx, id: string): void {
  if (!ctx.dir.teams.has(id)) throw new HttpFail(404, ErrorCode.NotFound, 'no such team');
}

export function adminTeamRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/api/admin/teams', async (req): Promise<{ teams: AdminTeam[] }> => {
    await requireAdmin(ctx, req);
    return { teams: [...ctx.dir.teams.keys()].map((id) => teamView(ctx, id)) };
  });

  app.post('/api/admin/teams', async (req): Promise<{ team: AdminTeam }> => {
    const admin = await requireAdmin(ctx, req);
    const body = parse(CreateTeamRequest, req.body);
    if (await ctx.store.getTeamByName(body.name)) throw new HttpFail(409, ErrorCode.Conflict, 'a team with that name exists: choose another name', [{ path: 'name', message: 'a team with that name exists: choose another name' }]);
    const team = { id: newId(), name: body.name, created_at: Date.now() };
    await ctx.store.createTeam(team);
    await directoryChanged(ctx);
    await recordAudit(ctx, req, { id: admin.id, name: admin.username }, 'team.created', team.id, { name: team.name });
    return { team: teamView(ctx, team.id) };
  });

  app.patch<{ Params: { id: string } }>('/api/admin/teams/:id', async (req): Promise<{ team: AdminTeam }> => {
    const admin = await requireAdmin(ctx, req);
    const body = parse(UpdateTeamRequest, req.body);
    existingTeam(ctx, req.params.id);
    const before = teamView(ctx, req.params.id);
    if (body.name !== undefined && body.name !== before.name) {
      if (await ctx.store.getTeamByName(body.name)) throw new HttpFail(409, ErrorCode.Conflict, 'a team with that name exists: choose another name', [{ path: 'name', message: 'a team with that name exists: choose another name' }]);
      await ctx.store.renameTeam(req.params.id, body.name);
    }
    if (body.repIds) {
      for (const r of body.repIds) if (!ctx.dir.reps.has(r)) throw new HttpFail(404, ErrorCode.NotFound, `no representative ${r}: reload the list`);
      await ctx.store.setTeamMembers(req.params.id, [...new Set(body.repIds)]);
    }
    await directoryChanged(ctx);
    const after = teamView(ctx, req.params.id);
    const changes = (['name', 'repIds'] as const).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((key) => ({ key, before: before[key], after: after[key] }));
    if (changes.length) await recordAudit(ctx, req, { id: admin.id, name: admin.username }, 'team.changed', req.params.id, { changes });
    return { team: after };
  });

  app.delete<{ Params: { id: string } }>('/api/admin/teams/:id', async (req) => {
    const admin = await requireAdmin(ctx, req);
    existingTeam(ctx, req.params.id);
    const waiting = ctx.hub.sessions.openSessions().filter((ls) => ls.queueRef.kind === 'team' && ls.queueRef.id === req.params.id && ls.row.state !== 'active');
    if (waiting.length) throw new HttpFail(409, ErrorCode.Conflict, `${waiting.length} session(s) wait in this team's queue: transfer them first`);
    const before = teamView(ctx, req.params.id);
    await ctx.store.deleteTeam(req.params.id);
    await directoryChanged(ctx);
    await recordAudit(ctx, req, { id: admin.id, name: admin.username }, 'team.deleted', req.params.id, { name: before.name, repIds: before.repIds });
    return { ok: true };
  });
}
