// The client end of the no-loss protocol (docs/ARCHITECTURE.md "No loss"), shared by the browser chat, the
// console and the agent: handshake, reconnect with resume, an outbox of unacknowledged
// messages resent after reconnect, and events deduplicated by their per-session seq.
// Works with the browser's WebSocket and with `ws` alike (anything shaped like SocketLike).
import { decode, encode, toBytes } from './codec.ts';
import { CLOSE_LOGIN_ENDED, ErrorCode } from './errors.ts';
import type { Message, Msg, ReliableMessage, Role } from './messages/index.ts';
import { PROTOCOL_VERSION } from './version.ts';

export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'closed';

export interface ConnectionOptions {
  url: string;
  role: Role;
  credential: string;
  createSocket: (url: string) => SocketLike;
  onMessage: (msg: Message) => void;
  onWelcome?: (msg: Msg<'welcome'>) => void;
  onStatus?: (status: ConnectionStatus, error?: Msg<'error'>) => void;
  client?: Msg<'hello'>['client'];
  /** Reconnect delays in ms; the last repeats. */
  backoffMs?: number[];
  /** Give up after this long without a connection (ms); 0 = never. */
  giveUpAfterMs?: number;
  /**
   * While online, ping the server this often (ms); nothing heard for twice as long means the
   * connection is dead without a close (half-open: Wi-Fi gone, NAT timeout), so the socket is
   * dropped and the connection resumes on a new one. 0 = off.
   */
  heartbeatMs?: number;
}

/** Refusals of a reliable message that a resend may overcome; any other refusal is final for it. */
const TRANSIENT = new Set<string>([ErrorCode.Internal, ErrorCode.RateLimited]);

/** Handshake errors after which reconnecting cannot help. */
const FATAL = new Set<string>([ErrorCode.Unauthorized, ErrorCode.Forbidden, ErrorCode.VersionMismatch, ErrorCode.Ended, ErrorCode.Expired, ErrorCode.Used, ErrorCode.NotFound]);

let idCounter = 0;
/** A client message id, unique enough across reloads (time + random + counter). */
export function newClientId(): string {
  const rnd = Math.floor(Math.random() * 0xffffffff).toString(36);
  return `${Date.now().toString(36)}-${rnd}-${(idCounter++).toString(36)}`;
}

