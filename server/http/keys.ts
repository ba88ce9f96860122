// POST /api/session-keys (rep) and POST /api/sessions/join (customer browser or agent).
// Keys are one-time for the browser customer; the agent may reuse the key until the session
// ends, because it is downloaded with the key in its file name after the customer joined.
import type { FastifyInstance } from 'fastify';
import { ErrorCode, JoinRequest, normalizeKey, SessionKeyRequest, type JoinResponse, type QueueRef, type SessionKeyResponse } from '../../protocol/index.ts';
import { createCustomerSide } from '../core/participants.ts';
import { newAccessKey, newSessionKey } from '../secrets.ts';
import type { KeyRow } from '../store/store.ts';
import type { Ctx } from './context.ts';
import { HttpFail, parse } from './errors.ts';
import { KEY_CHECK_GROUP } from './rate-store.ts';
import { requireRep } from './rep-auth.ts';

/** Creates a key row for a session, retrying on the rare collision with a live key. */
export async function issueKey(ctx: Ctx, sessionId: string, repId: string, validityMin: number, usedAt: number | null = null): Promise<KeyRow> {
  const now = Date.now();
  for (let attempt = 0; attempt < 20; attempt++) {
    const key = newSessionKey();
    await ctx.store.deleteExpiredKey(key, now);
    if (await ctx.store.getKey(key)) continue;
    const row: KeyRow = { key, access_key: newAccessKey(), session_id: sessionId, rep_id: repId, created_at: now, expires_at: now + validityMin * 60_000, used_at: usedAt };
    try {
      await ctx.store.createKey(row);
      return row;
    } catch {
      // lost a race for this key text: try another
    }
  }
  throw new HttpFail(503, ErrorCode.Internal, 'could not allocate a session key, try again');
}

export function keyRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/api/session-keys', async (req): Promise<SessionKeyResponse> => {
    const rep = await requireRep(ctx, req);
    const body = parse(SessionKeyRequest, req.body);
    const queue: QueueRef = body.queue ?? { kind: 'personal', id: rep.id };
    if (queue.kind !== 'general' && !queue.id) throw new HttpFail(400, ErrorCode.Invalid, 'a team or personal queue needs an id');
    if (!ctx.hub.repCanSeeQueue(rep.id, queue)) throw new HttpFail(403, ErrorCode.Forbidden, 'you may not use that queue');
    const validity = Math.min(body.validityMin ?? ctx.config.sessionKeys.validityMin, ctx.config.sessionKeys.maxValidityMin);
    const ls = await ctx.hub.createSession({ queue, external_key: body.externalKey ?? null, created_by: rep.id });
    const row = await issueKey(ctx, ls.id, rep.id, validity);
    return { key: row.key, url: `${ctx.publicUrl()}/s/${row.access_key}`, accessKey: row.access_key, sessionId: ls.id, expiresAt: row.expires_at };
  });

  app.post('/api/sessions/join', { config: { rateLimit: { max: ctx.config.rateLimit.joinPerMin, timeWindow: 60_000, groupId: KEY_CHECK_GROUP } } }, async (req): Promise<JoinResponse> => {
    const body = parse(JoinRequest, req.body);
    const role = body.role ?? 'customer';
    let row: KeyRow | undefined;
    if (body.accessKey) row = await ctx.store.getKeyByAccess(body.accessKey);
    else if (body.key) row = await ctx.store.getKey(normalizeKey(body.key));
    else throw new HttpFail(400, ErrorCode.Invalid, 'give a session key or an access key');
    if (!row) throw new HttpFail(404, ErrorCode.NotFound, 'unknown session key: check it and try again, or ask your representative for a new one');
    const now = Date.now();
    const ls = await ctx.hub.load(row.session_id);
    if (!ls) throw new HttpFail(404, ErrorCode.NotFound, 'unknown session key');
    const expired = row.used_at === null && row.expires_at <= now;
    if (expired) throw new HttpFail(410, ErrorCode.Expired, 'this session key has expired: ask your representative for a new one');
    if (ls.closed) throw new HttpFail(410, ErrorCode.Ended, 'this support session has already ended');
    if (row.used_at === null) {
      if (!(await ctx.store.useKey(row.key, now)) && role === 'customer') throw new HttpFail(409, ErrorCode.Used, 'this session key has already been used');
    } else if (role === 'customer') {
      throw new HttpFail(409, ErrorCode.Used, 'this session key has already been used: ask your representative for a new one');
    }
    const name = body.name?.trim() || (ls.row.customer_name || 'Customer');
    if (!ls.row.customer_name || body.platform) {
      await ctx.hub.patch(ls, { customer_name: ls.row.customer_name || name, platform: body.platform ?? ls.row.platform });
    }
    const token = await createCustomerSide(ctx.store, ls.id, role, name);
    if (ls.row.state === 'pending') await ctx.hub.enqueue(ls, ls.queueRef);
    return { token, sessionId: ls.id, role, key: row.key };
  });
}
