// File transfer relay (docs/ARCHITECTURE.md "The server decides everything else"): the receiver approves each offer, the server caps size and
// count, stores the bytes in the data dir while forwarding them, and checks the sha256 at the end.
// Several nodes: the sender's node holds the transfer; receivers elsewhere get offer, chunks and
// end through the cluster link, and their node answers for them ("Several nodes" → "Files").
import { createHash, type Hash } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, MiB, ProtocolError, type Actor, type Msg } from '../../protocol/index.ts';
import type { Audience, LiveSession } from '../core/live-session.ts';
import type { Ctx } from '../context.ts';
import { newId } from '../secrets.ts';
import { FILE_MODE, privateSubdir } from '../store/data-dir.ts';
import { encodeOut } from '../outgoing.ts';
import type { Peer } from './peer.ts';

/** A receiver with more than this buffered holds back the sender's next progress (the sender's pace). */
const PACE_BYTES = 4 * MiB;
/** Chunks are refused beyond this backlog: a sender that ignores progress can't fill the server's memory. */
const REFUSE_BYTES = 16 * MiB;
/** A receiver that doesn't drain its backlog in this time fails the transfer. */
const STALL_MS = 60_000;

type FileMsg = Msg<'file.offer'> | Msg<'file.answer'> | Msg<'file.chunk'> | Msg<'file.done'> | Msg<'file.cancel'>;
type Side = 'rep' | 'customer';

/** What nodes tell each other of a transfer (`NodeCalls` kind 'file'); the sender's node holds it. */
type FileCall =
  /** Sender's node → others: a transfer their participants may answer or cancel. */
  | { op: 'offered'; fileId: string; side: Side }
  /** A receiver's (or sender-side) node → the sender's node: what its participant said. */
  | { op: 'answer'; msg: Msg<'file.answer'>; from: Actor }
  | { op: 'cancel'; msg: Msg<'file.cancel'>; from: Actor }
  /** Sender's node → receivers' nodes: a chunk as the sender sent it; `upTo`: bytes received with it. */
  | { op: 'chunk'; fileId: string; side: Side; bytes: Uint8Array; upTo: number }
  /** A receiver's node → the sender's node (`to`): its receivers took everything up to `upTo`. */
  | { op: 'drained'; fileId: string; upTo: number; to: string }
  /** The transfer is over (done, declined, failed). */
  | { op: 'gone'; fileId: string };

/** The participants of one side: those who send (for a transfer of that side) or receive (the other). */
function audienceOf(side: Side): Audience {
  return side === 'rep' ? 'reps' : 'customers';
}
function other(side: Side): Side {
  return side === 'rep' ? 'customer' : 'rep';
}
function peersOf(ls: LiveSession, side: Side): Peer[] {
  return side === 'rep' ? ls.repPeers() : ls.customerPeers();
}
function backlogOf(peers: Peer[]): number {
  return Math.max(0, ...peers.map((r) => r.ws.bufferedAmount));
}

interface Transfer {
  id: string;
  sessionId: string;
  name: string;
  size: number;
  sender: Peer;
  /** 'rep' when a rep sends to the customer side, 'customer' for the other way. */
  side: 'rep' | 'customer';
  accepted: boolean;
  received: number;
  hash: Hash;
  path: string;
  file: FileHandle | null;
  /** Several nodes: how far each node holding receivers has taken the chunks to them. */
  drained: Map<string, number>;
  /** Progress held back until receivers catch up; run again when a node reports it drained. */
  waiting: Set<() => void>;
}

const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

