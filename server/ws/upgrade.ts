// WebSocket endpoints on Fastify's HTTP server (ws, noServer): /ws/customer, /ws/agent, /ws/rep.
// Rep upgrades need a valid login cookie, and a browser's Origin must be the server's own
// (a foreign page can't drive a rep's console session). Customer and agent sockets
// authenticate inside the protocol with their session-scoped token.
import fastifyCookie from '@fastify/cookie';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_BULK_BYTES, type Role } from '../../protocol/index.ts';
import { logError } from '../core/hub.ts';
import type { Ctx } from '../http/context.ts';
import { REP_COOKIE, repForToken } from '../http/rep-auth.ts';
import { hashToken } from '../secrets.ts';
import { Peer } from './peer.ts';

const PATHS: Record<string, Role> = { '/ws/customer': 'customer', '/ws/agent': 'agent', '/ws/rep': 'rep' };

function refuse(socket: Duplex, status: number, text: string, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** The Origin a browser on this server would send: the configured public URL, or scheme://Host. */
export function originAllowed(ctx: Ctx, req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const allowed = new Set<string>([new URL(ctx.publicUrl()).origin]);
  if (req.headers.host) allowed.add(`${ctx.config.tls ? 'https' : 'http'}://${req.headers.host}`.toLowerCase());
  return allowed.has(origin.toLowerCase());
}

export function attachWebSockets(server: Server, ctx: Ctx, onPeer: (peer: Peer) => void): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BULK_BYTES, perMessageDeflate: false });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    const role = PATHS[path];
    if (!role) return refuse(socket, 404, 'Not Found', 'not_found', 'no WebSocket endpoint here');
    socket.on('error', () => {});
    const upgrade = (peer: (ws: WebSocket) => Peer) =>
      wss.handleUpgrade(req, socket, head, (ws) => onPeer(peer(ws)));
    if (role !== 'rep') return upgrade((ws) => new Peer(ws, role, null, null));
    if (!originAllowed(ctx, req)) return refuse(socket, 403, 'Forbidden', 'forbidden', 'foreign origin');
    const token = fastifyCookie.parse(req.headers.cookie ?? '')[REP_COOKIE];
    repForToken(ctx, token).then(
      (rep) => {
        if (!rep || !token) return refuse(socket, 401, 'Unauthorized', 'unauthorized', 'please log in as a representative');
        upgrade((ws) => {
          const p = new Peer(ws, 'rep', hashToken(token), token);
          p.repId = rep.id;
          return p;
        });
      },
      (e) => {
        logError(e);
        refuse(socket, 500, 'Internal Server Error', 'internal', 'internal error');
      },
    );
  });
  return wss;
}
