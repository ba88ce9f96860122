// Show My Screen (docs/ARCHITECTURE.md, "Show My Screen"): one rep per session shows their
// screen to the customer's side. The server keeps who shares and, per customer-side view, which
// frames it has not acknowledged; frames are relayed as the received bytes. A view with
// REP_SCREEN_IN_FLIGHT frames unacknowledged (or a backed-up socket) gets nothing until the next
// keyframe, which the server asks the rep for once the view has room again: a slow or silent
// customer costs the server a few counters, never a queue.
import { ErrorCode, ProtocolError, REP_SCREEN_CODES, REP_SCREEN_IN_FLIGHT, repScreenStartedText, repScreenStoppedText, type Actor, type Msg, type RepScreenCodec, type RepScreenEnd, type RepScreenShare } from '../../protocol/index.ts';
import { newId } from '../secrets.ts';
import type { Peer } from '../ws/peer.ts';
import type { LiveSession } from './live-session.ts';
import type { SessionEvent } from './session-events.ts';
import type { Transcript } from './transcript.ts';

interface View {
  /** Seqs sent to this view and not acknowledged yet (at most REP_SCREEN_IN_FLIGHT). */
  inflight: Set<number>;
  /** Frames were dropped (or it just opened): only a keyframe may come next. */
  waitKey: boolean;
  unsupported: boolean;
}

interface Share {
  id: string;
  rep: Peer;
  repId: string;
  repName: string;
  codec: RepScreenCodec;
  startedAt: number;
  views: Map<Peer, View>;
  keyAskedAt: number;
  /** An ask held back by KEY_ASK_MS, sent when that has passed. */
  keyTimer: ReturnType<typeof setTimeout> | null;
}

/** A keyframe is asked for at most this often per share (a view that keeps losing frames must not make the rep send only keyframes). */
const KEY_ASK_MS = 1000;

export class RepScreens {
  private readonly shares = new Map<string, Share>();

  constructor(private readonly transcript: Transcript) {}

  /** The current share as the session's people see it (null when nobody shares). */
  state(ls: LiveSession): Msg<'repscreen.state'> | null {
    const s = this.shares.get(ls.id);
    return s ? { t: 'repscreen.state', sessionId: ls.id, share: this.describe(s) } : null;
  }

  async start(rep: Peer, ls: LiveSession, codec: RepScreenCodec): Promise<void> {
    ls.requireRep(rep);
    if (ls.row.state !== 'active') throw new ProtocolError(ErrorCode.Conflict, `the session is ${ls.row.state}: accept it first`);
    const current = this.shares.get(ls.id);
    if (current && current.repId !== rep.repId) throw new ProtocolError(ErrorCode.Conflict, `${current.repName} is showing their screen in this session already: ask them to stop first.`);
    // The same rep starting again (a new source, a reconnected console) replaces the share quietly.
    const share: Share = { id: newId(), rep, repId: rep.repId!, repName: rep.actor.name, codec, startedAt: Date.now(), views: new Map(), keyAskedAt: 0, keyTimer: null };
    if (current?.keyTimer) clearTimeout(current.keyTimer);
    this.shares.set(ls.id, share);
    if (!current) await this.transcript.append(ls, rep.actor, { kind: 'system', code: REP_SCREEN_CODES.started, text: repScreenStartedText(share.repName) });
    this.announce(ls, share);
  }

  /** Ends the share with a transcript line; `by` is who ended it (the rep, the customer's side, or the system). */
  async stop(ls: LiveSession, why: RepScreenEnd, by?: Actor): Promise<void> {
    const s = this.shares.get(ls.id);
    if (!s) return;
    this.shares.delete(ls.id);
    if (s.keyTimer) clearTimeout(s.keyTimer);
    const byCustomer = why === 'customer';
    const from = by ?? { role: 'rep', id: s.repId, name: s.repName };
    await this.transcript.append(ls, from, { kind: 'system', code: byCustomer ? REP_SCREEN_CODES.closed : REP_SCREEN_CODES.stopped, text: repScreenStoppedText(s.repName, byCustomer) });
    ls.broadcast({ t: 'repscreen.state', sessionId: ls.id, share: null, ended: why });
  }

