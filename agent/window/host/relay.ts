// The agent plays the server for its local window: the window's chat store (web-chat/state)
// speaks the ordinary protocol to /<token>/ws, and this relay answers hello/resume itself,
// replays the transcript it holds, and forwards chat, files, typing and the survey over the
// agent's one server connection. Input, frames and grants never pass through here; the rep's
// own screen (Show My Screen) does, both ways: the window is where the customer sees it.
import { randomBytes } from 'node:crypto';
import { isReliable, PROTOCOL_VERSION, REP_ONLY_TYPES, REP_SCREEN_VIEWER_TYPES, type Message, type Msg, type ReliableMessage } from '../../../protocol/index.ts';
import type { Downloads } from '../../session/downloads.ts';
import type { WindowClient } from './server.ts';

export interface Upstream {
  send(msg: Message): boolean;
  sendReliable(msg: ReliableMessage): Promise<number>;
}

/** Server → window: what the chat store understands. */
const TO_WINDOW = new Set<string>(['event', 'ack', 'session', 'queue.status', 'typing', 'done', 'error', 'input.paused', 'diag.request', 'reboot.request',
  'file.offer', 'file.registered', 'file.answer', 'file.progress', 'file.chunk', 'file.done', 'file.cancel',
  'repscreen.state', 'repscreen.frame']);
/** Window → server, fire-and-forget. */
const UP_PLAIN = new Set<string>(['typing', 'agreement.more', 'file.offer', 'file.answer', 'file.chunk', 'file.done', 'file.cancel', ...REP_SCREEN_VIEWER_TYPES]);

export class WindowRelay {
  private readonly events: Msg<'event'>[] = [];
  private welcome: Msg<'welcome'> | null = null;
  private session: Msg<'session'> | null = null;
  private grant: Msg<'grant'> | null = null;
  /** The rep's screen share as last heard, for a (re)loaded window. */
  private repScreen: Msg<'repscreen.state'> | null = null;
  /** The window's open view of it: after the agent reconnects the server knows a new socket, so the view is said again. */
  private repScreenView: Msg<'repscreen.view'> | null = null;
  private rejoined = false;
  private readonly waiting: Array<{ msg: Msg<'hello'> | Msg<'resume'>; client: WindowClient }> = [];
  private readonly resumeToken = randomBytes(12).toString('base64url');

  constructor(
    private readonly up: Upstream,
    private readonly broadcast: (msg: Message) => void,
    private readonly onEnd: (reason: string) => void,
    private readonly downloads: Downloads | null = null,
  ) {}

  /** Every message from the server passes here; the relay keeps what a (re)loaded window needs. */
  fromServer(msg: Message): void {
    if (msg.t === 'welcome') {
      this.rejoined = this.welcome !== null;
      this.welcome = msg;
      for (const w of this.waiting.splice(0)) this.greet(w.msg, w.client);
      return;
    }
    if (msg.t === 'event') {
      if (this.events.some((e) => e.seq === msg.seq)) return;
      this.events.push(msg);
    }
    if (msg.t === 'session') this.session = msg;
    if (msg.t === 'repscreen.state') {
      this.repScreen = msg.share ? msg : null;
      const view = this.repScreenView;
      if (this.rejoined && view && msg.share?.id === view.share) this.up.send(view);
      this.rejoined = false;
    }
    this.downloads?.fromServer(msg);
    if (!TO_WINDOW.has(msg.t)) return;
    this.broadcast(this.forWindow(msg));
  }

  /** The agent's own grant announcements go to the window too (banner, END SCREEN SHARE). */
  grantChanged(msg: Msg<'grant'>): void {
    this.grant = msg;
    this.broadcast(msg);
  }

  fromWindow(msg: Message, client: WindowClient): void {
    const sessionId = this.welcome?.sessionId;
    if (msg.t === 'hello' || msg.t === 'resume') {
      if (this.welcome) this.greet(msg, client);
      else this.waiting.push({ msg, client });
      return;
    }
    if (msg.t === 'ping') { client.send({ t: 'pong', ts: msg.ts }); return; }
    if (!sessionId || !('sessionId' in msg) || msg.sessionId !== sessionId) return;
    if (msg.t === 'end') {
      this.up.send(msg);
      this.onEnd(msg.reason ?? 'customer ended the session');
      return;
    }
    if (msg.t === 'file.answer') this.downloads?.answered(msg.fileId, msg.accept);
    if (msg.t === 'repscreen.view') this.repScreenView = msg;
    // Stored and acknowledged: the customer's side sends all but the rep's own kinds.
    if (isReliable(msg) && !REP_ONLY_TYPES.has(msg.t)) {
      this.up.sendReliable(msg).catch(() => {});
      return;
    }
    // Typing and the screen view's acks are worth nothing later: no error for those.
    if (UP_PLAIN.has(msg.t) && !this.up.send(msg) && msg.t !== 'typing' && !msg.t.startsWith('repscreen.')) {
      client.send({ t: 'error', code: 'internal', message: 'the agent is offline; try again shortly', ...('id' in msg && typeof msg.id === 'string' ? { ref: msg.id } : {}) });
    }
  }

  private greet(msg: Msg<'hello'> | Msg<'resume'>, client: WindowClient): void {
    const w = this.welcome!;
    client.send({
      t: 'welcome', v: PROTOCOL_VERSION, role: 'customer', participantId: w.participantId, resumeToken: this.resumeToken,
      serverTime: Date.now(), ...(w.sessionId ? { sessionId: w.sessionId } : {}), ...(w.customer ? { customer: w.customer } : {}),
    });
    const after = msg.t === 'resume' && w.sessionId ? msg.lastSeq[w.sessionId] ?? 0 : 0;
    for (const e of this.events) if (e.seq > after) client.send(this.forWindow(e));
    if (this.session) client.send(this.session);
    if (this.grant) client.send(this.grant);
    if (this.repScreen) client.send(this.repScreen);
  }

  // The agent is the customer's side: its own lines show as the customer's in the window.
  private forWindow(msg: Message): Message {
    if (msg.t === 'event' && msg.from.role === 'agent' && msg.from.id === this.welcome?.participantId) {
      return { ...msg, from: { ...msg.from, role: 'customer' } };
    }
    return msg;
  }
}
