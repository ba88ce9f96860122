// POST /api/rep/login, POST /api/rep/logout, GET /api/rep/me.
import type { FastifyInstance } from 'fastify';
import { ErrorCode, LoginRequest } from '../../protocol/index.ts';
import { hashToken, verifyPassword } from '../secrets.ts';
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
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