export class Connection {
  status: ConnectionStatus = 'connecting';
  welcome: Msg<'welcome'> | null = null;
  /** Highest event seq seen per session. */
  readonly lastSeq: Record<string, number> = {};
  private socket: SocketLike | null = null;
  private readonly outbox = new Map<string, { msg: ReliableMessage; resolve: (seq: number) => void; reject: (e: Error) => void }>();
  private resumeToken: string | null = null;
  private attempt = 0;
  private offlineSince = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private lastHeard = 0;
  private closed = false;
  /** Set by a refusal that makes reconnecting pointless; ends the connection when the socket closes. */
  private fatal: Msg<'error'> | undefined;
  /** Resends of messages the server asked to wait (rate_limited with retryAfterMs), by client id. */
  private readonly retries = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly opts: ConnectionOptions) {
    this.open();
  }

  /** Fire-and-forget (typing, frames, input): sent only while online, dropped otherwise. */
  send(msg: Message): boolean {
    if (this.status !== 'online' || !this.socket) return false;
    this.socket.send(encode(msg));
    return true;
  }

  /** Stored and acknowledged: kept until the server acks it, resent after reconnects. */
  sendReliable(msg: ReliableMessage): Promise<number> {
    const acked = new Promise<number>((resolve, reject) => {
      this.outbox.set(msg.id, { msg, resolve, reject });
      if (this.status === 'online') this.socket?.send(encode(msg));
    });
    // Many callers fire and forget; closing with such a message unacked must not become an
    // unhandled rejection (that ends a Node process). Callers that await still see the error.
    acked.catch(() => {});
    return acked;
  }

  /** Messages still waiting for their ack, oldest first. */
  pending(): ReliableMessage[] {
    return [...this.outbox.values()].map((p) => p.msg);
  }

  get bufferedAmount(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const t of this.retries.values()) clearTimeout(t);
    this.retries.clear();
    this.setStatus('closed');
    this.socket?.close(1000, 'bye');
    for (const p of this.outbox.values()) p.reject(new Error('connection closed'));
    this.outbox.clear();
  }

  /** Drop the socket without closing the connection: it reconnects and resumes (tests, network change). */
  reconnectNow(): void {
    this.socket?.close(4000, 'reconnect');
  }

  private setStatus(status: ConnectionStatus, error?: Msg<'error'>): void {
    if (this.status === status && !error) return;
    this.status = status;
    this.opts.onStatus?.(status, error);
  }

  private open(): void {
    if (this.closed) return;
    let socket: SocketLike;
    try {
      socket = this.opts.createSocket(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.fatal = undefined;
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => this.onOpen(socket);
    socket.onmessage = (ev) => this.onSocketMessage(socket, ev.data);
    socket.onerror = () => {};
    socket.onclose = (ev) => this.onClose(socket, ev);
  }

  /** The first message: resume where we were, or a fresh hello. */
  private onOpen(socket: SocketLike): void {
    const first: Message = this.resumeToken
      ? { t: 'resume', v: PROTOCOL_VERSION, role: this.opts.role, resumeToken: this.resumeToken, lastSeq: { ...this.lastSeq } }
      : { t: 'hello', v: PROTOCOL_VERSION, role: this.opts.role, credential: this.opts.credential, ...(this.opts.client ? { client: this.opts.client } : {}) };
    socket.send(encode(first));
  }

  private onSocketMessage(socket: SocketLike, data: unknown): void {
    // A socket given up on (reconnectNow) may still deliver: the resume replays what it had.
    if (this.socket !== socket) return;
    this.lastHeard = Date.now();
    const bytes = toBytes(data);
    if (!bytes) return;
    const r = decode(bytes);
    if (!r.ok) return; // A server never sends junk; if it does, ignoring it beats crashing.
    const msg = r.msg;
    if (msg.t === 'welcome') return this.onWelcome(socket, msg);
    if (msg.t === 'error' && this.status !== 'online') return this.onHandshakeError(msg);
    if (msg.t === 'pong') return; // the heartbeat's answer: being heard is all it was for
    if (msg.t === 'error' && msg.ref) this.onRefused(msg, msg.ref);
    if (msg.t === 'ack') this.settle(msg.id, msg.seq);
    if (msg.t === 'event') {
      const last = this.lastSeq[msg.sessionId] ?? 0;
      if (msg.seq <= last) return; // replayed twice: already delivered
      this.lastSeq[msg.sessionId] = msg.seq;
      if (msg.id) this.settle(msg.id, msg.seq);
    }
    this.opts.onMessage(msg);
  }

  private onWelcome(socket: SocketLike, msg: Msg<'welcome'>): void {
    this.welcome = msg;
    this.resumeToken = msg.resumeToken;
    this.attempt = 0;
    this.setStatus('online');
    this.startHeartbeat();
    this.opts.onWelcome?.(msg);
    for (const p of this.outbox.values()) socket.send(encode(p.msg));
  }

  /** Refused before welcome: a stale resume token falls back to a fresh hello; a fatal code ends. */
  private onHandshakeError(msg: Msg<'error'>): void {
    if (this.resumeToken && msg.code === ErrorCode.Unauthorized) this.resumeToken = null;
    else if (FATAL.has(msg.code)) this.fatal = msg;
    this.opts.onMessage(msg);
  }

  /** The server refused a waiting message: for good (ended, forbidden, invalid...) it leaves the
   *  outbox and its sender hears why; rate-limited ones go again when the server says they may. */
  private onRefused(msg: Msg<'error'>, ref: string): void {
    if (!TRANSIENT.has(msg.code)) {
      const p = this.outbox.get(ref);
      if (p) { this.outbox.delete(ref); p.reject(new Error(msg.message)); }
    }
    if (msg.code === ErrorCode.RateLimited) this.resendLater(ref, msg.retryAfterMs ?? 1000);
  }

  /** A waiting message is stored (its ack, or its own event seen first). */
  private settle(id: string, seq: number): void {
    const p = this.outbox.get(id);
    if (p) { this.outbox.delete(id); p.resolve(seq); }
  }

  private onClose(socket: SocketLike, ev: { code: number; reason: string }): void {
    if (this.socket !== socket) return;
    this.socket = null;
    if (this.closed) return;
    // The login behind this socket ended: reconnecting would only be refused.
    if (ev.code === CLOSE_LOGIN_ENDED) this.fatal = { t: 'error', code: ErrorCode.Unauthorized, message: ev.reason || 'your login has ended: please log in again' };
    if (this.fatal) {
      this.closed = true;
      this.setStatus('closed', this.fatal);
      for (const p of this.outbox.values()) p.reject(new Error(this.fatal.message));
      this.outbox.clear();
      return;
    }
    if (this.status === 'online' || this.offlineSince === 0) this.offlineSince = Date.now();
    this.setStatus('offline');
    this.scheduleReconnect();
  }

  /** Sends a waiting message again once the server said it may (a reconnect resends it anyway). */
  private resendLater(id: string, ms: number): void {
    if (!this.outbox.has(id)) return;
    clearTimeout(this.retries.get(id));
    const t = setTimeout(() => {
      this.retries.delete(id);
      const p = this.outbox.get(id);
      if (p && this.status === 'online') this.socket?.send(encode(p.msg));
    }, ms);
    (t as { unref?: () => void }).unref?.();
    this.retries.set(id, t);
  }

  private startHeartbeat(): void {
    const every = this.opts.heartbeatMs ?? 20_000;
    if (every <= 0 || this.heartbeat) return;
    let pingedAt = 0;
    // Dead = a ping went out and nothing at all came back for a whole period (throttled timers in
    // background tabs only make the periods longer, never a live connection look dead).
    this.heartbeat = setInterval(() => {
      const socket = this.socket;
      if (this.status !== 'online' || !socket) { pingedAt = 0; return; }
      if (pingedAt && this.lastHeard < pingedAt && Date.now() - pingedAt >= every) {
        // Don't wait for a close handshake that can't complete: forget this socket, resume on a new one.
        pingedAt = 0;
        this.socket = null;
        socket.onclose = socket.onmessage = socket.onerror = null;
        try { socket.close(4001, 'no answer'); } catch { /* already gone */ }
        this.offlineSince = Date.now();
        this.setStatus('offline');
        this.scheduleReconnect();
        return;
      }
      pingedAt = Date.now();
      socket.send(encode({ t: 'ping', ts: pingedAt }));
    }, every);
    (this.heartbeat as { unref?: () => void }).unref?.();
  }

  private scheduleReconnect(): void {
    const giveUp = this.opts.giveUpAfterMs ?? 0;
    if (giveUp > 0 && this.offlineSince && Date.now() - this.offlineSince > giveUp) {
      this.closed = true;
      this.setStatus('closed', { t: 'error', code: ErrorCode.Internal, message: 'the server could not be reached' });
      return;
    }
    const steps = this.opts.backoffMs ?? [100, 250, 500, 1000, 2000, 4000];
    const delay = steps[Math.min(this.attempt, steps.length - 1)];
    this.attempt++;
    this.timer = setTimeout(() => this.open(), delay);
  }
}
