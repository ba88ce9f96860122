// The agent's local window, served on loopback only (docs/ARCHITECTURE.md "The server decides everything else"): random port, a random
// 128-bit token as the first path segment of every URL (HTTP and WebSocket), and Host/Origin
// checks so a page from the internet can't reach it through DNS rebinding or a cross-site
// request. Routes only; what the messages mean is decided by the session.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname } from 'node:path';
import * as v from 'valibot';
import { WebSocketServer, type WebSocket } from 'ws';
import { decode, encode, MAX_BULK_BYTES, toBytes, type Message } from '../../../protocol/index.ts';
import type { WindowAssets } from './assets.ts';
import { CLOSE_PATH, CloseRequest, ConsentRequest, DIAGNOSTICS_PATH, DiagnosticsAnswer, REBOOT_PATH, RebootAnswerBody, type AgentState, type DiagnosticsAskView, type RebootAskView, type WindowInfo, type WindowList } from '../local-api.ts';

export interface WindowHandlers {
  info(): WindowInfo;
  state(): AgentState;
  windows(): Promise<WindowList>;
  consent(req: ConsentRequest): void;
  /** The rep's open diagnostics request, and the customer's answer (false: nothing such is open). */
  diagnostics(): DiagnosticsAskView;
  answerDiagnostics(a: DiagnosticsAnswer): boolean;
  /** The rep's open restart request, and the customer's answer (false: nothing such is open). */
  reboot(): RebootAskView;
  answerReboot(a: RebootAnswerBody): boolean;
  /** The customer pressed Close after the end: finish now (as when the window closes). */
  close(): void;
  transcript(): Promise<string>;
  /** A protocol message from a window's chat store. */
  message(msg: Message, client: WindowClient): void;
  /** Window sockets opened/closed (the session ends after a grace when none is left). */
  clientsChanged(count: number): void;
}

export interface WindowClient { send(msg: Message): void; close(): void }

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.wav': 'audio/wav', '.mp3': 'audio/mpeg', '.json': 'application/json',
};
const MAX_BODY = 64 * 1024;

