// POST /api/session-keys (rep), POST /api/sessions/join (customer browser or agent) and
// POST /api/sessions/agent-key (customer). Two kinds of key (docs/ARCHITECTURE.md "Session keys
// and agent keys"): the rep's session key and its link's access key admit the browser customer,
// once, and nothing else; an agent key, minted from the customer's own token, admits one agent,
// once, within a few minutes. So whoever reads a key or link in an e-mail, a proxy log or the
// browser history can't start an agent, and a customer's agent is always one they asked for.
import type { FastifyInstance } from 'fastify';
import { ErrorCode, JoinRequest, normalizeKey, ReconnectRequest, SessionKeyRequest, type AgentKeyResponse, type JoinResponse, type QueueRef, type SessionKeyResponse } from '../../protocol/index.ts';
import { createCustomerSide } from '../core/participants.ts';
import { newAccessKey, newSessionKey } from '../secrets.ts';
import type { LiveSession } from '../core/live-session.ts';
import type { KeyKind } from '../store/schema.ts';
import type { KeyRow } from '../store/store.ts';
import type { Ctx } from '../context.ts';
import { bearerParticipant } from './customer-auth.ts';
import { HttpFail, parse } from './errors.ts';
import { KEY_CHECK_GROUP } from './rate-store.ts';
import { requireRep } from './rep-auth.ts';

/** Creates a key row for a session, retrying on the rare collision with a live key. */
export async function issueKey(ctx: Ctx, sessionId: string, repId: string, kind: KeyKind, validityMs: number): Promise<KeyRow> {
  const now = Date.now();
  for (let attempt = 0; attempt < 20; attempt++) {
    const key = newSessionKey();
    await ctx.store.deleteExpiredKey(key, now);
    if (await ctx.store.getKey(key)) continue;
    // Agent keys get an access key too (the column is unique); nothing accepts it.
    const row: KeyRow = { key, access_key: newAccessKey(), session_id: sessionId, rep_id: repId, kind, created_at: now, expires_at: now + validityMs, used_at: null };
    try {
      await ctx.store.createKey(row);
      return row;
    } catch {
      // lost a race for this key text: try another
    }
  }
  throw new HttpFail(503, ErrorCode.Internal, 'could not allocate a session key, try again');
}

export type KeyVerdict = { ok: true } | { ok: false; status: 403 | 404 | 409 | 410; code: ErrorCode; message: string };

const UNKNOWN: KeyVerdict = { ok: false, status: 404, code: ErrorCode.NotFound, message: 'unknown session key: check it, or ask your representative for a new one' };

/** Whether the agent may be downloaded or join with this key now (one rule for both). */
export function agentKeyVerdict(row: KeyRow | undefined, ls: LiveSession | undefined, now = Date.now()): KeyVerdict {
  if (!row || !ls) return UNKNOWN;
  if (row.kind !== 'agent') {
    return { ok: false, status: 403, code: ErrorCode.Forbidden, message: 'this is the key for the chat, not for the screen-sharing program: open the chat in your browser with it and choose "Share my screen" there' };
  }
  if (ls.closed) return { ok: false, status: 410, code: ErrorCode.Ended, message: 'this support session has already ended' };
  if (row.used_at !== null) {
    return { ok: false, status: 409, code: ErrorCode.Used, message: 'this screen-sharing program was already started once: download it again from the chat ("Share my screen")' };
  }
  if (row.expires_at <= now) {
    return { ok: false, status: 410, code: ErrorCode.Expired, message: 'this screen-sharing download has expired: download it again from the chat ("Share my screen")' };
  }
  return { ok: true };
}

