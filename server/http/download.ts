// GET /download/:key/:platform — the packaged agent for a live agent key (from "Share my screen"), saved by the
// browser as bridge-agent-<KEY>[.exe]; GET /download/:key — the page with links and run
// instructions; GET /api/agent-platforms — which downloads are ready, being prepared (ready in
// about N s) or not set up here, so the chat offers only what can be served. The binary is the
// same for every key (the server origin is baked in at packaging time; nothing is appended
// here): the key travels only in the file name. Served with a Content-Encoding the browser
// understands (precompressed br / gzip, see build-scripts/packaging/compress.ts), so a customer
// downloads ≈ 30 MiB, not ≈ 110 MiB.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createGzip } from 'node:zlib';
import * as v from 'valibot';
import { ErrorCode, isWellFormedKey, normalizeKey, Platform, type AgentPlatformsResponse } from '../../protocol/index.ts';
import { AgentPreparer } from '../agent-downloads/agent-preparer.ts';
import { precompressAll, readyCompressed, type Encoding } from '../../build-scripts/packaging/compress.ts';
import { agentFileName, ALL_PLATFORMS, isPlatform } from '../../build-scripts/packaging/platforms.ts';
import { consoleProgress } from '../../build-scripts/packaging/progress.ts';
import type { Ctx } from '../context.ts';
import { HttpFail } from './errors.ts';
import { agentKeyVerdict, type KeyVerdict } from './keys.ts';
import { KEY_CHECK_GROUP } from './rate-store.ts';
import { requestLanguage } from './chat-page.ts';
import { DOWNLOAD_PAGE_CSS, DOWNLOAD_PAGE_CSS_PATH, downloadPageHtml } from './download-page.ts';

export type KeyCheck = KeyVerdict;

export interface DownloadDeps {
  /** The origin the agents must be built for (the server's public URL, known after listen). */
  origin(): string;
  checkKey(key: string): Promise<KeyCheck>;
  /** Platforms packaged in the background at start when missing or stale (npm start: all
   *  four; test servers: none unless they ask). Others are served only if already built. */
  packagePlatforms: Platform[];
  /** Agents live in <dataDir>/agents (bridge-agent-<platform>[.exe] + .json, .br, .gz). */
  dataDir: string;
  rateLimitPerMin: number;
}

/** BRIDGE_AGENT_PLATFORMS: a comma list of platforms to package (default: all). */
export function platformsFromEnv(raw: string | undefined): Platform[] {
  if (!raw?.trim()) return [...ALL_PLATFORMS];
  return raw.split(',').map((p) => p.trim()).filter((p): p is Platform => isPlatform(p));
}

/** Deps from the server's context: a key downloads while an agent could still join with it. */
export function downloadDepsFromCtx(ctx: Ctx): DownloadDeps {
  // Tests start many servers; only those that ask (BRIDGE_AGENT_PACKAGE=1) pay for packaging.
  const env = process.env.BRIDGE_AGENT_PACKAGE;
  const auto = env === '1' || (env !== '0' && process.env.BRIDGE_SKIP_BUILD !== '1');
  return {
    dataDir: ctx.config.dataDir,
    origin: () => ctx.publicUrl(),
    packagePlatforms: auto ? platformsFromEnv(process.env.BRIDGE_AGENT_PLATFORMS) : [],
    rateLimitPerMin: ctx.config.rateLimit.joinPerMin,
    // Only a live, unspent agent key downloads: the rep's key and used or expired agent keys don't.
    async checkKey(key) {
      const row = await ctx.store.getKey(key);
      return agentKeyVerdict(row, row && (await ctx.hub.sessions.load(row.session_id)));
    },
  };
}

/** Accept-Encoding → the encodings the client takes, best first (q=0 means "not this"). */
export function acceptedEncodings(header: string | undefined): Encoding[] {
  const q = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    q.set(name, qp ? Number(qp.slice(2)) || 0 : 1);
  }
  const star = q.get('*') ?? 0;
  const take = (e: string) => q.get(e) ?? (q.has(e) ? 0 : star);
  return (['br', 'gzip'] as Encoding[]).filter((e) => take(e) > 0).sort((a, b) => take(b) - take(a));
}

/** A download asked for while its platform is being packaged waits this long before a 503. */
const WAIT_FOR_BUILD_MS = 15_000;