export class WindowServer {
  readonly token = randomBytes(16).toString('base64url');
  private server: Server | null = null;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BULK_BYTES });
  private readonly clients = new Set<WebSocket>();
  port = 0;

  constructor(private readonly assets: WindowAssets, private readonly h: WindowHandlers) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/${this.token}/`;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => void this.request(req, res).catch(() => this.fail(res, 500)));
    server.on('upgrade', (req, socket, head) => {
      if (!this.allowed(req, true) || this.route(req) !== 'ws') {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  broadcast(msg: Message): void {
    const bytes = encode(msg);
    for (const ws of this.clients) if (ws.readyState === ws.OPEN) ws.send(bytes);
  }

  async close(): Promise<void> {
    for (const ws of this.clients) ws.terminate();
    this.clients.clear();
    this.wss.close();
    if (!this.server) return;
    // Dropping the connections first: close() alone waits for every one still open to end.
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private origins(): string[] {
    return [`http://127.0.0.1:${this.port}`, `http://localhost:${this.port}`];
  }

  /** Host must be us (no rebinding); Origin, when sent (always for WS and POST), must be us too. */
  private allowed(req: IncomingMessage, needOrigin: boolean): boolean {
    const host = req.headers.host ?? '';
    if (!this.origins().some((o) => o === `http://${host}`)) return false;
    const origin = req.headers.origin;
    if (origin === undefined) return !needOrigin;
    return this.origins().includes(origin);
  }

  /** The path after the token, or null when the token is missing or wrong. */
  private route(req: IncomingMessage): string | null {
    const path = (req.url ?? '').split('?')[0];
    const m = /^\/([A-Za-z0-9_-]{1,64})\/(.*)$/.exec(path);
    if (!m) return null;
    const a = Buffer.from(m[1]), b = Buffer.from(this.token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
    return m[2];
  }

  private headers(res: ServerResponse, type: string): void {
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', `default-src 'self'; connect-src 'self' ws://127.0.0.1:${this.port} ws://localhost:${this.port}; img-src 'self' data: blob:; media-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'`);
  }

  private fail(res: ServerResponse, status: number): void {
    if (res.headersSent) { res.destroy(); return; }
    res.writeHead(status, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
    res.end(status === 403 ? 'forbidden' : status === 404 ? 'not found' : 'error');
  }

  private json(res: ServerResponse, body: unknown, status = 200): void {
    this.headers(res, 'application/json');
    res.writeHead(status);
    res.end(JSON.stringify(body));
  }

  private async request(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const post = req.method === 'POST';
    if (!this.allowed(req, post)) return this.fail(res, 403);
    const path = this.route(req);
    if (path === null) return this.fail(res, 404);
    if (post) {
      if (path !== 'consent' && path !== CLOSE_PATH && path !== DIAGNOSTICS_PATH && path !== REBOOT_PATH) return this.fail(res, 404);
      const body = await readBody(req);
      let parsed: unknown;
      try { parsed = JSON.parse(body ?? ''); } catch { return this.json(res, { error: 'invalid JSON' }, 400); }
      if (path === CLOSE_PATH) {
        if (!v.safeParse(CloseRequest, parsed).success) return this.json(res, { error: 'expected {}' }, 400);
        this.json(res, {});
        return this.h.close();
      }
      if (path === DIAGNOSTICS_PATH) {
        const a = v.safeParse(DiagnosticsAnswer, parsed);
        if (!a.success) return this.json(res, { error: a.issues[0].message }, 400);
        if (!this.h.answerDiagnostics(a.output)) return this.json(res, { error: 'this request is no longer open' }, 409);
        return this.json(res, {});
      }
      if (path === REBOOT_PATH) {
        const a = v.safeParse(RebootAnswerBody, parsed);
        if (!a.success) return this.json(res, { error: a.issues[0].message }, 400);
        if (!this.h.answerReboot(a.output)) return this.json(res, { error: 'this request is no longer open' }, 409);
        return this.json(res, {});
      }
      const r = v.safeParse(ConsentRequest, parsed);
      if (!r.success) return this.json(res, { error: r.issues[0].message }, 400);
      this.h.consent(r.output);
      return this.json(res, this.h.state());
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.fail(res, 405);
    switch (path) {
      case 'info': return this.json(res, this.h.info());
      case 'state': return this.json(res, this.h.state());
      case 'windows': return this.json(res, await this.h.windows());
      case DIAGNOSTICS_PATH: return this.json(res, this.h.diagnostics());
      case REBOOT_PATH: return this.json(res, this.h.reboot());
      case 'transcript': {
        const text = await this.h.transcript().catch(() => null);
        if (text === null) return this.fail(res, 502);
        this.headers(res, 'text/plain; charset=utf-8');
        res.writeHead(200);
        return void res.end(text);
      }
    }
    // Static files: only names that exist in the bundle directory, nothing path-like.
    const name = path === '' ? 'index.html' : path;
    if (!/^[A-Za-z0-9._-]+$/.test(name) || !this.assets.has(name)) return this.fail(res, 404);
    this.headers(res, TYPES[extname(name)] ?? 'application/octet-stream');
    res.writeHead(200);
    res.end(req.method === 'HEAD' ? undefined : this.assets.read(name));
  }

  private attach(ws: WebSocket): void {
    this.clients.add(ws);
    this.h.clientsChanged(this.clients.size);
    const client: WindowClient = {
      send: (msg) => { if (ws.readyState === ws.OPEN) ws.send(encode(msg)); },
      close: () => ws.close(),
    };
    ws.on('message', (data, isBinary) => {
      const bytes = isBinary ? toBytes(data) : null;
      if (!bytes) return;
      const r = decode(bytes);
      if (!r.ok) { client.send({ t: 'error', code: r.error.code, message: r.error.message }); return; }
      this.h.message(r.msg, client);
    });
    ws.on('close', () => {
      this.clients.delete(ws);
      this.h.clientsChanged(this.clients.size);
    });
    ws.on('error', () => {});
  }
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    let size = 0;
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_BODY) { req.destroy(); resolve(null); return; }
      parts.push(d);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}
