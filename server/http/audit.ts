// The audit log over HTTP (docs/ARCHITECTURE.md, "Administration"): `recordAudit` is what every
// admin route and the login call after a change, and GET /api/admin/audit reads the log, newest
// first, filtered by actor, kind and time, paged by id. There is no route that changes or removes
// an entry, and the store has no query that could.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuditQuery, type AuditEntry, type AuditKind, type AuditPage } from '../../protocol/index.ts';
import type { Ctx } from '../context.ts';
import { logError } from '../log.ts';
import type { AuditRow } from '../store/audit-queries.ts';
import { parse } from './errors.ts';
import { requireAdmin } from './rep-auth.ts';

export interface AuditActor { id: string | null; name: string }

/** Appends one entry; a failure to write it is logged, never turned into a failed change. */
export async function recordAudit(ctx: Ctx, req: FastifyRequest, actor: AuditActor, kind: AuditKind, target: string | null, detail: unknown = {}): Promise<void> {
  await ctx.store.audit.append({
    at: Date.now(), actor_id: actor.id, actor_name: actor.name.slice(0, 200), address: req.ip, kind, target, detail: JSON.stringify(detail),
  }).catch(logError);
}

function entry(r: AuditRow): AuditEntry {
  return { id: r.id, at: r.at, actor: { id: r.actor_id, name: r.actor_name }, address: r.address, kind: r.kind as AuditKind, target: r.target, detail: JSON.parse(r.detail) as unknown };
}

export function auditRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/api/admin/audit', async (req): Promise<AuditPage> => {
    await requireAdmin(ctx, req);
    const q = parse(AuditQuery, req.query);
    const limit = q.limit ?? 100;
    const rows = await ctx.store.audit.list({ actorId: q.actor, kind: q.kind, from: q.from, to: q.to, beforeId: q.before, limit });
    return { entries: rows.map(entry), next: rows.length === limit ? rows[rows.length - 1].id : null };
  });
}