export function keyRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/api/session-keys', async (req): Promise<SessionKeyResponse> => {
    const rep = await requireRep(ctx, req);
    const body = parse(SessionKeyRequest, req.body);
    const queue: QueueRef = body.queue ?? { kind: 'personal', id: rep.id };
    if (queue.kind !== 'general' && !queue.id) throw new HttpFail(400, ErrorCode.Invalid, 'a team or personal queue needs an id');
    if (!ctx.hub.queues.repCanSeeQueue(rep.id, queue)) throw new HttpFail(403, ErrorCode.Forbidden, 'you may not use that queue');
    const { sessionKeys } = ctx.settings.get();
    const validity = Math.min(body.validityMin ?? sessionKeys.validityMin, sessionKeys.maxValidityMin);
    const ls = await ctx.hub.lifecycle.create({ queue, external_key: body.externalKey ?? null, created_by: rep.id });
    const row = await issueKey(ctx, ls.id, rep.id, 'session', validity * 60_000);
    return { key: row.key, url: `${ctx.publicUrl()}/s/${row.access_key}`, accessKey: row.access_key, sessionId: ls.id, expiresAt: row.expires_at };
  });

  app.post('/api/sessions/join', { config: { rateLimit: { max: ctx.config.rateLimit.joinPerMin, timeWindow: 60_000, groupId: KEY_CHECK_GROUP } } }, async (req): Promise<JoinResponse> => {
    const body = parse(JoinRequest, req.body);
    const role = body.role ?? 'customer';
    let row: KeyRow | undefined;
    if (body.accessKey) {
      // A link travels in e-mail and URLs: it opens the browser chat and nothing else.
      if (role !== 'customer') throw new HttpFail(403, ErrorCode.Forbidden, 'a session link opens the chat in the browser; the screen-sharing program is downloaded from the chat ("Share my screen")');
      row = await ctx.store.getKeyByAccess(body.accessKey);
    } else if (body.key) row = await ctx.store.getKey(normalizeKey(body.key));
    else throw new HttpFail(400, ErrorCode.Invalid, 'give a session key or an access key');
    if (!row) throw new HttpFail(404, ErrorCode.NotFound, 'unknown session key: check it and try again, or ask your representative for a new one');
    const now = Date.now();
    const ls = await ctx.hub.sessions.load(row.session_id);
    if (!ls) throw new HttpFail(404, ErrorCode.NotFound, 'unknown session key');
    if (role === 'agent') return joinAgent(ctx, row, ls, body, now);
    if (row.kind !== 'session') throw new HttpFail(403, ErrorCode.Forbidden, 'this key belongs to the screen-sharing program: run the program you downloaded, or ask your representative for a session key');
    if (row.used_at === null && row.expires_at <= now) throw new HttpFail(410, ErrorCode.Expired, 'this session key has expired: ask your representative for a new one');
    if (ls.closed) throw new HttpFail(410, ErrorCode.Ended, 'this support session has already ended');
    if (row.used_at !== null || !(await ctx.store.useKey(row.key, now))) {
      throw new HttpFail(409, ErrorCode.Used, 'this session key has already been used: ask your representative for a new one');
    }
    const name = body.name?.trim() || (ls.row.customer_name || 'Customer');
    if (!ls.row.customer_name || body.platform) {
      await ctx.hub.sessions.patch(ls, { customer_name: ls.row.customer_name || name, platform: body.platform ?? ls.row.platform });
    }
    const token = await createCustomerSide(ctx.store, ls.id, 'customer', name);
    if (ls.row.state === 'pending') await ctx.hub.lifecycle.enqueue(ls, ls.queueRef);
    return { token, sessionId: ls.id, role, key: row.key };
  });

  // The agent started after a restart rejoins its session with the one credential it kept
  // (docs/ARCHITECTURE.md, "Reboot and reconnect"); the same limit against guessing as keys.
  app.post('/api/sessions/reconnect', { config: { rateLimit: { max: ctx.config.rateLimit.joinPerMin, timeWindow: 60_000, groupId: KEY_CHECK_GROUP } } }, async (req): Promise<JoinResponse> => {
    const { credential } = parse(ReconnectRequest, req.body);
    const sessionId = credential.split('.')[0];
    const ls = /^[A-Za-z0-9_-]{1,64}$/.test(sessionId) ? await ctx.hub.sessions.load(sessionId) : undefined;
    const verdict = ctx.hub.reboots.check(ls, credential);
    if (!verdict.ok) {
      if (verdict.why === 'ended') throw new HttpFail(410, ErrorCode.Ended, 'this support session ended while your computer restarted: start a new one from the support page if you still need help');
      if (verdict.why === 'expired') throw new HttpFail(410, ErrorCode.Expired, 'your computer took too long to restart for this support session: open the support chat again to continue');
      throw new HttpFail(404, ErrorCode.NotFound, 'this reconnect credential is not known');
    }
    const session = ls!;
    // The agent that left for the restart may still look connected (a computer that powers off
    // closes no socket); it has gone, and only the holder of this credential comes back.
    for (const p of session.agentPeers()) p.ws.terminate();
    // Spent at once: the wait ends here, so the same credential can't join twice.
    const token = await createCustomerSide(ctx.store, session.id, 'agent', session.row.customer_name || 'Customer', verdict.wait.since);
    await ctx.hub.reboots.reconnected(session, verdict.wait);
    return { token, sessionId: session.id, role: 'agent', key: '' };
  });

  // The chat asks for this when the customer opens "Share my screen": a key for the agent's file
  // name, valid for `sessionKeys.agentValiditySec` and for one agent join.
  app.post('/api/sessions/agent-key', { config: { rateLimit: { max: ctx.config.rateLimit.joinPerMin, timeWindow: 60_000, groupId: KEY_CHECK_GROUP } } }, async (req): Promise<AgentKeyResponse> => {
    const p = await bearerParticipant(ctx, req);
    if (!p || p.role !== 'customer') throw new HttpFail(401, ErrorCode.Unauthorized, 'this needs the customer token of a running session');
    const ls = await ctx.hub.sessions.load(p.session_id);
    if (!ls || ls.closed) throw new HttpFail(410, ErrorCode.Ended, 'this support session has already ended');
    const row = await issueKey(ctx, ls.id, ls.row.created_by ?? ls.row.primary_rep_id ?? '', 'agent', ctx.settings.get().sessionKeys.agentValiditySec * 1000);
    return { key: row.key, expiresAt: row.expires_at };
  });
}

/** An agent join spends its agent key; its transcript starts when the customer asked for the key. */
async function joinAgent(ctx: Ctx, row: KeyRow, ls: LiveSession, body: JoinRequest, now: number): Promise<JoinResponse> {
  const verdict = agentKeyVerdict(row, ls, now);
  if (!verdict.ok) throw new HttpFail(verdict.status, verdict.code, verdict.message);
  // A restarted agent resumes with its own token; a second one at the same time is a mistake.
  if (ls.agentPeers().length > 0) throw new HttpFail(409, ErrorCode.Conflict, 'the screen-sharing program is already running for this session; if you closed it, wait a minute and try again');
  if (!(await ctx.store.useKey(row.key, now))) throw new HttpFail(409, ErrorCode.Used, 'this screen-sharing program was already started once: download it again from the chat ("Share my screen")');
  if (body.platform) await ctx.hub.sessions.patch(ls, { platform: body.platform });
  const name = body.name?.trim() || ls.row.customer_name || 'Customer';
  const token = await createCustomerSide(ctx.store, ls.id, 'agent', name, row.created_at);
  return { token, sessionId: ls.id, role: 'agent', key: row.key };
}
