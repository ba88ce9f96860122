// File transfer of one session, both ways, for the chat, the agent window and the console
// (protocol/messages/file.ts). Outgoing: offer → `file.registered` (the file id) → the receiver
// accepts → chunks, at most FILE_WINDOW_BYTES beyond what the server's `file.progress` confirmed
// → `file.done` with the SHA-256. Incoming: offer → accepted here → chunks → `file.done`, checked
// against the sender's SHA-256 before a download link (an object URL) appears.
import { newClientId } from '../protocol/connection.ts';
import { FILE_CHUNK_BYTES, FILE_WINDOW_BYTES } from '../protocol/limits.ts';
import { formatBytes } from '../protocol/event-text.ts';
import type { Actor, EventBody, Message, Msg } from '../protocol/messages/index.ts';
import type { Cell } from './cell.ts';
import { sha256Hex } from './hash.ts';

export interface Transfer {
  /** Our client id for outgoing offers; the server's file id for incoming ones. */
  key: string;
  fileId: string | null;
  dir: 'out' | 'in';
  name: string;
  size: number;
  /** Confirmed by the server (outgoing) or received (incoming). */
  bytes: number;
  from?: Actor;
  state: 'offered' | 'accepted' | 'declined' | 'sending' | 'receiving' | 'done' | 'failed';
  /** Incoming, done and checked: an object URL to save it. */
  url?: string;
  error?: string;
}

export type FileMessage = Msg<'file.offer'> | Msg<'file.registered'> | Msg<'file.answer'> | Msg<'file.progress'> | Msg<'file.chunk'> | Msg<'file.done'> | Msg<'file.cancel'>;
export const isFileMessage = (m: Message): m is FileMessage => m.t.startsWith('file.');

interface Outgoing { file: File; fileId: string | null; sent: number; acked: number; started: boolean; pumping: boolean; doneSent: boolean; sha: Promise<string> }
interface Incoming { parts: Map<number, Uint8Array>; received: number }

const LOST = 'the connection was lost; please send it again';

export interface FileTransfersOptions {
  sessionId: string;
  /** Fire-and-forget send; false when offline. */
  send: (msg: Message) => boolean;
  /** Every transfer of the session, both directions, in offer order. */
  list: Cell<Transfer[]>;
}

export type FileTransfers = ReturnType<typeof createFileTransfers>;

