// Bearer authentication of /api/v1 (docs/ARCHITECTURE.md, "Help-desk integration"): every route
// names the scope it needs in its config; the token must carry it. Each call is counted against
// its account's budget and written to the audit log with its outcome.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../../../protocol/index.ts';
import type { ApiScope } from '../../../protocol/api/v1.ts';
import { callerForToken, type ApiCaller } from '../../api/accounts.ts';
import type { Ctx } from '../../context.ts';
import type { SharedCounts } from '../../core/shared-counts.ts';
import { logError } from '../../log.ts';
import { bearerToken } from '../bearer.ts';
import { HttpFail } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest { apiCaller?: ApiCaller }
  interface FastifyContextConfig { scope?: ApiScope }
}

/** Calls per account in the current minute; one entry per account, so it stays small. */
class AccountBudget {
  private readonly windows = new Map<string, { start: number; used: number }>();
  constructor(private readonly perMin: number) {}

  /** 0 when the call may go; otherwise ms until the next window. */
  take(accountId: string, now = Date.now()): number {
    let w = this.windows.get(accountId);
    if (!w || w.start + 60_000 <= now) this.windows.set(accountId, (w = { start: now, used: 0 }));
    if (w.used >= this.perMin) return w.start + 60_000 - now;
    w.used++;
    return 0;
  }
}

/** Installs the check on every route of `app` (the /api/v1 plugin) that names a scope. */
export function apiAuth(app: FastifyInstance, ctx: Ctx): void {
  const budget = new AccountBudget(ctx.config.api.requestsPerMin);

  /** Several nodes: the account's calls counted by all nodes together ("Several nodes"); on a failing count this node's own. */
  async function sharedWait(counts: SharedCounts, accountId: string): Promise<number> {
    try {
      const c = await counts.incr(`api-account:${accountId}`, 60_000);
      return c.current > ctx.config.api.requestsPerMin ? Math.max(1, c.ttl) : 0;
    } catch (e) {
      logError(e);
      return budget.take(accountId);
    }
  }

  async function authenticate(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const scope = req.routeOptions.config.scope;
    if (!scope) return;
    const token = bearerToken(req);
    const caller = token ? await callerForToken(ctx.store, token) : null;
    if (!caller) {
      void reply.header('www-authenticate', 'Bearer realm="bridge", error="invalid_token"');
      throw new HttpFail(401, ErrorCode.Unauthorized, 'a valid API token is needed: get one from POST /oauth2/token with your client id and secret');
    }
    req.apiCaller = caller;
    if (!caller.scopes.includes(scope)) {
      void reply.header('www-authenticate', `Bearer realm="bridge", error="insufficient_scope", scope="${scope}"`);
      throw new HttpFail(403, ErrorCode.Forbidden, `this call needs the "${scope}" scope: ask an administrator to add it to the API account, then get a new token`);
    }
    const wait = ctx.counts ? await sharedWait(ctx.counts, caller.account.id) : budget.take(caller.account.id);
    if (wait > 0) {
      void reply.header('retry-after', String(Math.ceil(wait / 1000)));
      throw new HttpFail(429, ErrorCode.RateLimited, `too many calls for this API account: try again in ${Math.ceil(wait / 1000)} s`);
    }
  }

  function audit(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const caller = req.apiCaller;
    if (caller) {
      const action = `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`;
      ctx.store.api.audit({ account_id: caller.account.id, at: Date.now(), action, status: reply.statusCode, address: req.ip }).catch(logError);
    }
    done();
  }

  app.addHook('onRequest', authenticate);
  app.addHook('onResponse', audit);
}
