// POST /api/rep/login, POST /api/rep/logout, GET and PATCH /api/rep/me (the display name),
// POST /api/rep/password (a rep's own password, proven by the current one).
import type { FastifyInstance } from 'fastify';
import { ChangePasswordRequest, ErrorCode, LoginRequest, UpdateMeRequest } from '../../protocol/index.ts';
import { hashPassword, hashToken, verifyPassword } from '../secrets.ts';
import { directoryChanged } from './admin-reps.ts';
import type { Ctx } from '../context.ts';
import { recordAudit } from './audit.ts';
import { HttpFail, parse } from './errors.ts';
import { REP_COOKIE, requireRep, startLogin } from './rep-auth.ts';

export function repRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/api/rep/login', { config: { rateLimit: { max: ctx.config.rateLimit.loginPerMin, timeWindow: 60_000 } } }, async (req, reply) => {
    const body = parse(LoginRequest, req.body);
    const rep = await ctx.store.getRepByUsername(body.username);
    // Verify against a dummy hash for unknown users too, so timing doesn't reveal user names.
    const ok = await verifyPassword(body.password, rep?.password_hash ?? DUMMY_HASH);
    if (rep && ok && rep.disabled === 1) {
      await recordAudit(ctx, req, { id: rep.id, name: body.username }, 'login.failed', null, { reason: 'disabled' });
      throw new HttpFail(403, ErrorCode.Forbidden, 'this account is disabled: ask an administrator to enable it');
    }
    if (!rep || !ok) {
      await recordAudit(ctx, req, { id: rep?.id ?? null, name: body.username }, 'login.failed', null, { reason: rep ? 'wrong password' : 'no such user' });
      throw new HttpFail(401, ErrorCode.Unauthorized, 'wrong user name or password');
    }
    await startLogin(ctx, reply, rep.id);
    await recordAudit(ctx, req, { id: rep.id, name: rep.username }, 'login.succeeded', null);
    return { rep: ctx.dir.profile(rep) };
  });

  app.post('/api/rep/logout', async (req, reply) => {
    const token = req.cookies[REP_COOKIE];
    if (token) {
      await ctx.store.deleteLogin(hashToken(token));
      ctx.hub.consoles.closeLogin(hashToken(token));
    }
    void reply.clearCookie(REP_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/rep/me', async (req) => ({ rep: ctx.dir.profile(await requireRep(ctx, req)) }));

  app.patch('/api/rep/me', async (req) => {
    const rep = await requireRep(ctx, req);
    const body = parse(UpdateMeRequest, req.body);
    if (body.name !== rep.name) {
      await ctx.store.updateRep(rep.id, { name: body.name });
      await directoryChanged(ctx);
      await recordAudit(ctx, req, { id: rep.id, name: rep.username }, 'rep.own_name', rep.id, { changes: [{ key: 'name', before: rep.name, after: body.name }] });
    }
    return { rep: ctx.dir.profile(ctx.dir.reps.get(rep.id)!) };
  });

  app.post('/api/rep/password', { config: { rateLimit: { max: ctx.config.rateLimit.loginPerMin, timeWindow: 60_000 } } }, async (req) => {
    const rep = await requireRep(ctx, req);
    const body = parse(ChangePasswordRequest, req.body);
    if (!(await verifyPassword(body.current, rep.password_hash))) {
      throw new HttpFail(400, ErrorCode.Invalid, 'the current password is not right', [{ path: 'current', message: 'this is not your current password' }]);
    }
    await ctx.store.updateRep(rep.id, { password_hash: await hashPassword(body.password) });
    await directoryChanged(ctx);
    await recordAudit(ctx, req, { id: rep.id, name: rep.username }, 'rep.own_password', rep.id);
    return { ok: true };
  });
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