export async function downloadRoutes(app: FastifyInstance, deps: DownloadDeps): Promise<void> {
  const preparer = new AgentPreparer({
    dataDir: deps.dataDir,
    origin: deps.origin,
    platforms: deps.packagePlatforms,
    progress: consoleProgress(process.stdout, 'bridge: agent '),
    log: (line) => console.log(`bridge: ${line}`),
  });
  // The origin is known once the server listens; packaging runs in the background from then on.
  app.server.once('listening', () => void preparer.start());

  async function agentFor(platform: Platform, reply: FastifyReply): Promise<string> {
    // A download right after start: wait a little for the build rather than fail.
    await preparer.settled(platform, WAIT_FOR_BUILD_MS);
    const st = preparer.state(platform);
    if (st.state === 'preparing') {
      void reply.header('retry-after', String(Math.min(60, st.readyInSec ?? 60)));
      throw new HttpFail(503, ErrorCode.Internal, `the agent download is being prepared: ready in about ${st.readyInSec} s`);
    }
    const file = st.state === 'ready' ? preparer.builtFile(platform) : null;
    if (file) return file;
    const failed = preparer.failure(platform);
    throw new HttpFail(404, ErrorCode.NotFound, failed
      ? `the ${platform} agent could not be prepared (${failed}); the administrator should check the server log`
      : `no ${platform} agent is packaged on this server; the administrator can add it with: npm run package-agent -- --server-url ${deps.origin()} --platform ${platform} --out ${preparer.dir}`);
  }

  async function validKey(raw: string): Promise<string> {
    const key = normalizeKey(raw);
    if (!isWellFormedKey(key)) throw new HttpFail(404, ErrorCode.NotFound, 'unknown session key: check it, or ask your representative for a new one');
    const check = await deps.checkKey(key);
    if (!check.ok) throw new HttpFail(check.status, check.code, check.message);
    return key;
  }

  const limited = { config: { rateLimit: { max: deps.rateLimitPerMin, timeWindow: 60_000, groupId: KEY_CHECK_GROUP } } };
  const statesNow = () => ALL_PLATFORMS.map((p) => preparer.state(p));

  app.get('/api/agent-platforms', async (_req, reply): Promise<AgentPlatformsResponse> => {
    void reply.header('cache-control', 'no-store');
    return { platforms: statesNow() };
  });

  app.get<{ Params: { key: string; platform: string } }>('/download/:key/:platform', limited, async (req, reply) => {
    const parsed = v.safeParse(Platform, req.params.platform);
    if (!parsed.success) throw new HttpFail(404, ErrorCode.NotFound, `unknown platform ${req.params.platform}; use one of ${ALL_PLATFORMS.join(', ')}`);
    const platform = parsed.output;
    const key = await validKey(req.params.key);
    const file = await agentFor(platform, reply);
    return sendAgent(req, reply, file, agentFileName(key, platform), deps.packagePlatforms.length > 0);
  });

  app.get(DOWNLOAD_PAGE_CSS_PATH, async (_req, reply) => {
    void reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8');
    return DOWNLOAD_PAGE_CSS;
  });

  app.get<{ Params: { key: string } }>('/download/:key', limited, async (req, reply) => {
    const key = await validKey(req.params.key);
    void reply.header('cache-control', 'no-store').header('vary', 'accept-language').type('text/html; charset=utf-8');
    return downloadPageHtml(key, statesNow(), req.headers['user-agent'], requestLanguage(req));
  });
}

function sendAgent(req: FastifyRequest, reply: FastifyReply, file: string, name: string, background: boolean): FastifyReply {
  void reply
    .header('content-type', 'application/octet-stream')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .header('vary', 'Accept-Encoding');
  const accepted = acceptedEncodings(req.headers['accept-encoding']);
  for (const enc of accepted) {
    const ready = readyCompressed(file, enc);
    // Serving a second-best encoding: make the best one for the next customer.
    if (ready && enc !== accepted[0] && background) void precompressAll(file).catch(() => {});
    if (ready) {
      void reply.header('content-encoding', enc).header('content-length', statSync(ready).size);
      return reply.send(createReadStream(ready));
    }
  }
  if (!existsSync(file)) throw new HttpFail(404, ErrorCode.NotFound, 'the agent file disappeared; retry in a minute');
  // No compressed copy yet (just built): make them for next time, and compress this one on the fly.
  if (background) void precompressAll(file).catch(() => {});
  if (accepted.includes('gzip')) {
    void reply.header('content-encoding', 'gzip');
    return reply.send(createReadStream(file).pipe(createGzip({ level: 6 })));
  }
  void reply.header('content-length', statSync(file).size);
  return reply.send(createReadStream(file));
}
