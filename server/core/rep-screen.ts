// Show My Screen (docs/ARCHITECTURE.md, "Show My Screen"): one rep per session shows their
// screen to the customer's side. The server keeps who shares and, per customer-side view, which
// frames it has not acknowledged; frames are relayed as the received bytes. A view with
// REP_SCREEN_IN_FLIGHT frames unacknowledged (or a backed-up socket) gets nothing until the next
// keyframe, which the server asks the rep for once the view has room again: a slow or silent
// customer costs the server a few counters, never a queue.
// Several nodes: the rep's node holds the share; a node holding customer-side views keeps a mirror
// of it (no rep), serves its views from the frames the rep's node hands it, and asks that node
// for keyframes, an end and the viewer count ("Several nodes").
import { ErrorCode, ProtocolError, REP_SCREEN_CODES, REP_SCREEN_IN_FLIGHT, systemBody, type Actor, type Msg, type RepScreenCodec, type RepScreenEnd, type RepScreenShare } from '../../protocol/index.ts';
import { newId } from '../secrets.ts';
import type { Peer } from '../ws/peer.ts';
import type { LiveSession } from './live-session.ts';
import type { NodeCalls } from './node-calls.ts';
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
  /** Null on a mirror: the rep is on another node. */
  rep: Peer | null;
  repId: string;
  repName: string;
  codec: RepScreenCodec;
  startedAt: number;
  views: Map<Peer, View>;
  keyAskedAt: number;
  /** An ask held back by KEY_ASK_MS, sent when that has passed. */
  keyTimer: ReturnType<typeof setTimeout> | null;
  /** On the rep's node: the views other nodes serve, by node. On a mirror: the share as the rep's node describes it. */
  remoteViews: Map<string, { viewers: number; unsupported: number }>;
  described: RepScreenShare | null;
}

/** What the rep's node and the nodes mirroring its share tell each other (`NodeCalls` kind 'repscreen'). */
type ShareCall =
  | { op: 'state'; share: RepScreenShare }
  | { op: 'stopped'; share: string }
  | { op: 'frame'; share: string; seq: number; key: boolean; bytes: Uint8Array }
  | { op: 'key'; share: string; now: boolean }
  | { op: 'views'; share: string; viewers: number; unsupported: number }
  | { op: 'stop'; share: string; why: RepScreenEnd; by: Actor | null };

/** A keyframe is asked for at most this often per share (a view that keeps losing frames must not make the rep send only keyframes). */
const KEY_ASK_MS = 1000;

export class RepScreens {
  private readonly shares = new Map<string, Share>();