export function createFileTransfers(o: FileTransfersOptions) {
  const out = new Map<string, Outgoing>(); // by client id, and by file id once known
  const inc = new Map<string, Incoming>(); // by file id, once accepted here
  const { sessionId, send, list } = o;

  function find(keyOrFileId: string): Transfer | undefined {
    return list.value.find((t) => t.key === keyOrFileId || t.fileId === keyOrFileId);
  }

  function patch(keyOrFileId: string, p: Partial<Transfer>): void {
    list.value = list.value.map((t) => (t.key === keyOrFileId || (t.fileId !== null && t.fileId === keyOrFileId) ? { ...t, ...p } : t));
  }

  function forget(keyOrFileId: string): void {
    const x = out.get(keyOrFileId);
    if (x) for (const [k, v] of out) if (v === x) out.delete(k);
    inc.delete(keyOrFileId);
  }

  function fail(keyOrFileId: string, error: string): void {
    patch(keyOrFileId, { state: 'failed', error });
    forget(keyOrFileId);
  }

  function start(x: Outgoing): void {
    if (x.started || !x.fileId) return;
    x.started = true;
    patch(x.fileId, { state: 'sending' });
    void pump(x);
  }

  /** Sends what the window allows; runs again on every `file.progress`. */
  async function pump(x: Outgoing): Promise<void> {
    if (x.pumping || !x.started || !x.fileId) return;
    const fileId = x.fileId;
    x.pumping = true;
    try {
      while (x.sent < x.file.size && x.sent - x.acked < FILE_WINDOW_BYTES) {
        const end = Math.min(x.file.size, x.sent + FILE_CHUNK_BYTES);
        const data = new Uint8Array(await x.file.slice(x.sent, end).arrayBuffer());
        if (!send({ t: 'file.chunk', sessionId, fileId, offset: x.sent, data })) throw new Error(LOST);
        x.sent = end;
      }
      if (x.sent >= x.file.size && !x.doneSent) {
        x.doneSent = true;
        send({ t: 'file.done', sessionId, fileId, sha256: await x.sha });
      }
    } catch (e) {
      fail(fileId, (e as Error).message);
    } finally {
      x.pumping = false;
    }
  }

  async function finishReceive(fileId: string, expected: string): Promise<void> {
    const t = find(fileId);
    const got = inc.get(fileId);
    if (!t || t.dir !== 'in') return;
    // Accepted elsewhere (another tab, another rep): done, but the bytes are not here.
    if (!got) { if (t.state !== 'failed') patch(fileId, { state: 'done', bytes: t.size }); return; }
    inc.delete(fileId);
    const blob = new Blob([...got.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, d]) => d as BlobPart));
    if ((await sha256Hex(blob)) !== expected) return fail(fileId, 'checksum mismatch');
    patch(fileId, { state: 'done', bytes: blob.size, url: URL.createObjectURL(blob) });
  }

  function onMessage(msg: FileMessage): void {
    switch (msg.t) {
      case 'file.offer':
        if (!msg.fileId || find(msg.fileId) || out.has(msg.id)) return;
        list.value = [...list.value, { key: msg.fileId, fileId: msg.fileId, dir: 'in', name: msg.name, size: msg.size, bytes: 0, state: 'offered', ...(msg.from ? { from: msg.from } : {}) }];
        return;
      case 'file.registered': {
        const x = out.get(msg.id);
        if (!x) return;
        x.fileId = msg.fileId;
        out.set(msg.fileId, x);
        patch(msg.id, { fileId: msg.fileId });
        return;
      }
      case 'file.answer': {
        const x = out.get(msg.fileId);
        if (!x) return;
        if (msg.accept) start(x);
        else { patch(msg.fileId, { state: 'declined' }); forget(msg.fileId); }
        return;
      }
      case 'file.progress': {
        const x = out.get(msg.fileId);
        if (!x) return;
        x.acked = Math.max(x.acked, msg.bytes);
        patch(msg.fileId, { bytes: x.acked });
        void pump(x);
        return;
      }
      case 'file.chunk': {
        const got = inc.get(msg.fileId);
        if (!got || got.parts.has(msg.offset)) return;
        got.parts.set(msg.offset, msg.data.slice());
        got.received += msg.data.byteLength;
        patch(msg.fileId, { bytes: got.received, state: 'receiving' });
        return;
      }
      case 'file.done':
        void finishReceive(msg.fileId, msg.sha256);
        return;
      case 'file.cancel':
        if (find(msg.fileId)?.state !== 'done') patch(msg.fileId, { state: 'failed', error: msg.reason });
        forget(msg.fileId);
        return;
    }
  }

  return {
    find,
    onMessage,

    /** Offer a file. Returns why it can't be sent (a sentence for the user), or null. */
    offer(file: File, maxBytes = 0): string | null {
      if (maxBytes > 0 && file.size > maxBytes) return `That file is too large (the limit is ${formatBytes(maxBytes)}).`;
      const id = newClientId();
      if (!send({ t: 'file.offer', sessionId, id, name: file.name.slice(0, 200), size: file.size, ...(file.type ? { mime: file.type.slice(0, 200) } : {}) })) {
        return 'You are offline; try again when the connection is back.';
      }
      const sha = sha256Hex(file);
      sha.catch(() => {}); // reported when the pump awaits it, not as an unhandled rejection
      out.set(id, { file, fileId: null, sent: 0, acked: 0, started: false, pumping: false, doneSent: false, sha });
      list.value = [...list.value, { key: id, fileId: null, dir: 'out', name: file.name, size: file.size, bytes: 0, state: 'offered' }];
      return null;
    },

    /** Accept or decline a file offered to us. */
    answer(fileId: string, accept: boolean): void {
      if (!find(fileId)) return;
      send({ t: 'file.answer', sessionId, fileId, accept });
      if (accept) inc.set(fileId, { parts: new Map(), received: 0 });
      patch(fileId, { state: accept ? 'accepted' : 'declined' });
    },

    /** A transcript line about a file: the server's word on how it ended, or the first news of an acceptance. */
    onEvent(b: Extract<EventBody, { kind: 'file' }>): void {
      const t = find(b.fileId);
      if (!t) return;
      const x = out.get(b.fileId);
      if (x && b.status === 'accepted') start(x);
      if (t.state === 'done' || t.state === 'failed') return;
      // An incoming file is done here only once its bytes are checked (finishReceive).
      if (b.status === 'declined' || b.status === 'failed' || (b.status === 'done' && t.dir === 'out')) {
        patch(b.fileId, { state: b.status, ...(b.status === 'done' ? { bytes: t.size } : {}) });
        forget(b.fileId);
      }
    },

    /** The server refused one of our offers (`error` with `ref` = its client id). True when it was ours. */
    onError(ref: string, message: string): boolean {
      if (!out.has(ref)) return false;
      fail(ref, message);
      return true;
    },

    /**
     * The socket went: bytes are not resent on the next one (the server cancels a sender that
     * left), so say so rather than show a transfer that never moves again. An incoming offer not
     * yet answered stays valid: the answer may go out on the new socket.
     */
    connectionLost(): void {
      const lost = (t: Transfer) => (t.dir === 'out' ? ['offered', 'accepted', 'sending'] : ['accepted', 'receiving']).includes(t.state);
      list.value = list.value.map((t) => (lost(t) ? { ...t, state: 'failed', error: LOST } : t));
      out.clear();
      inc.clear();
    },

    dispose(): void {
      for (const t of list.value) if (t.url) URL.revokeObjectURL(t.url);
      out.clear();
      inc.clear();
    },
  };
}
