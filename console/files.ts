// File transfer, both ways (protocol/messages/file.ts). Outgoing: offer → registered (file id)
// → the customer accepts → chunks, at most WINDOW bytes ahead of what the server says it has
// stored → done with the sha256. Incoming: offer → the rep accepts → chunks → done, checked
// against the sha256 before the file is offered for saving.
import { FILE_CHUNK_BYTES, type Msg } from '../protocol/index.ts';
import { newClientId, send, session } from './client.ts';
import * as S from './store.ts';

const WINDOW = 4 * FILE_CHUNK_BYTES;

interface Outgoing { sessionId: string; file: File; fileId: string | null; sent: number; acked: number; started: boolean; pumping: boolean; doneSent: boolean; sha: Promise<string> }
interface Incoming { sessionId: string; size: number; parts: Map<number, Uint8Array>; received: number }

const outgoing = new Map<string, Outgoing>(); // by client id, and by file id once known
const incoming = new Map<string, Incoming>(); // by file id

async function sha256(data: Blob): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', await data.arrayBuffer()));
  return [...d].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function sendFile(sessionId: string, file: File): void {
  const id = newClientId();
  const o: Outgoing = { sessionId, file, fileId: null, sent: 0, acked: 0, started: false, pumping: false, doneSent: false, sha: sha256(file) };
  o.sha.catch(() => {}); // reported when the pump awaits it, not as an unhandled rejection
  outgoing.set(id, o);
  const s = session(sessionId);
  s.files.value = [...s.files.value, { key: id, fileId: null, dir: 'out', name: file.name, size: file.size, bytes: 0, status: 'offered' }];
  const msg: Msg<'file.offer'> = { t: 'file.offer', sessionId, id, name: file.name.slice(0, 200), size: file.size };
  if (file.type) msg.mime = file.type.slice(0, 200);
  if (!send(msg)) s.updateFile(id, { status: 'failed', error: 'not connected' });
}

export function answerFile(sessionId: string, fileId: string, accept: boolean): void {
  const s = session(sessionId);
  const f = s.findFile(fileId);
  if (!f) return;
  send({ t: 'file.answer', sessionId, fileId, accept });
  if (accept) incoming.set(fileId, { sessionId, size: f.size, parts: new Map(), received: 0 });
  s.updateFile(fileId, { status: accept ? 'accepted' : 'declined' });
}

async function pump(o: Outgoing): Promise<void> {
  if (o.pumping || !o.fileId) return;
  o.pumping = true;
  try {
    while (o.sent < o.file.size && o.sent - o.acked < WINDOW) {
      const end = Math.min(o.file.size, o.sent + FILE_CHUNK_BYTES);
      const data = new Uint8Array(await o.file.slice(o.sent, end).arrayBuffer());
      if (!send({ t: 'file.chunk', sessionId: o.sessionId, fileId: o.fileId, offset: o.sent, data })) throw new Error('connection lost');
      o.sent = end;
    }
    if (o.sent >= o.file.size && !o.doneSent) {
      o.doneSent = true;
      send({ t: 'file.done', sessionId: o.sessionId, fileId: o.fileId, sha256: await o.sha });
    }
  } catch (e) {
    session(o.sessionId).updateFile(o.fileId, { status: 'failed', error: (e as Error).message });
  } finally {
    o.pumping = false;
  }
}

function start(o: Outgoing): void {
  if (o.started || !o.fileId) return;
  o.started = true;
  session(o.sessionId).updateFile(o.fileId, { status: 'sending' });
  void pump(o);
}

/** A transcript line about a file can be the first news that the customer accepted. */
export function onFileEvent(sessionId: string, fileId: string, status: string): void {
  const o = outgoing.get(fileId);
  const s = session(sessionId);
  if (o && status === 'accepted') start(o);
  if (status === 'declined' || status === 'failed' || status === 'done') {
    const f = s.findFile(fileId);
    if (f && f.status !== 'done' && !(f.dir === 'in' && status === 'done')) s.updateFile(fileId, { status: status as S.FileXfer['status'], ...(status === 'done' ? { bytes: f.size } : {}) });
  }
}

export async function onFileMessage(msg: Msg<'file.offer'> | Msg<'file.registered'> | Msg<'file.answer'> | Msg<'file.chunk'> | Msg<'file.progress'> | Msg<'file.done'> | Msg<'file.cancel'>): Promise<void> {
  const s = session(msg.sessionId);
  switch (msg.t) {
    case 'file.registered': {
      const o = outgoing.get(msg.id);
      if (!o) return;
      o.fileId = msg.fileId;
      outgoing.set(msg.fileId, o);
      s.updateFile(msg.id, { fileId: msg.fileId });
      return;
    }
    case 'file.offer': {
      if (outgoing.has(msg.id) || !msg.fileId) return; // our own offer coming back
      if (s.findFile(msg.fileId)) return;
      s.files.value = [...s.files.value, { key: msg.fileId, fileId: msg.fileId, dir: 'in', name: msg.name, size: msg.size, bytes: 0, status: 'offered', from: msg.from?.name }];
      return;
    }
    case 'file.answer': {
      const o = outgoing.get(msg.fileId);
      if (!o) return;
      if (msg.accept) start(o);
      else s.updateFile(msg.fileId, { status: 'declined' });
      return;
    }
    case 'file.progress': {
      const o = outgoing.get(msg.fileId);
      if (o) {
        o.acked = Math.max(o.acked, msg.bytes);
        s.updateFile(msg.fileId, { bytes: msg.bytes, ...(msg.bytes >= msg.total && o.doneSent ? { status: 'done' } : {}) });
        void pump(o);
      }
      return;
    }
    case 'file.chunk': {
      const inc = incoming.get(msg.fileId);
      if (!inc || inc.parts.has(msg.offset)) return;
      inc.parts.set(msg.offset, msg.data.slice());
      inc.received += msg.data.byteLength;
      s.updateFile(msg.fileId, { bytes: inc.received, status: 'sending' });
      return;
    }
    case 'file.done': {
      const inc = incoming.get(msg.fileId);
      if (!inc) { s.updateFile(msg.fileId, { status: 'done' }); return; }
      incoming.delete(msg.fileId);
      const parts = [...inc.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, d]) => d as Uint8Array<ArrayBuffer>);
      const blob = new Blob(parts);
      const got = await sha256(blob);
      if (got !== msg.sha256) { s.updateFile(msg.fileId, { status: 'failed', error: 'checksum mismatch' }); return; }
      s.updateFile(msg.fileId, { status: 'done', bytes: blob.size, url: URL.createObjectURL(blob) });
      return;
    }
    case 'file.cancel': {
      const f = s.findFile(msg.fileId);
      if (f && f.status !== 'done') s.updateFile(msg.fileId, { status: 'cancelled', error: msg.reason });
      outgoing.delete(msg.fileId);
      incoming.delete(msg.fileId);
      return;
    }
  }
}
