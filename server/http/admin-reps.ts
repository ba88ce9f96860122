// Administrators manage reps: /api/admin/reps (docs/ARCHITECTURE.md, "Administration"). Disabling
// a rep ends their logins and closes their consoles at once, saying why, and their sessions go
// back to their queues (SessionLifecycle.releaseRep). An administrator can't disable themselves
// or drop their own admin flag, so the site always keeps one who can undo a change.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CreateRepRequest, ErrorCode, ResetPasswordRequest, UpdateRepRequest, type AdminRep } from '../../protocol/index.ts';
import { hashPassword, newId } from '../secrets.ts';
import type { RepRow } from '../store/store.ts';
import type { Ctx } from '../context.ts';
import { recordAudit } from './audit.ts';
import { HttpFail, parse } from './errors.ts';
import { requireAdmin } from './rep-auth.ts';

export function adminRep(ctx: Ctx, r: RepRow): AdminRep {
  return {
    id: r.id, username: r.username, name: r.name, isAdmin: r.is_admin === 1, disabled: r.disabled === 1,
    teamIds: ctx.dir.teamsOf(r.id), online: ctx.dir.availability(r.id) !== 'offline', createdAt: r.created_at,
  };
}

function existingRep(ctx: Ctx, id: string): RepRow {
  const rep = ctx.dir.reps.get(id);
  if (!rep) throw new HttpFail(404, ErrorCode.NotFound, 'no such representative');
  return rep;
}

function knownTeams(ctx: Ctx, teamIds: readonly string[]): void {
  for (const t of teamIds) if (!ctx.dir.teams.has(t)) throw new HttpFail(404, ErrorCode.NotFound, `no team ${t}: reload the list of teams`);
}

/** Reps and teams are cached (Directory); queue views depend on who is in which team. */
export async function directoryChanged(ctx: Ctx): Promise<void> {
  await ctx.dir.reload();
  ctx.hub.queues.directoryChanged();
  // Team membership decides which canned messages a rep gets.
  ctx.hub.consoles.sendAll({ t: 'canned.changed' });
}

export function adminRepRoutes(app: FastifyInstance, ctx: Ctx): void {
  const actor = async (req: FastifyRequest) => {
    const admin = await requireAdmin(ctx, req);
    return { admin, who: { id: admin.id, name: admin.username } };
  };

  app.get('/api/admin/reps', async (req): Promise<{ reps: AdminRep[] }> => {
    await requireAdmin(ctx, req);
    return { reps: [...ctx.dir.reps.values()].map((r) => adminRep(ctx, r)) };
  });

  app.post('/api/admin/reps', async (req) => {
    const { who } = await actor(req);
    const body = parse(CreateRepRequest, req.body);
    if (await ctx.store.getRepByUsername(body.username)) throw new HttpFail(409, ErrorCode.Conflict, 'that user name is taken: choose another', [{ path: 'username', message: 'taken: choose another' }]);
    knownTeams(ctx, body.teamIds ?? []);
    const id = newId();
    await ctx.store.createRep({ id, username: body.username, name: body.name, password_hash: await hashPassword(body.password), is_admin: body.isAdmin ? 1 : 0, created_at: Date.now() });
    for (const t of body.teamIds ?? []) await ctx.store.addRepToTeam(id, t);
    await directoryChanged(ctx);
    await recordAudit(ctx, req, who, 'rep.created', id, { username: body.username, name: body.name, isAdmin: body.isAdmin ?? false, teamIds: body.teamIds ?? [] });
    const rep = ctx.dir.reps.get(id)!;
    return { rep: { ...ctx.dir.profile(rep), ...adminRep(ctx, rep) } };
  });

  app.patch<{ Params: { id: string } }>('/api/admin/reps/:id', async (req): Promise<{ rep: AdminRep }> => {
    const { admin, who } = await actor(req);
    const body = parse(UpdateRepRequest, req.body);
    const rep = existingRep(ctx, req.params.id);
    if (rep.id === admin.id && (body.disabled === true || body.isAdmin === false)) {
      throw new HttpFail(409, ErrorCode.Conflict, 'you can\'t disable yourself or take away your own admin rights: ask another administrator');
    }
    if (body.teamIds) knownTeams(ctx, body.teamIds);
    const before = adminRep(ctx, rep);
    await ctx.store.updateRep(rep.id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.isAdmin !== undefined ? { is_admin: body.isAdmin ? 1 : 0 } : {}),
      ...(body.disabled !== undefined ? { disabled: body.disabled ? 1 : 0 } : {}),
    });
    if (body.teamIds) await ctx.store.setRepTeams(rep.id, [...new Set(body.teamIds)]);
    await directoryChanged(ctx);
    if (body.disabled === true && !before.disabled) {
      await ctx.store.deleteRepLogins(rep.id);
      ctx.hub.consoles.closeRep(rep.id, 'your account was disabled by an administrator');
      await ctx.hub.lifecycle.releaseRep(rep.id);
    }
    const after = adminRep(ctx, ctx.dir.reps.get(rep.id)!);
    const kind = body.disabled === true && !before.disabled ? 'rep.disabled' : body.disabled === false && before.disabled ? 'rep.enabled' : 'rep.changed';
    const changed = (Object.keys(body) as (keyof typeof body)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (changed.length) await recordAudit(ctx, req, who, kind, rep.id, { changes: changed.map((key) => ({ key, before: before[key], after: after[key] })) });
    return { rep: after };
  });

  app.post<{ Params: { id: string } }>('/api/admin/reps/:id/password', async (req) => {
    const { who } = await actor(req);
    const body = parse(ResetPasswordRequest, req.body);
    const rep = existingRep(ctx, req.params.id);
    await ctx.store.updateRep(rep.id, { password_hash: await hashPassword(body.password) });
    // Whoever knew the old password is out: the rep logs in again with the new one.
    await ctx.store.deleteRepLogins(rep.id);
    ctx.hub.consoles.closeRep(rep.id, 'an administrator set a new password: log in with it');
    await directoryChanged(ctx);
    await recordAudit(ctx, req, who, 'rep.password_reset', rep.id);
    return { ok: true };
  });
}