/** Bidi overrides and isolates ("report\u202Efdp.exe" shows as "reportexe.pdf"), zero-width and other invisible characters. */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** No path parts (also after NFKC: fullwidth "／", "．"), no control or invisible characters, no dot-files; what is left of the name, or "file". */
export function sanitizeFileName(name: string): string {
  const base = name.normalize('NFKC').replace(INVISIBLE, '').split(/[\\/\u2215\u2044]/).pop() ?? '';
  // Windows also ignores trailing dots and spaces, and treats CON, NUL, COM1... as devices.
  let clean = base.replace(/[\u0000-\u001f\u007f-\u009f<>:"|?*]/g, '').replace(/^[.\s]+/, '').slice(0, 199).replace(/[.\s]+$/, '');
  if (WINDOWS_DEVICE.test(clean)) clean = `_${clean}`;
  // At most 200 characters: the name travels in ShortText fields.
  return clean || 'file';
}

export class FileRelay {
  private readonly transfers = new Map<string, Transfer>();
  private readonly perSession = new Map<string, number>();
  /** Several nodes: transfers another node holds, which participants here may answer or cancel. */
  private readonly remote = new Map<string, { sessionId: string; side: Side }>();

  constructor(private readonly ctx: Ctx) {
    ctx.hub.calls.on('file', (ls, body, node) => this.fromNode(ls, body as FileCall, node));
  }

  private sideOf(peer: Peer): 'rep' | 'customer' {
    return peer.role === 'rep' ? 'rep' : 'customer';
  }
  private receivers(ls: LiveSession, t: Transfer): Peer[] {
    return peersOf(ls, other(t.side));
  }
  private senders(ls: LiveSession, t: Transfer): Peer[] {
    const same = [...ls.peers].filter((p) => this.sideOf(p) === t.side);
    return t.sender.open && !same.includes(t.sender) ? [t.sender, ...same] : same;
  }
  private get(ls: LiveSession, fileId: string): Transfer {
    const t = this.transfers.get(fileId);
    if (!t || t.sessionId !== ls.id) throw new ProtocolError(ErrorCode.NotFound, 'no such file transfer');
    return t;
  }
  private event(ls: LiveSession, actor: Actor, t: Transfer, status: 'offered' | 'accepted' | 'declined' | 'done' | 'failed') {
    return this.ctx.hub.transcript.append(ls, actor, { kind: 'file', fileId: t.id, name: t.name, size: t.size, status });
  }

  async handle(peer: Peer, ls: LiveSession, msg: FileMsg, bytes: Uint8Array): Promise<void> {
    switch (msg.t) {
      case 'file.offer': return this.offer(peer, ls, msg);
      case 'file.answer': return this.answer(peer, ls, msg);
      case 'file.chunk': return this.chunk(peer, ls, msg, bytes);
      case 'file.done': return this.done(peer, ls, msg);
      case 'file.cancel': return this.cancel(peer, ls, msg);
    }
  }

  private async offer(peer: Peer, ls: LiveSession, msg: Msg<'file.offer'>): Promise<void> {
    const { files } = this.ctx.settings.get();
    const max = files.maxBytes;
    if (msg.size > max) throw new ProtocolError(ErrorCode.TooLarge, `files may be at most ${max} bytes`);
    // Several nodes: offers made on any node count (each is a row).
    const count = ls.link ? (await this.ctx.store.listFiles(ls.id)).length : this.perSession.get(ls.id) ?? 0;
    if (count >= files.maxPerSession) throw new ProtocolError(ErrorCode.TooLarge, 'too many files in this session');
    this.perSession.set(ls.id, count + 1);
    const id = newId();
    const dir = join(this.ctx.config.dataDir, 'files', ls.id);
    privateSubdir(dir);
    const t: Transfer = { id, sessionId: ls.id, name: sanitizeFileName(msg.name), size: msg.size, sender: peer, side: this.sideOf(peer), accepted: false, received: 0, hash: createHash('sha256'), path: join(dir, id), file: null, drained: new Map(), waiting: new Set() };
    this.transfers.set(id, t);
    await this.ctx.store.createFile({ id, session_id: ls.id, name: t.name, size: t.size, mime: msg.mime ?? null, sender_role: peer.role, sender_id: peer.repId ?? peer.participantId, status: 'offered', sha256: null, path: join('files', ls.id, id), created_at: Date.now(), done_at: null });
    peer.send({ t: 'file.registered', sessionId: ls.id, id: msg.id, fileId: id });
    await this.event(ls, peer.actor, t, 'offered');
    const fwd = encodeOut({ ...msg, fileId: id, name: t.name, from: peer.actor });
    for (const r of this.receivers(ls, t)) r.sendBytes(fwd);
    ls.link?.call(ls, 'file', { op: 'offered', fileId: id, side: t.side } satisfies FileCall);
    ls.link?.toOthers(ls, fwd, audienceOf(other(t.side)));
  }

  private async answer(peer: Peer, ls: LiveSession, msg: Msg<'file.answer'>): Promise<void> {
    const t = this.transfers.get(msg.fileId);
    const side = t && t.sessionId === ls.id ? t.side : this.heldElsewhere(ls, msg.fileId).side;
    if (this.sideOf(peer) === side) throw new ProtocolError(ErrorCode.Forbidden, 'only the receiver answers an offer');
    if (!t) return ls.link!.call(ls, 'file', { op: 'answer', msg, from: peer.actor } satisfies FileCall);
    await this.answered(ls, t, msg, peer.actor);
  }

  private async answered(ls: LiveSession, t: Transfer, msg: Msg<'file.answer'>, from: Actor): Promise<void> {
    if (t.accepted) return;
    t.accepted = msg.accept;
    await this.ctx.store.updateFile(t.id, { status: msg.accept ? 'accepted' : 'declined' });
    await this.event(ls, from, t, msg.accept ? 'accepted' : 'declined');
    const fwd = encodeOut({ ...msg, from });
    for (const s of this.senders(ls, t)) s.sendBytes(fwd);
    ls.link?.toOthers(ls, fwd, audienceOf(t.side));
    if (!msg.accept) this.forget(ls, t);
  }

  /** A transfer the sender's node (another one) holds; NotFound when none is known here. */
  private heldElsewhere(ls: LiveSession, fileId: string): { sessionId: string; side: Side } {
    const r = this.remote.get(fileId);
    if (!r || r.sessionId !== ls.id || !ls.link) throw new ProtocolError(ErrorCode.NotFound, 'no such file transfer');
    return r;
  }

  private forget(ls: LiveSession, t: Transfer): void {
    this.transfers.delete(t.id);
    ls.link?.call(ls, 'file', { op: 'gone', fileId: t.id } satisfies FileCall);
  }

  private async chunk(peer: Peer, ls: LiveSession, msg: Msg<'file.chunk'>, bytes: Uint8Array): Promise<void> {
    const t = this.get(ls, msg.fileId);
    if (peer !== t.sender) throw new ProtocolError(ErrorCode.Forbidden, 'only the sender sends chunks');
    if (!t.accepted) throw new ProtocolError(ErrorCode.NotConsented, 'the receiver has not accepted this file');
    if (msg.offset !== t.received) throw new ProtocolError(ErrorCode.Invalid, `expected offset ${t.received}, got ${msg.offset}`);
    if (t.received + msg.data.byteLength > t.size) throw new ProtocolError(ErrorCode.TooLarge, 'more bytes than offered');
    const backlog = () => backlogOf(this.receivers(ls, t));
    // Receivers on other nodes count by what their node reported it passed on.
    const elsewhere = this.receiverNodes(ls, t);
    const behind = Math.max(backlog(), ...elsewhere.map((n) => t.received - (t.drained.get(n) ?? 0)));
    if (behind > REFUSE_BYTES) throw new ProtocolError(ErrorCode.TooLarge, 'the receiver is behind: wait for file.progress before sending more');
    t.file ??= await open(t.path, 'w', FILE_MODE);
    await t.file.write(msg.data);
    t.hash.update(msg.data);
    t.received += msg.data.byteLength;
    for (const r of this.receivers(ls, t)) r.sendBytes(bytes);
    const upTo = t.received;
    if (elsewhere.length > 0) ls.link!.call(ls, 'file', { op: 'chunk', fileId: t.id, side: t.side, bytes, upTo } satisfies FileCall);
    const progress = encodeOut({ t: 'file.progress', sessionId: ls.id, fileId: t.id, bytes: upTo, total: t.size });
    const notify = () => {
      for (const p of [...this.senders(ls, t), ...this.receivers(ls, t)]) p.sendBytes(progress);
      ls.link?.toOthers(ls, progress, 'all');
    };
    // Those other nodes that still hold receivers must have passed this chunk on (and drained to PACE_BYTES).
    const caughtUp = () => backlog() <= PACE_BYTES && elsewhere.every((n) => (t.drained.get(n) ?? 0) >= upTo || !this.receiverNodes(ls, t).includes(n));
    if (caughtUp()) return notify();
    // A slow receiver: the sender hears of this chunk (and sends the next) once the receiver caught up.
    const since = Date.now();
    const check = () => {
      if (this.transfers.get(t.id) !== t) return stop();
      if (caughtUp()) { stop(); notify(); return; }
      if (Date.now() - since < STALL_MS) return;
      stop();
      this.forget(ls, t);
      void t.file?.close().then(() => this.fail(ls, peer.actor, t, 'the receiver stopped reading')).catch(() => {});
      t.file = null;
    };
    const timer = setInterval(check, 25);
    const stop = () => { clearInterval(timer); t.waiting.delete(check); };
    t.waiting.add(check);
    timer.unref();
  }

  /** Other nodes holding participants of the receiving side. */
  private receiverNodes(ls: LiveSession, t: Transfer): string[] {
    const customers = t.side === 'rep';
    return [...ls.elsewhere].filter(([, n]) => (customers ? n.customer || n.agent : n.reps.length > 0)).map(([id]) => id);
  }

  private async done(peer: Peer, ls: LiveSession, msg: Msg<'file.done'>): Promise<void> {
    const t = this.get(ls, msg.fileId);
    if (peer !== t.sender) throw new ProtocolError(ErrorCode.Forbidden, 'only the sender finishes a file');
    await t.file?.close();
    t.file = null;
    this.forget(ls, t);
    const sha = t.hash.digest('hex');
    if (t.received !== t.size || sha !== msg.sha256) {
      const reason = t.received !== t.size ? `received ${t.received} of ${t.size} bytes` : 'checksum mismatch';
      await this.fail(ls, peer.actor, t, reason);
      return;
    }
    await this.ctx.store.updateFile(t.id, { status: 'done', sha256: sha, done_at: Date.now() });
    await this.ctx.hub.sessions.patch(ls, { file_count: ls.row.file_count + 1 });
    await this.event(ls, peer.actor, t, 'done');
    const fwd = encodeOut(msg);
    for (const r of this.receivers(ls, t)) r.sendBytes(fwd);
    ls.link?.toOthers(ls, fwd, audienceOf(other(t.side)));
  }

  private async cancel(peer: Peer, ls: LiveSession, msg: Msg<'file.cancel'>): Promise<void> {
    const t = this.transfers.get(msg.fileId);
    if (t && t.sessionId === ls.id) return this.cancelled(ls, t, msg, peer.actor);
    const r = this.remote.get(msg.fileId);
    if (r && r.sessionId === ls.id) ls.link?.call(ls, 'file', { op: 'cancel', msg, from: peer.actor } satisfies FileCall);
  }

  private async cancelled(ls: LiveSession, t: Transfer, msg: Msg<'file.cancel'>, from: Actor): Promise<void> {
    this.forget(ls, t);
    await t.file?.close();
    t.file = null;
    await this.fail(ls, from, t, msg.reason || 'cancelled');
  }

  private async fail(ls: LiveSession, actor: Actor, t: Transfer, reason: string): Promise<void> {
    await rm(t.path, { force: true });
    await this.ctx.store.updateFile(t.id, { status: 'failed' });
    await this.event(ls, actor, t, 'failed');
    const msg = encodeOut({ t: 'file.cancel', sessionId: ls.id, fileId: t.id, reason });
    for (const p of [...this.senders(ls, t), ...this.receivers(ls, t)]) p.sendBytes(msg);
    ls.link?.toOthers(ls, msg, 'all');
  }

  /** What another node says of a transfer (several nodes only). */
  private async fromNode(ls: LiveSession, c: FileCall, node: string): Promise<void> {
    if (c.op === 'offered') return void this.remote.set(c.fileId, { sessionId: ls.id, side: c.side });
    if (c.op === 'gone') return void this.remote.delete(c.fileId);
    if (c.op === 'chunk') return this.passOn(ls, c, node);
    if (c.op === 'drained' && c.to !== ls.link?.nodeId) return;
    const fileId = c.op === 'drained' ? c.fileId : c.msg.fileId;
    const t = this.transfers.get(fileId);
    if (!t || t.sessionId !== ls.id) return; // held by another node, or over
    if (c.op === 'answer') return this.answered(ls, t, c.msg, c.from);
    if (c.op === 'cancel') return this.cancelled(ls, t, c.msg, c.from);
    t.drained.set(node, Math.max(t.drained.get(node) ?? 0, c.upTo));
    for (const check of [...t.waiting]) check();
  }

  /** A chunk from the sender's node for the receivers here; that node hears once they took it (its pace). */
  private passOn(ls: LiveSession, c: Extract<FileCall, { op: 'chunk' }>, from: string): void {
    const receivers = () => peersOf(ls, other(c.side));
    for (const r of receivers()) r.sendBytes(c.bytes);
    const drained = () => ls.link?.call(ls, 'file', { op: 'drained', fileId: c.fileId, upTo: c.upTo, to: from } satisfies FileCall);
    if (backlogOf(receivers()) <= PACE_BYTES) return drained();
    const since = Date.now();
    const timer = setInterval(() => {
      if (backlogOf(receivers()) > PACE_BYTES && Date.now() - since < STALL_MS) return;
      clearInterval(timer);
      // Stalled: the sender's node gives up on its own clock.
      if (backlogOf(receivers()) <= PACE_BYTES) drained();
    }, 25);
    timer.unref();
  }

  /** A sender that went away leaves its unfinished transfers behind: cancel them. */
  async dropPeer(peer: Peer): Promise<void> {
    for (const t of [...this.transfers.values()]) {
      if (t.sender !== peer) continue;
      const ls = this.ctx.hub.sessions.get(t.sessionId);
      this.transfers.delete(t.id);
      await t.file?.close();
      t.file = null;
      if (ls) {
        ls.link?.call(ls, 'file', { op: 'gone', fileId: t.id } satisfies FileCall);
        await this.fail(ls, peer.actor, t, 'the sender disconnected');
      }
    }
  }
}
