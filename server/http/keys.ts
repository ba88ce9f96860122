// POST /api/session-keys (rep), POST /api/sessions/join (customer browser or agent) and
// POST /api/sessions/agent-key (customer). Keys are one-time for the browser customer. The agent
// may use a key after that, because it is downloaded with the key in its file name once the
// customer is in the chat, but only within the key's validity counted from when it was used,
// and only while no other agent is connected: a guessed key of a running session is worth
// nothing after that window. Later screen sharing gets a fresh key from the customer's token.
import type { FastifyInstance } from 'fastify';
import { ErrorCode, JoinRequest, normalizeKey, SessionKeyRequest, type AgentKeyResponse, type JoinResponse, type QueueRef, type SessionKeyResponse } from '../../protocol/index.ts';
import { createCustomerSide } from '../core/participants.ts';
import { newAccessKey, newSessionKey } from '../secrets.ts';
import type { LiveSession } from '../core/live-session.ts';
import type { KeyRow } from '../store/store.ts';
import type { Ctx } from './context.ts';
import { bearerParticipant } from './customer-auth.ts';
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

export type KeyVerdict = { ok: true } | { ok: false; status: 404 | 410; code: ErrorCode; message: string };

/** Whether the agent may be downloaded or join with this key now (one rule for both). */
export function agentKeyVerdict(row: KeyRow, ls: LiveSession | undefined, now = Date.now()): KeyVerdict {
  if (!ls) return { ok: false, status: 404, code: ErrorCode.NotFound, message: 'unknown session key: check it, or ask your representative for a new one' };
  if (ls.closed) return { ok: false, status: 410, code: ErrorCode.Ended, message: 'this support session has already ended' };
  // Unused: valid until it expires. Used: for as long again from the moment it was used.
  const closesAt = row.used_at === null ? row.expires_at : Math.max(row.expires_at, row.used_at + (row.expires_at - row.created_at));
  if (closesAt <= now) return { ok: false, status: 410, code: ErrorCode.Expired, message: 'this session key has expired: ask your representative to request screen sharing again, or for a new key' };
  return { ok: true };
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
    if (role === 'agent') {
      const verdict = agentKeyVerdict(row, ls, now);
      if (!verdict.ok) throw new HttpFail(verdict.status, verdict.code, verdict.message);
      // A restarted agent resumes with its own token; a second one by key is someone else.
      if (ls.agentPeers().length > 0) throw new HttpFail(409, ErrorCode.Conflict, 'the screen-sharing program is already running for this session; if you closed it, wait a minute and try again');
    }
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

  // The chat asks for this when the customer opens "Share my screen": a key for the agent's file
  // name, valid from now, that the browser join can't use (it is born used).
  app.post('/api/sessions/agent-key', { config: { rateLimit: { max: ctx.config.rateLimit.joinPerMin, timeWindow: 60_000, groupId: KEY_CHECK_GROUP } } }, async (req): Promise<AgentKeyResponse> => {
    const p = await bearerParticipant(ctx, req);
    if (!p || p.role !== 'customer') throw new HttpFail(401, ErrorCode.Unauthorized, 'this needs the customer token of a running session');
    const ls = await ctx.hub.load(p.session_id);
    if (!ls || ls.closed) throw new HttpFail(410, ErrorCode.Ended, 'this support session has already ended');
    const row = await issueKey(ctx, ls.id, ls.row.created_by ?? ls.row.primary_rep_id ?? '', ctx.config.sessionKeys.validityMin, Date.now());
    return { key: row.key, expiresAt: row.used_at! + (row.expires_at - row.created_at) };
  });
}
