// Site settings in the Admin area: GET and PUT /api/admin/settings (docs/ARCHITECTURE.md,
// "Administration"). A PUT names any subset of the keys, each whole; every refused field comes
// back in `error.fields` by its dotted path, and nothing is stored unless all of them pass.
import type { FastifyInstance } from 'fastify';
import { ErrorCode, type SettingsResponse } from '../../protocol/index.ts';
import type { Ctx } from '../context.ts';
import { LiveSettings } from '../settings/live-settings.ts';
import { recordAudit } from './audit.ts';
import { HttpFail } from './errors.ts';
import { requireAdmin } from './rep-auth.ts';

export function adminSettingsRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/api/admin/settings', async (req): Promise<SettingsResponse> => {
    await requireAdmin(ctx, req);
    return { settings: ctx.settings.get() };
  });

  app.put('/api/admin/settings', async (req): Promise<SettingsResponse> => {
    const admin = await requireAdmin(ctx, req);
    const checked = LiveSettings.check(req.body ?? {});
    if (!checked.ok) {
      const n = checked.errors.length;
      throw new HttpFail(400, ErrorCode.Invalid, `${n} setting${n === 1 ? ' was' : 's were'} refused: ${checked.errors.map((e) => `${e.path || 'body'}: ${e.message}`).join('; ')}`, checked.errors);
    }
    const changes = await ctx.settings.update(checked.patch, admin.id);
    if (changes.length) await recordAudit(ctx, req, { id: admin.id, name: admin.username }, 'settings.changed', null, { changes });
    return { settings: ctx.settings.get() };
  });
}
