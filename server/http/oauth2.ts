// POST /oauth2/token: OAuth 2 client credentials (RFC 6749 §4.4). The client authenticates with
// HTTP Basic or with client_id and client_secret in the form body; errors are RFC 6749 §5.2's,
// not the rest of the server's {error:{code}}, because OAuth client libraries read them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { TokenRequest, type OAuthError, type TokenResponse } from '../../protocol/api/v1.ts';
import { checkClient, grantedScopes, issueToken } from '../api/accounts.ts';
import type { Ctx } from '../context.ts';

const FORM_LIMIT = 4096;

function fail(reply: FastifyReply, status: number, body: OAuthError, basic = false): OAuthError {
  if (basic) void reply.header('www-authenticate', 'Basic realm="bridge"');
  void reply.status(status);
  return body;
}

/** client_secret_basic: both parts are form-encoded before base64 (RFC 6749 §2.3.1). */
function basicCredentials(req: FastifyRequest): { id: string; secret: string } | null {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(h) : null;
  if (!m) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  try {
    return { id: decodeURIComponent(text.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(text.slice(colon + 1).replace(/\+/g, ' ')) };
  } catch {
    return null;
  }
}

export async function oauth2Routes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const limit = { rateLimit: { max: ctx.config.api.tokensPerMin, timeWindow: 60_000 } };
  app.post('/oauth2/token', { config: limit }, async (req, reply): Promise<TokenResponse | OAuthError> => {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const r = v.safeParse(TokenRequest, req.body ?? {});
    if (!r.success) return fail(reply, 400, { error: 'invalid_request', error_description: 'send grant_type=client_credentials as a form (application/x-www-form-urlencoded)' });
    const body = r.output;
    if (body.grant_type !== 'client_credentials') return fail(reply, 400, { error: 'unsupported_grant_type', error_description: 'only grant_type=client_credentials is supported' });
    const basic = basicCredentials(req);
    if (basic && body.client_secret) return fail(reply, 400, { error: 'invalid_request', error_description: 'authenticate either with HTTP Basic or with client_secret in the body, not both' });
    const id = basic?.id ?? body.client_id, secret = basic?.secret ?? body.client_secret;
    if (!id || !secret) return fail(reply, 401, { error: 'invalid_client', error_description: 'give client_id and client_secret (HTTP Basic or form fields)' }, true);
    const checkedAt = Date.now();
    const check = await checkClient(ctx.store, id, secret);
    const audit = (status: number) => check.account && ctx.store.api.audit({ account_id: check.account.id, at: Date.now(), action: 'POST /oauth2/token', status, address: req.ip });
    if (!check.ok) {
      await audit(401);
      const why = check.disabled ? 'this API account is disabled: ask an administrator' : 'unknown client or wrong secret';
      return fail(reply, 401, { error: 'invalid_client', error_description: why }, basic !== null);
    }
    const scopes = grantedScopes(check.account, body.scope);
    if (!scopes) {
      await audit(400);
      return fail(reply, 400, { error: 'invalid_scope', error_description: `this account may ask for: ${grantedScopes(check.account, undefined)!.join(' ')}` });
    }
    const token = await issueToken(ctx.store, check.account, scopes, ctx.config.api.tokenTtlSec, checkedAt);
    await audit(200);
    // The audit keeps `api.auditDays`; tokens come every few minutes, so this is a steady trim.
    await ctx.store.api.pruneAudit(checkedAt - ctx.config.api.auditDays * 86_400_000);
    return { access_token: token, token_type: 'Bearer', expires_in: ctx.config.api.tokenTtlSec, scope: scopes.join(' ') };
  });
}
