// GET /download/:key/:platform — the packaged agent for a valid session key, saved by the
// browser as bridge-agent-<KEY>[.exe]; GET /download/:key — the page with links and run
// instructions. The binary is the same for every key (the server origin is baked in at
// packaging time; nothing is appended here): the key travels only in the file name.
// Served with a Content-Encoding the browser understands (precompressed br / gzip, see
// build-scripts/packaging/compress.ts), so a customer downloads ≈ 30 MiB, not ≈ 110 MiB.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import * as v from 'valibot';
import { ErrorCode, isWellFormedKey, normalizeKey, Platform } from '../../protocol/index.ts';
import { ensureHostAgent, agentsDir } from '../../build-scripts/packaging/host-agent.ts';
import { precompressAll, readyCompressed, type Encoding } from '../../build-scripts/packaging/compress.ts';
import { binaryName, readBuildInfo } from '../../build-scripts/packaging/package.ts';
import { agentFileName, ALL_PLATFORMS, hostPlatform } from '../../build-scripts/packaging/platforms.ts';
import { consoleProgress } from '../../build-scripts/packaging/progress.ts';
import type { Ctx } from '../http/context.ts';
import { HttpFail } from '../http/errors.ts';
import { agentKeyVerdict, type KeyVerdict } from '../http/keys.ts';
import { KEY_CHECK_GROUP } from '../http/rate-store.ts';
import { downloadPageHtml, guessPlatform } from './download-page.ts';

export type KeyCheck = KeyVerdict;

export interface DownloadDeps {
  /** Where packaged agents live (bridge-agent-<platform>[.exe] + .json, .br, .gz). */
  agentsDir: string;
  /** The origin the agents must be built for (the server's public URL, known after listen). */
  origin(): string;
  checkKey(key: string): Promise<KeyCheck>;
  /** Package the host platform's agent at start when missing, and compress agents in the
   *  background (npm start: yes; test servers: only when they ask). */
  autoPackage: boolean;
  /** Where the automatic build writes its data (agentsDir is <dataDir>/agents). */
  dataDir: string;
  rateLimitPerMin: number;
}

/** Deps from the server's context: a key downloads while an agent could still join with it. */
export function downloadDepsFromCtx(ctx: Ctx): DownloadDeps {
  // Tests start many servers; only those that ask (BRIDGE_AGENT_PACKAGE=1) pay for packaging.
  const env = process.env.BRIDGE_AGENT_PACKAGE;
  return {
    agentsDir: agentsDir(ctx.config.dataDir),
    dataDir: ctx.config.dataDir,
    origin: () => ctx.publicUrl(),
    autoPackage: env === '1' || (env !== '0' && process.env.BRIDGE_SKIP_BUILD !== '1'),
    rateLimitPerMin: ctx.config.rateLimit.joinPerMin,
    async checkKey(key) {
      const row = await ctx.store.getKey(key);
      if (!row) return { ok: false, status: 404, code: ErrorCode.NotFound, message: 'unknown session key: check it, or ask your representative for a new one' };
      return agentKeyVerdict(row, await ctx.hub.load(row.session_id));
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

const WAIT_FOR_BUILD_MS = 15_000;

export async function downloadRoutes(app: FastifyInstance, deps: DownloadDeps): Promise<void> {
  let hostBuild: Promise<string> | null = null;
  let hostBuildError: Error | null = null;
  const host = hostPlatform();

  function startHostBuild(): void {
    const origin = deps.origin();
    if (!host || !deps.autoPackage || hostBuild || !origin) return;
    console.log(`bridge: preparing the ${host} agent for ${origin} (first start or agent changed)…`);
    hostBuild = ensureHostAgent({ origin, dataDir: deps.dataDir, progress: consoleProgress(process.stdout, 'bridge: agent ') });
    hostBuild.then(
      (file) => console.log(`bridge: ${host} agent ready: ${file}`),
      (err: Error) => {
        hostBuildError = err;
        hostBuild = null;
        console.error(`bridge: packaging the ${host} agent failed: ${err.message}`);
      },
    );
  }
  // The origin is known once the server listens; packaging runs in the background from then on.
  app.server.once('listening', () => {
    const poll = setInterval(() => {
      if (!deps.origin()) return;
      clearInterval(poll);
      startHostBuild();
    }, 50);
    poll.unref();
  });

  /** The agent file for a platform if it exists and is built for this server's origin. */
  function builtAgent(platform: Platform): string | null {
    const info = readBuildInfo(deps.agentsDir, platform);
    if (!info || info.serverUrl !== deps.origin().replace(/\/+$/, '')) return null;
    return join(deps.agentsDir, binaryName(platform));
  }

  const preparing = (reply: FastifyReply, message: string) => {
    void reply.header('retry-after', '60');
    return new HttpFail(503, ErrorCode.Internal, message);
  };

  async function agentFor(platform: Platform, reply: FastifyReply): Promise<string> {
    if (platform === host && hostBuild) {
      // A first download right after start: wait a little for the build rather than fail.
      const timeout = new Promise<null>((r) => setTimeout(() => r(null), WAIT_FOR_BUILD_MS).unref());
      const done = await Promise.race([hostBuild.catch(() => null), timeout]);
      if (!done) throw preparing(reply, 'the agent download is being prepared: retry in a minute');
    }
    const file = builtAgent(platform);
    if (file) return file;
    if (platform === host && deps.autoPackage) {
      if (hostBuildError) throw preparing(reply, `the agent could not be prepared (${hostBuildError.message}); the administrator should check the server log`);
      startHostBuild();
      throw preparing(reply, 'the agent download is being prepared: retry in a minute');
    }
    throw new HttpFail(404, ErrorCode.NotFound, `no ${platform} agent is packaged on this server; the administrator can add it with: npm run package-agent -- --server-url ${deps.origin()} --platform ${platform} --out ${deps.agentsDir}`);
  }

  async function validKey(raw: string): Promise<string> {
    const key = normalizeKey(raw);
    if (!isWellFormedKey(key)) throw new HttpFail(404, ErrorCode.NotFound, 'unknown session key: check it, or ask your representative for a new one');
    const check = await deps.checkKey(key);
    if (!check.ok) throw new HttpFail(check.status, check.code, check.message);
    return key;
  }

  const limited = { config: { rateLimit: { max: deps.rateLimitPerMin, timeWindow: 60_000, groupId: KEY_CHECK_GROUP } } };

  app.get<{ Params: { key: string; platform: string } }>('/download/:key/:platform', limited, async (req, reply) => {
    const parsed = v.safeParse(Platform, req.params.platform);
    if (!parsed.success) throw new HttpFail(404, ErrorCode.NotFound, `unknown platform ${req.params.platform}; use one of ${ALL_PLATFORMS.join(', ')}`);
    const platform = parsed.output;
    const key = await validKey(req.params.key);
    const file = await agentFor(platform, reply);
    return sendAgent(req, reply, file, agentFileName(key, platform), deps.autoPackage);
  });

  app.get<{ Params: { key: string } }>('/download/:key', limited, async (req, reply) => {
    const key = await validKey(req.params.key);
    const platforms = ALL_PLATFORMS.map((platform) => ({ platform, available: builtAgent(platform) !== null || (platform === host && deps.autoPackage) }));
    void reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
    return downloadPageHtml(key, platforms, guessPlatform(req.headers['user-agent']));
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
