// Rep authentication: a random login token in an HttpOnly, SameSite=Strict cookie; the store
// keeps only its hash. Shared by HTTP routes and the /ws/rep upgrade.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../../protocol/index.ts';
import { hashToken, randomToken } from '../secrets.ts';
import type { RepRow } from '../store/store.ts';
import type { Ctx } from '../context.ts';
import { HttpFail } from './errors.ts';

export const REP_COOKIE = 'bridge_rep';

/** The rep behind a raw login token, or undefined. */
export async function repForToken(ctx: Ctx, token: string | undefined): Promise<RepRow | undefined> {
  if (!token || token.length > 200) return undefined;
  const login = await ctx.store.getLogin(hashToken(token), Date.now());
  const rep = login ? ctx.dir.reps.get(login.rep_id) ?? (await ctx.store.getRep(login.rep_id)) : undefined;
  // Disabling deletes the rep's logins too; this covers a request already on its way.
  return rep && rep.disabled !== 1 ? rep : undefined;
}

export async function optionalRep(ctx: Ctx, req: FastifyRequest): Promise<RepRow | undefined> {
  return repForToken(ctx, req.cookies[REP_COOKIE]);
}

export async function requireRep(ctx: Ctx, req: FastifyRequest): Promise<RepRow> {
  const rep = await optionalRep(ctx, req);
  if (!rep) throw new HttpFail(401, ErrorCode.Unauthorized, 'please log in as a representative');
  return rep;
}

export async function requireAdmin(ctx: Ctx, req: FastifyRequest): Promise<RepRow> {
  const rep = await requireRep(ctx, req);
  if (rep.is_admin !== 1) throw new HttpFail(403, ErrorCode.Forbidden, 'administrators only');
  return rep;
}

export async function startLogin(ctx: Ctx, reply: FastifyReply, repId: string): Promise<void> {
  const token = randomToken(32);
  const now = Date.now();
  const ttl = Math.round(ctx.config.loginTtlHours * 3600_000);
  await ctx.store.createLogin({ token_hash: hashToken(token), rep_id: repId, created_at: now, expires_at: now + ttl });
  void reply.setCookie(REP_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: ctx.config.tls !== null, maxAge: Math.max(1, Math.floor(ttl / 1000)) });
}

/** Reps resume with a token derived from their cookie: unguessable, and it dies with the login. */
export function repResumeToken(loginToken: string): string {
  return hashToken(`resume:${loginToken}`);
}
