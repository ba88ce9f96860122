// Canned chat messages: administrators keep them (/api/admin/canned), reps read the ones for
// everyone and for their teams (/api/rep/canned) and insert them in the chat. Reps also read the
// site's prepared notices here (/api/rep/notices), which they send from a session.
import type { FastifyInstance } from 'fastify';
import { CannedMessageRequest, ErrorCode, type CannedMessage } from '../../protocol/index.ts';
import { newId } from '../secrets.ts';
import type { CannedRow } from '../store/canned-queries.ts';
import type { Ctx } from '../context.ts';
import { recordAudit } from './audit.ts';
import { HttpFail, parse } from './errors.ts';
import { requireAdmin, requireRep } from './rep-auth.ts';

/** Tells every console to fetch its list again, so reps need not log in anew. */
const CHANGED = { t: 'canned.changed' } as const;

const view = (r: CannedRow): CannedMessage => ({ id: r.id, title: r.title, text: r.text, teamId: r.team_id });

export function cannedRoutes(app: FastifyInstance, ctx: Ctx): void {
  async function existing(id: string): Promise<CannedRow> {
    const row = await ctx.store.canned.get(id);
    if (!row) throw new HttpFail(404, ErrorCode.NotFound, 'no such canned message');
    return row;
  }
  function knownTeam(teamId: string | null | undefined): void {
    if (teamId && !ctx.dir.teams.has(teamId)) throw new HttpFail(404, ErrorCode.NotFound, 'no such team');
  }

  app.get('/api/rep/canned', async (req): Promise<{ messages: CannedMessage[] }> => {
    const rep = await requireRep(ctx, req);
    return { messages: (await ctx.store.canned.list(ctx.dir.teamsOf(rep.id))).map(view) };
  });

  // The site's prepared notices: every rep may send them, so every rep may read them.
  app.get('/api/rep/notices', async (req): Promise<{ notices: string[] }> => {
    await requireRep(ctx, req);
    return { notices: ctx.settings.get().repNotices };
  });

  app.get('/api/admin/canned', async (req): Promise<{ messages: CannedMessage[] }> => {
    await requireAdmin(ctx, req);
    return { messages: (await ctx.store.canned.list()).map(view) };
  });

  app.post('/api/admin/canned', async (req): Promise<{ message: CannedMessage }> => {
    const admin = await requireAdmin(ctx, req);
    const body = parse(CannedMessageRequest, req.body);
    knownTeam(body.teamId);
    const now = Date.now();
    const row = { id: newId(), title: body.title, text: body.text, team_id: body.teamId ?? null, created_at: now, updated_at: now };
    await ctx.store.canned.create(row);
    await recordAudit(ctx, req, { id: admin.id, name: admin.username }, 'canned.created', row.id, view(row));
    ctx.hub.consoles.sendAll(CHANGED);
    return { message: view(row) };
  });

  app.put<{ Params: { id: string } }>('/api/admin/canned/:id', async (req): Promise<{ message: CannedMessage }> => {
    const admin = await requireAdmin(ctx, req);
    const body = parse(CannedMessageRequest, req.body);
    const before = await existing(req.params.id);
    knownTeam(body.teamId);
    await ctx.store.canned.update(before.id, { title: body.title, text: body.text, team_id: body.teamId ?? null, updated_at: Date.now() });
    const after = view(await existing(before.id));
    await recordAudit(ctx, req, { id: admin.id, name: admin.username }, 'canned.changed', before.id, { before: view(before), after });
    ctx.hub.consoles.sendAll(CHANGED);
    return { message: after };
  });

  app.delete<{ Params: { id: string } }>('/api/admin/canned/:id', async (req) => {
    const admin = await requireAdmin(ctx, req);
    const before = await existing(req.params.id);
    await ctx.store.canned.remove(before.id);
    await recordAudit(ctx, req, { id: admin.id, name: admin.username }, 'canned.deleted', before.id, view(before));
    ctx.hub.consoles.sendAll(CHANGED);
    return { ok: true };
  });
}
