// File transfer relay (docs/ARCHITECTURE.md "The server decides everything else"): the receiver approves each offer, the server caps size and
// count, stores the bytes in the data dir while forwarding them, and checks the sha256 at the end.
import { createHash, type Hash } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, MiB, ProtocolError, type Msg } from '../../protocol/index.ts';
import type { LiveSession } from '../core/live-session.ts';
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

  constructor(private readonly ctx: Ctx) {}

  private sideOf(peer: Peer): 'rep' | 'customer' {
    return peer.role === 'rep' ? 'rep' : 'customer';
  }
  private receivers(ls: LiveSession, t: Transfer): Peer[] {
    return t.side === 'rep' ? ls.customerPeers() : ls.repPeers();
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
  private event(ls: LiveSession, peer: Peer, t: Transfer, status: 'offered' | 'accepted' | 'declined' | 'done' | 'failed') {
    return this.ctx.hub.transcript.append(ls, peer.actor, { kind: 'file', fileId: t.id, name: t.name, size: t.size, status });
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
    const count = this.perSession.get(ls.id) ?? 0;
    if (count >= files.maxPerSession) throw new ProtocolError(ErrorCode.TooLarge, 'too many files in this session');
    this.perSession.set(ls.id, count + 1);
    const id = newId();
    const dir = join(this.ctx.config.dataDir, 'files', ls.id);
    privateSubdir(dir);
    const t: Transfer = { id, sessionId: ls.id, name: sanitizeFileName(msg.name), size: msg.size, sender: peer, side: this.sideOf(peer), accepted: false, received: 0, hash: createHash('sha256'), path: join(dir, id), file: null };
    this.transfers.set(id, t);
    await this.ctx.store.createFile({ id, session_id: ls.id, name: t.name, size: t.size, mime: msg.mime ?? null, sender_role: peer.role, sender_id: peer.repId ?? peer.participantId, status: 'offered', sha256: null, path: join('files', ls.id, id), created_at: Date.now(), done_at: null });
    peer.send({ t: 'file.registered', sessionId: ls.id, id: msg.id, fileId: id });
    await this.event(ls, peer, t, 'offered');
    const fwd = encodeOut({ ...msg, fileId: id, name: t.name, from: peer.actor });
    for (const r of this.receivers(ls, t)) r.sendBytes(fwd);
  }

  private async answer(peer: Peer, ls: LiveSession, msg: Msg<'file.answer'>): Promise<void> {
    const t = this.get(ls, msg.fileId);
    if (this.sideOf(peer) === t.side) throw new ProtocolError(ErrorCode.Forbidden, 'only the receiver answers an offer');
    if (t.accepted) return;
    t.accepted = msg.accept;
    await this.ctx.store.updateFile(t.id, { status: msg.accept ? 'accepted' : 'declined' });
    await this.event(ls, peer, t, msg.accept ? 'accepted' : 'declined');
    const fwd = encodeOut({ ...msg, from: peer.actor });
    for (const s of this.senders(ls, t)) s.sendBytes(fwd);
    if (!msg.accept) this.transfers.delete(t.id);
  }

  private async chunk(peer: Peer, ls: LiveSession, msg: Msg<'file.chunk'>, bytes: Uint8Array): Promise<void> {
    const t = this.get(ls, msg.fileId);
    if (peer !== t.sender) throw new ProtocolError(ErrorCode.Forbidden, 'only the sender sends chunks');
    if (!t.accepted) throw new ProtocolError(ErrorCode.NotConsented, 'the receiver has not accepted this file');
    if (msg.offset !== t.received) throw new ProtocolError(ErrorCode.Invalid, `expected offset ${t.received}, got ${msg.offset}`);
    if (t.received + msg.data.byteLength > t.size) throw new ProtocolError(ErrorCode.TooLarge, 'more bytes than offered');
    const backlog = () => Math.max(0, ...this.receivers(ls, t).map((r) => r.ws.bufferedAmount));
    if (backlog() > REFUSE_BYTES) throw new ProtocolError(ErrorCode.TooLarge, 'the receiver is behind: wait for file.progress before sending more');
    t.file ??= await open(t.path, 'w', FILE_MODE);
    await t.file.write(msg.data);
    t.hash.update(msg.data);
    t.received += msg.data.byteLength;
    for (const r of this.receivers(ls, t)) r.sendBytes(bytes);
    const progress = encodeOut({ t: 'file.progress', sessionId: ls.id, fileId: t.id, bytes: t.received, total: t.size });
    const notify = () => { for (const p of [...this.senders(ls, t), ...this.receivers(ls, t)]) p.sendBytes(progress); };
    if (backlog() <= PACE_BYTES) return notify();
    // A slow receiver: the sender hears of this chunk (and sends the next) once the receiver caught up.
    const since = Date.now();
    const timer = setInterval(() => {
      if (this.transfers.get(t.id) !== t) return clearInterval(timer);
      if (backlog() <= PACE_BYTES) { clearInterval(timer); notify(); return; }
      if (Date.now() - since < STALL_MS) return;
      clearInterval(timer);
      this.transfers.delete(t.id);
      void t.file?.close().then(() => this.fail(ls, peer, t, 'the receiver stopped reading')).catch(() => {});
      t.file = null;
    }, 25);
    timer.unref();
  }

  private async done(peer: Peer, ls: LiveSession, msg: Msg<'file.done'>): Promise<void> {
    const t = this.get(ls, msg.fileId);
    if (peer !== t.sender) throw new ProtocolError(ErrorCode.Forbidden, 'only the sender finishes a file');
    await t.file?.close();
    t.file = null;
    this.transfers.delete(t.id);
    const sha = t.hash.digest('hex');
    if (t.received !== t.size || sha !== msg.sha256) {
      const reason = t.received !== t.size ? `received ${t.received} of ${t.size} bytes` : 'checksum mismatch';
      await this.fail(ls, peer, t, reason);
      return;
    }
    await this.ctx.store.updateFile(t.id, { status: 'done', sha256: sha, done_at: Date.now() });
    await this.ctx.hub.sessions.patch(ls, { file_count: ls.row.file_count + 1 });
    await this.event(ls, peer, t, 'done');
    const fwd = encodeOut(msg);
    for (const r of this.receivers(ls, t)) r.sendBytes(fwd);
  }

  private async cancel(peer: Peer, ls: LiveSession, msg: Msg<'file.cancel'>): Promise<void> {
    const t = this.transfers.get(msg.fileId);
    if (!t || t.sessionId !== ls.id) return;
    this.transfers.delete(t.id);
    await t.file?.close();
    t.file = null;
    await this.fail(ls, peer, t, msg.reason || 'cancelled');
  }

  private async fail(ls: LiveSession, peer: Peer, t: Transfer, reason: string): Promise<void> {
    await rm(t.path, { force: true });
    await this.ctx.store.updateFile(t.id, { status: 'failed' });
    await this.event(ls, peer, t, 'failed');
    const msg = encodeOut({ t: 'file.cancel', sessionId: ls.id, fileId: t.id, reason });
    for (const p of [...this.senders(ls, t), ...this.receivers(ls, t)]) p.sendBytes(msg);
  }

  /** A sender that went away leaves its unfinished transfers behind: cancel them. */
  async dropPeer(peer: Peer): Promise<void> {
    for (const t of [...this.transfers.values()]) {
      if (t.sender !== peer) continue;
      const ls = this.ctx.hub.sessions.get(t.sessionId);
      this.transfers.delete(t.id);
      await t.file?.close();
      t.file = null;
      if (ls) await this.fail(ls, peer, t, 'the sender disconnected');
    }
  }
}
