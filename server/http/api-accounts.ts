// Administrators manage the help-desk API's accounts: /api/admin/api-accounts (console login).
import type { FastifyInstance } from 'fastify';
import { CreateApiAccountRequest, UpdateApiAccountRequest, type ApiAccount, type ApiAccountSecret, type ApiAuditEntry } from '../../protocol/api/v1.ts';
import { ErrorCode } from '../../protocol/index.ts';
import { accountView, createAccount, endTokens, rotateSecret } from '../api/accounts.ts';
import type { Ctx } from '../context.ts';
import { HttpFail, parse } from './errors.ts';
import { recordAudit } from './audit.ts';
import { requireAdmin } from './rep-auth.ts';

export function apiAccountRoutes(app: FastifyInstance, ctx: Ctx): void {
  async function account(id: string) {
    const row = await ctx.store.api.get(id);
    if (!row) throw new HttpFail(404, ErrorCode.NotFound, 'no such API account');
    return row;
  }

  app.get('/api/admin/api-accounts', async (req): Promise<{ accounts: ApiAccount[] }> => {
    await requireAdmin(ctx, req);
    return { accounts: (await ctx.store.api.list()).map(accountView) };
  });

  app.post('/api/admin/api-accounts', async (req): Promise<ApiAccountSecret> => {
    const admin = await requireAdmin(ctx, req);
    const body = parse(CreateApiAccountRequest, req.body);
    const { row, secret } = await createAccount(ctx.store, body.name, [...new Set(body.scopes)], admin.id);
    await recordAudit(ctx, req, { id: admin.id, name: admin.username }, 'integration.changed', `POST /api/admin/api-accounts/${row.id}`, body);
    return { account: accountView(row), clientSecret: secret };
  });

  app.patch<{ Params: { id: string } }>('/api/admin/api-accounts/:id', async (req): Promise<{ account: ApiAccount }> => {
    const admin = await requireAdmin(ctx, req);
    const body = parse(UpdateApiAccountRequest, req.body);
    await account(req.params.id);
    await ctx.store.api.update(req.params.id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.scopes !== undefined ? { scopes: JSON.stringify([...new Set(body.scopes)]) } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled ? 1 : 0 } : {}),
    });
    // Fewer scopes or a disabled account take effect now, not when tokens expire.
    if (body.scopes !== undefined || body.enabled === false) await endTokens(ctx.store, req.params.id);
    await recordAudit(ctx, req, { id: admin.id, name: admin.username }, 'integration.changed', `PATCH /api/admin/api-accounts/${req.params.id}`, body);
    return { account: accountView(await account(req.params.id)) };
  });

  app.post<{ Params: { id: string } }>('/api/admin/api-accounts/:id/secret', async (req): Promise<ApiAccountSecret> => {
    const admin = await requireAdmin(ctx, req);
    await account(req.params.id);
    const secret = await rotateSecret(ctx.store, req.params.id);
    await recordAudit(ctx, req, { id: admin.id, name: admin.username }, 'integration.changed', `POST /api/admin/api-accounts/${req.params.id}/secret`);
    return { account: accountView(await account(req.params.id)), clientSecret: secret };
  });

  app.delete<{ Params: { id: string } }>('/api/admin/api-accounts/:id', async (req): Promise<{ ok: true }> => {
    const admin = await requireAdmin(ctx, req);
    await account(req.params.id);
    await ctx.store.api.remove(req.params.id);
    await recordAudit(ctx, req, { id: admin.id, name: admin.username }, 'integration.changed', `DELETE /api/admin/api-accounts/${req.params.id}`);
    return { ok: true };
  });

  app.get<{ Params: { id: string }; Querystring: { limit?: string; before?: string } }>('/api/admin/api-accounts/:id/audit', async (req): Promise<{ entries: ApiAuditEntry[] }> => {
    await requireAdmin(ctx, req);
    await account(req.params.id);
    const limit = Math.min(Math.max(Number(req.query.limit) || 100, 1), 500);
    const before = Number(req.query.before) || undefined;
    const rows = await ctx.store.api.auditLog(req.params.id, limit, before);
    return { entries: rows.map((r) => ({ at: r.at, clientId: r.account_id, action: r.action, status: r.status, address: r.address })) };
  });
}
