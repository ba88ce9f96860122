// Click-to-chat (docs/ARCHITECTURE.md, "Click-to-chat"): the loader `/embed.js`, the endpoints it
// calls from the embedding page (`/api/embed/*`, cross-origin, checked against
// embed.allowedOrigins), and the chat served for its frame (`/embed/…`, framed only by those
// sites). The loader never gets more than the page could see anyway: availability, the look, and
// the one-time link of a session it started.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { join } from 'node:path';
import {
  EmbedMessageRequest, EmbedQueueQuery, EmbedStartRequest,
  type EmbedAvailability, type EmbedFields, type EmbedMessageResponse, type EmbedSettings, type EmbedStartResponse,
} from '../../protocol/api/embed.ts';
import { ErrorCode, type EmbedSource } from '../../protocol/index.ts';
import type { Ctx } from '../context.ts';
import { availability, embedQueue } from '../embed/availability.ts';
import { embeddingOrigin } from '../embed/origins.ts';
import { verifyPrefill, type VerifiedPrefill } from '../embed/signed-prefill.ts';
import { HttpFail, parse } from './errors.ts';
import { issueKey } from './keys.ts';
import { linkUrl, prefilledSession, queuedCustomerSession } from './prefill.ts';
import { KEY_CHECK_GROUP } from './rate-store.ts';
import { allowFraming } from './security-headers.ts';

/** Preflights are cached this long (seconds), so a click costs one round trip, not two. */
const PREFLIGHT_MAX_AGE = 600;

/** The embedding page's origin, checked by the scope's onRequest hook. */
const origins = new WeakMap<FastifyRequest, string>();
function originOf(req: FastifyRequest): string {
  return origins.get(req)!;
}

/** Trust follows the signature: signed fields are verified; an external key is taken only signed. */
async function prefillTrust(ctx: Ctx, origin: string, body: { fields: EmbedFields; signed?: EmbedStartRequest['signed'] }): Promise<{ verified: VerifiedPrefill | null; source: EmbedSource }> {
  const verified = body.signed ? await verifyPrefill(ctx.store, ctx.config, body.signed, body.fields) : null;
  if (!verified && body.fields.externalKey) {
    throw new HttpFail(400, ErrorCode.Invalid, 'an external key is taken only when the help desk signs it: add the signature (docs/INTEGRATIONS.md, "Click-to-chat") or leave the external key out');
  }
  return { verified, source: { origin, verifiedBy: verified?.by ?? null, verified: verified?.fields ?? [] } };
}

/** The page's fields as the session keeps them (trimmed once the signature has been checked). */
function customerFields(f: EmbedFields) {
  const t = (s: string | undefined) => (s ?? '').trim();
  return { name: t(f.name), company: t(f.company), email: t(f.email), issue: t(f.issue), description: t(f.description) };
}

function apiRoutes(scope: FastifyInstance, ctx: Ctx): void {
  // CORS for the embedding page. The refusal is readable too (its body is only the error), so
  // the loader can say why it shows nothing; nothing else is ever answered to an unlisted origin.
  scope.addHook('onRequest', async (req, reply) => {
    void reply.header('vary', 'Origin');
    const origin = req.headers.origin;
    if (origin && origin.length <= 300) void reply.header('access-control-allow-origin', origin);
    if (req.method === 'OPTIONS') {
      embeddingOrigin(ctx.config, origin);
      void reply.header('access-control-allow-methods', 'GET, POST').header('access-control-allow-headers', 'content-type').header('access-control-max-age', String(PREFLIGHT_MAX_AGE));
      return;
    }
    origins.set(req, embeddingOrigin(ctx.config, origin));
  });
  scope.options('/api/embed/*', async (_req, reply) => reply.status(204).send());

  scope.get('/api/embed/settings', async (req): Promise<EmbedSettings> => {
    const q = parse(EmbedQueueQuery, req.query);
    const { look, offline } = ctx.config.embed;
    return { companyName: ctx.settings.get().companyName, look, offline, availability: availability(ctx, embedQueue(ctx, q.queue)) };
  });

  scope.get('/api/embed/availability', async (req): Promise<EmbedAvailability> => {
    const q = parse(EmbedQueueQuery, req.query);
    return availability(ctx, embedQueue(ctx, q.queue));
  });

  const limited = { config: { rateLimit: { max: ctx.config.rateLimit.joinPerMin, timeWindow: 60_000, groupId: KEY_CHECK_GROUP } } };

  // A pending session with the page's fields and a one-time link, exactly like a help desk's
  // chat link: the chat opens the link (in the loader's frame or a popup) and joins as usual.
  scope.post('/api/embed/start', limited, async (req): Promise<EmbedStartResponse> => {
    const body = parse(EmbedStartRequest, req.body);
    const queue = embedQueue(ctx, body.queue);
    const { source } = await prefillTrust(ctx, originOf(req), body);
    const ls = await prefilledSession(ctx, {
      queue, customer: customerFields(body.fields), language: body.fields.language,
      ...(source.verified.includes('externalKey') ? { externalKey: body.fields.externalKey } : {}),
    }, { embed: JSON.stringify(source) });
    const row = await issueKey(ctx, ls.id, '', 'session', ctx.config.api.chatLinkValidityMin * 60_000);
    return { sessionId: ls.id, url: linkUrl(ctx, row.access_key, ls), frameUrl: linkUrl(ctx, row.access_key, ls, '/embed'), expiresAt: row.expires_at, verified: source.verified };
  });

  // Nobody available: the visitor's message becomes a queued session whose first line is the
  // message, waiting (never orphaned: nobody is there to wait) until a rep takes it.
  scope.post('/api/embed/message', limited, async (req): Promise<EmbedMessageResponse> => {
    const body = parse(EmbedMessageRequest, req.body);
    const queue = embedQueue(ctx, body.queue);
    const { source } = await prefillTrust(ctx, originOf(req), body);
    const c = customerFields(body.fields);
    const { ls } = await queuedCustomerSession(ctx, queue, {
      customer_name: c.name, company: c.company, email: c.email, issue: c.issue, description: c.description,
      language: body.fields.language ?? null, embed: JSON.stringify(source),
      ...(source.verified.includes('externalKey') ? { external_key: body.fields.externalKey } : {}),
    });
    await ctx.hub.transcript.append(ls, { role: 'customer', name: c.name }, { kind: 'chat', text: body.message.trim() });
    await ctx.hub.lifecycle.enqueue(ls, queue);
    await ctx.hub.sessions.patch(ls, { orphan_at: null });
    return { sessionId: ls.id, verified: source.verified };
  });
}

/** The chat for the loader's frame: the same app, framed only by the listed sites. */
function framedChat(ctx: Ctx, chatDir: string) {
  return (_req: FastifyRequest, reply: FastifyReply) => {
    allowFraming(reply, ctx.config.embed.allowedOrigins);
    return reply.sendFile('index.html', chatDir);
  };
}

export async function embedRoutes(app: FastifyInstance, ctx: Ctx, distDir: string): Promise<void> {
  await app.register(async (scope) => apiRoutes(scope, ctx));
  const embedDir = join(distDir, 'embed');
  // Short cache: a fix reaches every site within minutes; the file is a few KB.
  app.get('/embed.js', (_req, reply) => reply.header('cache-control', 'public, max-age=300').sendFile('embed.js', embedDir));
  const chatDir = join(distDir, 'web-chat');
  app.get('/embed/', framedChat(ctx, chatDir));
  app.get('/embed/chat', framedChat(ctx, chatDir));
  app.get('/embed/s/:accessKey', framedChat(ctx, chatDir));
}
