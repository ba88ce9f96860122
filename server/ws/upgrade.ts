// WebSocket endpoints on Fastify's HTTP server (ws, noServer): /ws/customer, /ws/agent, /ws/rep.
// Rep upgrades need a valid login cookie, and a browser's Origin must be the server's own
// (a foreign page can't drive a rep's console session). Customer and agent sockets
// authenticate inside the protocol with their session-scoped token.
// Before a socket has said hello it may send only a few KiB (docs/SECURITY.md: pre-handshake
// memory), and one address holds at most `limits.connectionsPerAddress` sockets.
import fastifyCookie from '@fastify/cookie';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { KiB, MAX_BULK_BYTES, MAX_CONTROL_BYTES, type Role } from '../../protocol/index.ts';
import { logError } from '../log.ts';
import { addressKey, clientAddress, proxyTrust } from '../http/client-address.ts';
import type { Ctx } from '../context.ts';
import { REP_COOKIE, repForToken } from '../http/rep-auth.ts';
import { hashToken } from '../secrets.ts';
import { Peer } from './peer.ts';

const PATHS: Record<string, Role> = { '/ws/customer': 'customer', '/ws/agent': 'agent', '/ws/rep': 'rep' };
/**
 * Raw bytes a socket may send before its handshake succeeded. hello and resume are small (a rep's
 * resume lists one seq per open session: 64 KiB is room for ~2,000); anything more is cut off
 * at once, before `ws` buffers a large frame.
 */
export const HELLO_BYTES = 64 * KiB;

export interface WebSockets {
  closeAll(code: number, reason: string): void;
}

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

/** Cuts the socket off when it sends more than HELLO_BYTES before the handshake succeeded. */
function limitBeforeHello(socket: Duplex, head: Buffer, peer: Peer): void {
  let seen = head.length;
  const onData = (chunk: Buffer) => {
    if (peer.ready) { socket.off('data', onData); return; }
    seen += chunk.length;
    if (seen > HELLO_BYTES) socket.destroy();
  };
  socket.on('data', onData);
}

export function attachWebSockets(server: Server, ctx: Ctx, onPeer: (peer: Peer) => void): WebSockets {
  // Only the agent sends frames (up to 16 MiB); everyone else's largest message is a 256 KiB file
  // chunk. Twice the control limit, so a message slightly over it still gets a typed too_large.
  const bulk = new WebSocketServer({ noServer: true, maxPayload: MAX_BULK_BYTES, perMessageDeflate: false });
  const control = new WebSocketServer({ noServer: true, maxPayload: 2 * MAX_CONTROL_BYTES, perMessageDeflate: false });
  const trust = proxyTrust(ctx.config.trustProxy);
  const open = new Map<string, number>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    const role = PATHS[path];
    if (!role) return refuse(socket, 404, 'Not Found', 'not_found', 'no WebSocket endpoint here');
    socket.on('error', () => {});
    const address = addressKey(clientAddress(req, trust));
    const count = (open.get(address) ?? 0) + 1;
    open.set(address, count);
    socket.once('close', () => {
      const n = (open.get(address) ?? 1) - 1;
      if (n > 0) open.set(address, n);
      else open.delete(address);
    });
    if (count > ctx.config.limits.connectionsPerAddress) {
      return refuse(socket, 429, 'Too Many Requests', 'rate_limited', 'too many connections from your address: close other support windows, or try again in a minute');
    }
    const wss = role === 'agent' ? bulk : control;
    const upgrade = (make: (ws: WebSocket) => Peer) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        const peer = make(ws);
        limitBeforeHello(socket, head, peer);
        onPeer(peer);
      });
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
  return {
    closeAll(code, reason) {
      for (const wss of [bulk, control]) for (const ws of wss.clients) ws.close(code, reason);
    },
  };
}
