// Customer-side HTTP auth: the session-scoped token from join, sent as `Authorization: Bearer`.
import type { FastifyRequest } from 'fastify';
import { hashToken } from '../secrets.ts';
import type { ParticipantRow, SessionRow } from '../store/store.ts';
import type { Ctx } from '../context.ts';
import { bearerToken } from './bearer.ts';

/** The participant whose token the request carries: null without a Bearer header, undefined for an unknown token. */
export async function bearerParticipant(ctx: Ctx, req: FastifyRequest): Promise<ParticipantRow | undefined | null> {
  const token = bearerToken(req);
  if (!token) return null;
  return ctx.store.getParticipantByToken(hashToken(token));
}

/** The ended-session grace of the WebSocket handshake, for HTTP too: a customer or agent token
 *  reads its session for `endedGraceSec` after the end (transcript, exit survey), then no more. */
export function pastEndedGrace(ctx: Ctx, s: SessionRow, now = Date.now()): boolean {
  return s.ended_at !== null && s.ended_at + ctx.config.endedGraceSec * 1000 < now;
}
