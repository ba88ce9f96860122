// The browser apps built by build-scripts/build.ts: the customer chat and portal at `/`
// (also `/s/<accessKey>` and `/chat`), the rep console at `/console/`.
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export async function staticRoutes(app: FastifyInstance, distDir: string): Promise<void> {
  const chat = join(distDir, 'web-chat');
  const consoleDir = join(distDir, 'console');
  for (const d of [chat, consoleDir]) if (!existsSync(d)) mkdirSync(d, { recursive: true });
  await app.register(fastifyStatic, { root: chat, prefix: '/', index: ['index.html'], wildcard: true });
  await app.register(fastifyStatic, { root: consoleDir, prefix: '/console/', index: ['index.html'], decorateReply: false });
  const chatIndex = (_req: unknown, reply: { sendFile(f: string, root: string): unknown }) => reply.sendFile('index.html', chat);
  app.get('/s/:accessKey', (req, reply) => chatIndex(req, reply));
  app.get('/chat', (req, reply) => chatIndex(req, reply));
  app.get('/console', (_req, reply) => reply.redirect('/console/'));
}
