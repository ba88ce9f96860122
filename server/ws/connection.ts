// The life of one socket: decode every message (invalid → typed `error`, never a crash),
// handshake first, then route in order, one message at a time per connection.
import { decode, ErrorCode, ProtocolError, toBytes, type Message } from '../../protocol/index.ts';
import { logError } from '../log.ts';
import type { Ctx } from '../context.ts';
import { listenForDiagnostics } from './diagnostics.ts';
import { FileRelay } from './files.ts';
import { listenForSysinfo } from './screen.ts';
import { dateResume, handshake } from './handshake.ts';
import type { Peer } from './peer.ts';
import { route, type Relays } from './router.ts';
import { MessageBudgets } from './message-budget.ts';
import { TranscriptCap } from './transcript-cap.ts';

/** Messages waiting to be handled before a connection is considered abusive. */
const MAX_QUEUED = 2000;
/** Invalid messages tolerated per connection before it is closed. */
const MAX_ERRORS = 100;
/**
 * WebSocket ping period. A peer that in a whole period neither answered a ping, sent anything nor
 * drained any of its backlog is gone without a close (half-open) and is dropped; it resumes when it can.
 */
const HEARTBEAT_MS = Number(process.env.BRIDGE_HEARTBEAT_MS) || 30_000;

export class Connections {
  readonly files: FileRelay;
  private readonly relays: Relays;

  constructor(private readonly ctx: Ctx) {
    this.files = new FileRelay(ctx);
    listenForDiagnostics(ctx);
    listenForSysinfo(ctx);
    const r = ctx.config.rateLimit;
    this.relays = { files: this.files, budgets: new MessageBudgets(r.messageBurst, r.messagesPerMin), cap: new TranscriptCap(ctx) };
  }

  accept(peer: Peer): void {
    const ws = peer.ws;
    let chain: Promise<void> = Promise.resolve();
    let queued = 0;
    let errors = 0;
    // terminate, not close: a peer that never answers the close handshake would keep its socket
    // (and whatever it had half-sent) for ws's 30 s close timeout.
    const timer = setTimeout(() => {
      if (!peer.ready) ws.terminate();
    }, this.ctx.config.limits.handshakeSec * 1000);
    let alive = true;
    let backlog = 0;
    const beat = setInterval(() => {
      // A slow reader still drains its backlog; a dead one drains nothing and answers nothing.
      const now = ws.bufferedAmount;
      if (!alive && !(now < backlog)) { ws.terminate(); return; }
      alive = false;
      backlog = now;
      ws.ping();
    }, HEARTBEAT_MS);
    beat.unref();
    ws.on('pong', () => { alive = true; });
    const complain = (code: (typeof ErrorCode)[keyof typeof ErrorCode], message: string, ref?: string) => {
      peer.error(code, message, ref);
      if (++errors > MAX_ERRORS) ws.close(1008, 'too many invalid messages');
    };

    ws.on('message', (data, isBinary) => {
      alive = true;
      const bytes = isBinary ? toBytes(data) : null;
      if (!bytes) return complain(ErrorCode.Malformed, 'only binary messages are accepted');
      const r = decode(bytes);
      if (!r.ok) {
        complain(r.error.code, r.error.message, r.error.ref);
        if (!peer.ready) ws.close(1008, 'bad handshake');
        return;
      }
      if (++queued > MAX_QUEUED) return ws.close(1008, 'too many messages in flight');
      chain = chain
        .then(() => this.handle(peer, r.msg, bytes))
        .catch((e: unknown) => {
          if (e instanceof ProtocolError) {
            const ref = 'id' in r.msg && typeof r.msg.id === 'string' ? r.msg.id : r.msg.t;
            complain(e.code, e.message, ref);
            if (!peer.ready) ws.close(1008, e.code);
          } else {
            logError(e);
            peer.error(ErrorCode.Internal, 'internal error');
          }
        })
        .finally(() => { queued--; });
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      clearTimeout(timer);
      clearInterval(beat);
      // Let the messages already received finish before the peer leaves.
      void chain.then(async () => {
        this.ctx.hub.presence.detach(peer);
        await this.ctx.hub.repScreen.peerGone(peer, (id) => this.ctx.hub.sessions.get(id));
        await this.files.dropPeer(peer);
        if (peer.ready) await dateResume(this.ctx, peer);
      }).catch(logError);
    });
  }

  private async handle(peer: Peer, msg: Message, bytes: Uint8Array): Promise<void> {
    if (!peer.ready) {
      if (msg.t !== 'hello' && msg.t !== 'resume') throw new ProtocolError(ErrorCode.Unauthorized, 'send hello or resume first');
      return handshake(this.ctx, peer, msg);
    }
    if (msg.t === 'hello' || msg.t === 'resume') throw new ProtocolError(ErrorCode.Invalid, 'already connected');
    return route(this.ctx, this.relays, peer, msg, bytes);
  }
}
