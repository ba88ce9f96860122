// The browser apps built by build-scripts/build.ts: the customer chat and portal at `/`
// (also `/s/<accessKey>` and `/chat`), the rep console at `/console/`.
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chatPageHandler } from './chat-page.ts';

export async function staticRoutes(app: FastifyInstance, distDir: string): Promise<void> {
  const chat = join(distDir, 'web-chat');
  const consoleDir = join(distDir, 'console');
  for (const d of [chat, consoleDir]) if (!existsSync(d)) mkdirSync(d, { recursive: true });
  // The page itself is served in the visitor's language (chat-page.ts); its assets as files.
  await app.register(fastifyStatic, { root: chat, prefix: '/', index: false, wildcard: true });
  await app.register(fastifyStatic, { root: consoleDir, prefix: '/console/', index: ['index.html'], decorateReply: false });
  const chatIndex = chatPageHandler(chat);
  app.get('/', chatIndex);
  app.get('/s/:accessKey', chatIndex);
  app.get('/chat', chatIndex);
  app.get('/console', (_req, reply) => reply.redirect('/console/'));
}