  constructor(private readonly transcript: Transcript, calls: NodeCalls) {
    calls.on('repscreen', (ls, body, node) => this.fromNode(ls, body as ShareCall, node));
  }

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
    const share: Share = { id: newId(), rep, repId: rep.repId!, repName: rep.actor.name, codec, startedAt: Date.now(), views: new Map(), keyAskedAt: 0, keyTimer: null, remoteViews: new Map(), described: null };
    if (current?.keyTimer) clearTimeout(current.keyTimer);
    this.shares.set(ls.id, share);
    if (!current) await this.transcript.append(ls, rep.actor, systemBody(REP_SCREEN_CODES.started, { rep: share.repName }));
    this.announce(ls, share);
  }

  /** Ends the share with a transcript line; `by` is who ended it (the rep, the customer's side, or the system). */
  async stop(ls: LiveSession, why: RepScreenEnd, by?: Actor): Promise<void> {
    const s = this.shares.get(ls.id);
    if (!s) return;
    // A mirror: the rep's node ends it (and says so).
    if (!s.rep) return ls.link?.call(ls, 'repscreen', { op: 'stop', share: s.id, why, by: by ?? null } satisfies ShareCall);
    this.shares.delete(ls.id);
    if (s.keyTimer) clearTimeout(s.keyTimer);
    const byCustomer = why === 'customer';
    const from = by ?? { role: 'rep', id: s.repId, name: s.repName };
    await this.transcript.append(ls, from, systemBody(byCustomer ? REP_SCREEN_CODES.closed : REP_SCREEN_CODES.stopped, { rep: s.repName }));
    ls.broadcast({ t: 'repscreen.state', sessionId: ls.id, share: null, ended: why });
    ls.link?.call(ls, 'repscreen', { op: 'stopped', share: s.id } satisfies ShareCall);
  }

  /** Rep → views. Frames of a share that is no longer current (in flight when it stopped) are dropped. */
  frame(rep: Peer, ls: LiveSession, msg: Msg<'repscreen.frame'>, bytes: Uint8Array): void {
    const s = this.shares.get(ls.id);
    if (!s || s.id !== msg.share || s.rep !== rep) return;
    // Customer-side views on other nodes: their node paces them as this one does its own.
    if ([...ls.elsewhere.values()].some((n) => n.customer || n.agent)) {
      ls.link?.call(ls, 'repscreen', { op: 'frame', share: s.id, seq: msg.seq, key: !!msg.key, bytes } satisfies ShareCall);
    }
    this.toViews(ls, s, msg.seq, !!msg.key, bytes);
  }

  private toViews(ls: LiveSession, s: Share, seq: number, key: boolean, bytes: Uint8Array): void {
    let ask = false;
    for (const [peer, v] of s.views) {
      if (v.unsupported) continue;
      if (v.waitKey && !key) { ask ||= v.inflight.size < REP_SCREEN_IN_FLIGHT; continue; }
      if (v.inflight.size >= REP_SCREEN_IN_FLIGHT || !peer.sendDroppable(bytes)) {
        v.waitKey = true;
        ask ||= v.inflight.size < REP_SCREEN_IN_FLIGHT;
        continue;
      }
      v.inflight.add(seq);
      if (key) v.waitKey = false;
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
      if (s.rep !== null && s.rep === peer) await this.stop(ls, 'left');
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
    if (!s.rep) return ls.link?.call(ls, 'repscreen', { op: 'key', share: s.id, now } satisfies ShareCall);
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
    const mine = this.counts(s);
    // A mirror tells the rep's node its views; that node announces the sum to everyone.
    if (!s.rep) return ls.link?.call(ls, 'repscreen', { op: 'views', share: s.id, ...mine } satisfies ShareCall);
    const share = this.describe(s);
    ls.broadcast({ t: 'repscreen.state', sessionId: ls.id, share });
    ls.link?.call(ls, 'repscreen', { op: 'state', share } satisfies ShareCall);
  }

  private counts(s: Share): { viewers: number; unsupported: number } {
    const views = [...s.views.values()];
    return { viewers: views.filter((v) => !v.unsupported).length, unsupported: views.filter((v) => v.unsupported).length };
  }

  private describe(s: Share): RepScreenShare {
    if (s.described) return s.described;
    const counts = this.counts(s);
    for (const r of s.remoteViews.values()) { counts.viewers += r.viewers; counts.unsupported += r.unsupported; }
    return { id: s.id, repId: s.repId, repName: s.repName, codec: s.codec, startedAt: s.startedAt, ...counts };
  }

  /** What the rep's node (or, on the rep's node, a mirroring node) says of the share. */
  private async fromNode(ls: LiveSession, c: ShareCall, node: string): Promise<void> {
    const s = this.shares.get(ls.id);
    if (c.op === 'state') {
      // A new share (or the same one described again): the mirror follows it.
      if (s?.id === c.share.id && !s.rep) s.described = c.share;
      else {
        if (s?.keyTimer) clearTimeout(s.keyTimer);
        const d = c.share;
        this.shares.set(ls.id, { id: d.id, rep: null, repId: d.repId, repName: d.repName, codec: d.codec, startedAt: d.startedAt, views: new Map(), keyAskedAt: 0, keyTimer: null, remoteViews: new Map(), described: d });
      }
      return;
    }
    if (!s || s.id !== c.share) return;
    if (c.op === 'stopped') { if (!s.rep) this.shares.delete(ls.id); return; }
    if (c.op === 'frame') { if (!s.rep) this.toViews(ls, s, c.seq, c.key, c.bytes); return; }
    if (!s.rep) return; // the rest is for the rep's node
    if (c.op === 'key') return this.askKey(ls, s, c.now);
    if (c.op === 'stop') return this.stop(ls, c.why, c.by ?? undefined);
    s.remoteViews.set(node, { viewers: c.viewers, unsupported: c.unsupported });
    this.announce(ls, s);
  }
}