  /** Rep → views. Frames of a share that is no longer current (in flight when it stopped) are dropped. */
  frame(rep: Peer, ls: LiveSession, msg: Msg<'repscreen.frame'>, bytes: Uint8Array): void {
    const s = this.shares.get(ls.id);
    if (!s || s.id !== msg.share || s.rep !== rep) return;
    let ask = false;
    for (const [peer, v] of s.views) {
      if (v.unsupported) continue;
      if (v.waitKey && !msg.key) { ask ||= v.inflight.size < REP_SCREEN_IN_FLIGHT; continue; }
      if (v.inflight.size >= REP_SCREEN_IN_FLIGHT || !peer.sendDroppable(bytes)) {
        v.waitKey = true;
        ask ||= v.inflight.size < REP_SCREEN_IN_FLIGHT;
        continue;
      }
      v.inflight.add(msg.seq);
      if (msg.key) v.waitKey = false;
    }
    if (ask) this.askKey(ls, s);
  }

  /** A customer-side view opened (or reloaded), or says it can't decode (no WebCodecs). */
  view(peer: Peer, ls: LiveSession, msg: Msg<'repscreen.view'>): void {
    const s = this.current(ls, msg.share);
    s.views.set(peer, { inflight: new Set(), waitKey: true, unsupported: msg.state === 'unsupported' });
    if (msg.state === 'open') this.askKey(ls, s, true);
    this.announce(ls, s);
  }

  ack(peer: Peer, ls: LiveSession, msg: Msg<'repscreen.ack'>): void {
    const s = this.shares.get(ls.id);
    const v = s?.id === msg.share ? s.views.get(peer) : undefined;
    if (!s || !v) return;
    v.inflight.delete(msg.seq);
    if (v.waitKey) this.askKey(ls, s);
  }

  /** A view's decoder lost its state: it waits for the next keyframe. */
  keyframe(peer: Peer, ls: LiveSession, msg: Msg<'repscreen.keyframe'>): void {
    const s = this.current(ls, msg.share);
    const v = s.views.get(peer);
    if (v) v.waitKey = true;
    this.askKey(ls, s);
  }

  close(peer: Peer, ls: LiveSession, msg: Msg<'repscreen.close'>): Promise<void> {
    this.current(ls, msg.share);
    return this.stop(ls, 'customer', peer.role === 'agent' ? { ...peer.actor, role: 'customer' } : peer.actor);
  }

  /** A socket closed: a sharing rep's share ends (the console starts again when back), a view goes. */
  async peerGone(peer: Peer, sessionOf: (id: string) => LiveSession | undefined): Promise<void> {
    for (const [sessionId, s] of this.shares) {
      const ls = sessionOf(sessionId);
      if (!ls) { this.shares.delete(sessionId); continue; }
      if (s.rep === peer) await this.stop(ls, 'left');
      else if (s.views.delete(peer)) this.announce(ls, s);
    }
  }

  /** The lifecycle: a share ends when its rep leaves the session (hold, transfer) or the session ends. */
  async onSessionEvent(e: SessionEvent): Promise<void> {
    const s = this.shares.get(e.session.id);
    if (!s) return;
    if (e.type === 'session.ended') return this.stop(e.session, 'ended');
    if ((e.type === 'session.held' || e.type === 'session.transferred' || e.type === 'session.left') && e.left.includes(s.repId)) return this.stop(e.session, 'left');
  }

  private current(ls: LiveSession, shareId: string): Share {
    const s = this.shares.get(ls.id);
    if (!s || s.id !== shareId) throw new ProtocolError(ErrorCode.NotFound, 'the representative is no longer showing that screen');
    return s;
  }

  private askKey(ls: LiveSession, s: Share, now = false): void {
    const t = Date.now();
    if (!now && t - s.keyAskedAt < KEY_ASK_MS) {
      // Held back, not lost: a view that caught up must get its keyframe.
      s.keyTimer ??= setTimeout(() => { s.keyTimer = null; if (this.shares.get(ls.id) === s) this.askKey(ls, s, true); }, s.keyAskedAt + KEY_ASK_MS - t);
      return;
    }
    if (s.keyTimer) { clearTimeout(s.keyTimer); s.keyTimer = null; }
    s.keyAskedAt = t;
    s.rep.send({ t: 'repscreen.keyframe', sessionId: ls.id, share: s.id });
  }

  private announce(ls: LiveSession, s: Share): void {
    ls.broadcast({ t: 'repscreen.state', sessionId: ls.id, share: this.describe(s) });
  }

  private describe(s: Share): RepScreenShare {
    const views = [...s.views.values()];
    return {
      id: s.id, repId: s.repId, repName: s.repName, codec: s.codec, startedAt: s.startedAt,
      viewers: views.filter((v) => !v.unsupported).length, unsupported: views.filter((v) => v.unsupported).length,
    };
  }
}
