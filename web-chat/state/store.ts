// The one state store of the customer chat. It owns a protocol `Connection` and turns what
// arrives into signals; components read the signals and call the actions. The agent's local
// window builds the same store over its own loopback socket (pass `url`/`createSocket`).
import { signal, computed, batch, type Signal } from '@preact/signals';
import { Connection, newClientId, type ConnectionOptions, type ConnectionStatus } from '../../protocol/connection.ts';
import { FILE_CHUNK_BYTES } from '../../protocol/limits.ts';
import type { Actor, CustomerSettings, EventBody, Message, Msg, PendingScreenRequest, ReliableMessage, SessionInfo } from '../../protocol/messages/index.ts';
import { sha256Hex } from '../lib/sha256.ts';

/** One line of the chat log: a stored event (seq set) or a local line (pending send, queue message). */
export interface LogEntry {
  key: string;
  seq: number | null;
  at: number;
  from: Actor;
  body: EventBody;
  /** Our own message not yet acknowledged by the server. */
  pending?: boolean;
}

export interface Transfer {
  /** Our client id for outgoing offers; the server's fileId for incoming ones. */
  key: string;
  fileId: string | null;
  dir: 'out' | 'in';
  name: string;
  size: number;
  bytes: number;
  from?: Actor;
  state: 'offered' | 'accepted' | 'declined' | 'sending' | 'receiving' | 'done' | 'failed';
  /** Incoming, done: an object URL to download it. */
  url?: string;
  error?: string;
}

export interface Queue { position: number; estimatedWaitSec: number | null }
export interface Ended { reason: string; byNotice: boolean; noService: boolean }
export interface ActiveNotice { key: string; text: string; leaveAllowed: boolean }

/** Where the store keeps what a reload needs (sessionStorage in the browser). */
export interface PersistLike { getItem(k: string): string | null; setItem(k: string, v: string): void; removeItem(k: string): void }

export interface ChatStoreOptions extends Partial<Pick<ConnectionOptions, 'createSocket' | 'backoffMs' | 'client' | 'role'>> {
  url: string;
  credential: string;
  sessionId: string;
  storage?: PersistLike | null;
  /** Called for every message after the store handled it (the agent window hooks in here). */
  onMessage?: (msg: Message) => void;
}

const SYSTEM: Actor = { role: 'system', name: 'System' };
const DEFAULT_SETTINGS: CustomerSettings = {
  companyName: 'Support', agreement: null, recordingPrompt: false, notices: [], survey: [], fileMaxBytes: 0, watermark: false,
};

export type ChatStore = ReturnType<typeof createChatStore>;

export function createChatStore(opts: ChatStoreOptions) {
  const sessionId = opts.sessionId;
  const outboxKey = `bridge.outbox.${sessionId}`;
  const storage = opts.storage ?? null;

  const status: Signal<ConnectionStatus> = signal('connecting');
  /** A fatal connection error (bad token, session gone). */
  const error = signal<string | null>(null);
  const settings = signal<CustomerSettings>(DEFAULT_SETTINGS);
  const welcomed = signal(false);
  const session = signal<SessionInfo | null>(null);
  const log = signal<LogEntry[]>([]);
  const typing = signal<Actor | null>(null);
  const queue = signal<Queue | null>(null);
  const transfers = signal<Transfer[]>([]);
  const notices = signal<ActiveNotice[]>([]);
  /** A request answered here, hidden until the server's next `session` drops it. */
  const answeredRequest = signal<string | null>(null);
  /** The rep's outstanding screen request: session state (docs/ARCHITECTURE.md, web chat). */
  const screenRequest = computed<PendingScreenRequest | null>(() => {
    const r = session.value?.screenRequest ?? null;
    return r && r.id !== answeredRequest.value && !ended.value ? r : null;
  });
  /** Increases with each live nudge; the Nudge effect reacts to it. */
  const nudges = signal(0);
  /** Last live message from someone else (for browser notifications). */
  const incoming = signal<LogEntry | null>(null);
  /** Our own answers, taken from the transcript so a reload remembers them. */
  const agreement = signal<boolean | null>(null);
  const recording = signal<boolean | null>(null);
  const ended = signal<Ended | null>(null);
  const surveyKey = `bridge.survey.${sessionId}`;
  const noticesKey = `bridge.notices.${sessionId}`;
  const surveySent = signal(storage?.getItem(surveyKey) === '1');
  const participantId = signal<string | null>(null);

  /** Events with `at` before the first welcome are history: replayed, not re-announced. */
  let liveSince = Infinity;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let typingSentAt = 0;
  let typingIdle: ReturnType<typeof setTimeout> | undefined;
  let endSent: Ended | null = null;
  const outFiles = new Map<string, File>();
  const inChunks = new Map<string, Uint8Array[]>();

  const myRole = opts.role ?? 'customer';
  /** Our own lines: by participant id when known (the agent window and the browser chat are both "the customer side"). */
  const isMine = (a: Actor) => (a.id && participantId.value ? a.id === participantId.value : a.role === myRole);
  /** The customer's side of the session: the browser chat or the agent. */
  const customerSide = (a: Actor) => a.role === 'customer' || a.role === 'agent';
  const patchTransfer = (key: string, p: Partial<Transfer>) => {
    transfers.value = transfers.value.map((t) => (t.key === key || (t.fileId !== null && t.fileId === key) ? { ...t, ...p } : t));
  };
  const findTransfer = (fileId: string) => transfers.value.find((t) => t.fileId === fileId || t.key === fileId);

  function saveOutbox(): void {
    if (!storage) return;
    const pending = conn.pending();
    if (pending.length) storage.setItem(outboxKey, JSON.stringify(pending));
    else storage.removeItem(outboxKey);
  }

  function markSurveySent(): void {
    surveySent.value = true;
    storage?.setItem(surveyKey, '1');
  }

  function addLocal(body: EventBody, from: Actor = SYSTEM): void {
    log.value = [...log.value, { key: `l${log.value.length}-${Date.now()}`, seq: null, at: Date.now(), from, body }];
  }

  function onEvent(ev: Msg<'event'>): void {
    const live = ev.at >= liveSince;
    const entry: LogEntry = { key: `s${ev.seq}`, seq: ev.seq, at: ev.at, from: ev.from, body: ev.body };
    // Replace our pending copy (same client id) instead of adding a second line.
    const list = log.value;
    const i = ev.id ? list.findIndex((e) => e.pending && e.key === ev.id) : -1;
    if (i >= 0) log.value = [...list.slice(0, i), entry, ...list.slice(i + 1)];
    else {
      // Keep the log ordered by seq; pending lines stay at the end.
      const firstPending = list.findIndex((e) => e.pending);
      const at = firstPending < 0 ? list.length : firstPending;
      log.value = [...list.slice(0, at), entry, ...list.slice(at)];
    }
    const b = ev.body;
    if (b.kind === 'agreement' && customerSide(ev.from)) agreement.value = b.accepted;
    if (b.kind === 'recording' && customerSide(ev.from)) recording.value = b.allowed;
    if (b.kind === 'file') {
      const t = findTransfer(b.fileId);
      if (t && (b.status === 'done' || b.status === 'declined' || b.status === 'failed') && t.state !== 'done') {
        if (t.dir === 'out' || b.status !== 'done') patchTransfer(t.key, { state: b.status });
      }
    }
    if (!live) return;
    if (!isMine(ev.from)) {
      if (typing.value && typing.value.id === ev.from.id) typing.value = null;
      incoming.value = entry;
    }
    if (b.kind === 'nudge' && ev.from.role === 'rep') nudges.value++;
    if (b.kind === 'notice') notices.value = [...notices.value, { key: entry.key, text: b.text, leaveAllowed: b.leaveAllowed }];
  }

  function onFileMessage(msg: Msg<'file.offer'> | Msg<'file.registered'> | Msg<'file.answer'> | Msg<'file.progress'> | Msg<'file.chunk'> | Msg<'file.done'> | Msg<'file.cancel'>): void {
    switch (msg.t) {
      case 'file.offer': {
        if (!msg.fileId || findTransfer(msg.fileId)) return;
        const t: Transfer = { key: msg.fileId, fileId: msg.fileId, dir: 'in', name: msg.name, size: msg.size, bytes: 0, state: 'offered', ...(msg.from ? { from: msg.from } : {}) };
        transfers.value = [...transfers.value, t];
        return;
      }
      case 'file.registered':
        patchTransfer(msg.id, { fileId: msg.fileId });
        return;
      case 'file.answer': {
        const t = findTransfer(msg.fileId);
        if (!t || t.dir !== 'out') return;
        if (!msg.accept) { patchTransfer(t.key, { state: 'declined' }); return; }
        patchTransfer(t.key, { state: 'sending' });
        void sendChunk(t.key, msg.fileId, 0);
        return;
      }
      case 'file.progress': {
        const t = findTransfer(msg.fileId);
        if (!t) return;
        patchTransfer(t.key, { bytes: msg.bytes });
        // The server confirms each stored chunk; the sender sends the next on each confirmation.
        if (t.dir === 'out' && t.state === 'sending') {
          if (msg.bytes < t.size) void sendChunk(t.key, msg.fileId, msg.bytes);
          else void finishSend(t.key, msg.fileId);
        }
        return;
      }
      case 'file.chunk': {
        const t = findTransfer(msg.fileId);
        if (!t || t.dir !== 'in') return;
        const parts = inChunks.get(msg.fileId) ?? [];
        parts.push(msg.data);
        inChunks.set(msg.fileId, parts);
        const bytes = parts.reduce((n, p) => n + p.byteLength, 0);
        patchTransfer(t.key, { bytes, state: 'receiving' });
        return;
      }
      case 'file.done': {
        const t = findTransfer(msg.fileId);
        if (!t || t.dir !== 'in') { if (t) patchTransfer(t.key, { state: 'done', bytes: t.size }); return; }
        void finishReceive(t, msg.sha256);
        return;
      }
      case 'file.cancel': {
        const t = findTransfer(msg.fileId);
        if (t) patchTransfer(t.key, { state: 'failed', error: msg.reason });
        return;
      }
    }
  }

  async function sendChunk(key: string, fileId: string, offset: number): Promise<void> {
    const file = outFiles.get(key);
    if (!file) return;
    const data = new Uint8Array(await file.slice(offset, offset + FILE_CHUNK_BYTES).arrayBuffer());
    if (!conn.send({ t: 'file.chunk', sessionId, fileId, offset, data })) patchTransfer(key, { state: 'failed', error: 'connection lost' });
  }

  async function finishSend(key: string, fileId: string): Promise<void> {
    const file = outFiles.get(key);
    if (!file) return;
    outFiles.delete(key);
    const sha256 = await sha256Hex(new Uint8Array(await file.arrayBuffer()));
    conn.send({ t: 'file.done', sessionId, fileId, sha256 });
    patchTransfer(key, { state: 'done', bytes: file.size });
  }

  async function finishReceive(t: Transfer, expected: string): Promise<void> {
    const parts = inChunks.get(t.key) ?? [];
    inChunks.delete(t.key);
    const blob = new Blob(parts as BlobPart[]);
    const sum = await sha256Hex(new Uint8Array(await blob.arrayBuffer()));
    if (sum !== expected) { patchTransfer(t.key, { state: 'failed', error: 'checksum mismatch' }); return; }
    patchTransfer(t.key, { state: 'done', bytes: blob.size, url: URL.createObjectURL(blob) });
  }

  function onMessage(msg: Message): void {
    batch(() => {
      switch (msg.t) {
        case 'event': if (msg.sessionId === sessionId) onEvent(msg); break;
        case 'ack': saveOutbox(); break;
        case 'session':
          if (msg.session.id !== sessionId) break;
          session.value = msg.session;
          if (msg.session.state === 'ended' && !ended.value) {
            ended.value = endSent ?? { reason: msg.session.endReason ?? 'ended', byNotice: false, noService: msg.session.acceptedAt === null };
          }
          if (msg.session.state === 'active' || msg.session.state === 'ended') queue.value = null;
          break;
        case 'queue.status':
          queue.value = { position: msg.position, estimatedWaitSec: msg.estimatedWaitSec };
          if (msg.message) addLocal({ kind: 'system', code: 'queue', text: msg.message });
          break;
        case 'typing':
          if (msg.from && !isMine(msg.from)) {
            typing.value = msg.active ? msg.from : null;
            clearTimeout(typingTimer);
            // A lost "stopped typing" must not leave the indicator on forever.
            if (msg.active) typingTimer = setTimeout(() => (typing.value = null), 8000);
          }
          break;
        case 'done': if (msg.ref.startsWith('survey-')) markSurveySent(); break;
        case 'error':
          if (msg.code === 'ended' && !ended.value) ended.value = endSent ?? { reason: 'ended', byNotice: false, noService: false };
          else if (status.value !== 'online') error.value = msg.message;
          else if (msg.ref && transfers.value.some((x) => x.key === msg.ref)) patchTransfer(msg.ref, { state: 'failed', error: msg.message });
          break;
        case 'file.offer': case 'file.registered': case 'file.answer': case 'file.progress':
        case 'file.chunk': case 'file.done': case 'file.cancel':
          onFileMessage(msg);
          break;
        default: break;
      }
    });
    opts.onMessage?.(msg);
  }

  const conn = new Connection({
    url: opts.url,
    role: opts.role ?? 'customer',
    credential: opts.credential,
    createSocket: opts.createSocket ?? ((u) => new WebSocket(u) as unknown as ReturnType<ConnectionOptions['createSocket']>),
    ...(opts.backoffMs ? { backoffMs: opts.backoffMs } : {}),
    ...(opts.client ? { client: opts.client } : {}),
    onMessage,
    onWelcome(w) {
      batch(() => {
        if (liveSince === Infinity) liveSince = w.serverTime;
        participantId.value = w.participantId;
        if (w.customer) settings.value = w.customer;
        // The site's notices come once per session, not again after a reload.
        if (!welcomed.value && w.customer && storage?.getItem(noticesKey) !== '1') {
          notices.value = w.customer.notices.map((text, i) => ({ key: `w${i}`, text, leaveAllowed: true }));
        }
        welcomed.value = true;
        error.value = null;
      });
    },
    onStatus(s, err) {
      batch(() => {
        status.value = s;
        // File bytes are not resent after a reconnect (the server cancels a sender that left):
        // say so rather than show a transfer that never moves again.
        if (s === 'offline') {
          // (An incoming offer not yet answered stays valid: the answer may come from the new socket.)
          const lost = (t: Transfer) => (t.dir === 'out' ? ['offered', 'accepted', 'sending'] : ['accepted', 'receiving']).includes(t.state);
          transfers.value = transfers.value.map((t) => (lost(t) ? { ...t, state: 'failed', error: 'the connection was lost; please send it again' } : t));
          outFiles.clear();
          inChunks.clear();
        }
        if (err) {
          if (err.code === 'ended') { if (!ended.value) ended.value = endSent ?? { reason: 'ended', byNotice: false, noService: false }; }
          else error.value = err.message;
        }
      });
    },
  });

  /** Reliable send with a pending line in the log until the ack (chat) and a persisted outbox. */
  function sendReliable(msg: ReliableMessage, showPending = false): Promise<number> {
    if (showPending && msg.t === 'chat') {
      log.value = [...log.value, { key: msg.id, seq: null, at: Date.now(), from: { role: myRole, name: 'You', ...(participantId.value ? { id: participantId.value } : {}) }, body: { kind: 'chat', text: msg.text }, pending: true }];
    }
    const p = conn.sendReliable(msg);
    saveOutbox();
    p.then(saveOutbox, saveOutbox); // refused for good leaves the outbox too: a reload must not resend it
    return p;
  }

  // A reload resends whatever was not acknowledged, with the same ids: the server dedupes them.
  if (storage) {
    try {
      const saved = JSON.parse(storage.getItem(outboxKey) ?? '[]') as ReliableMessage[];
      for (const m of saved) if (m && m.sessionId === sessionId) void sendReliable(m, true).catch(() => {});
    } catch { storage.removeItem(outboxKey); }
  }

  const actions = {
    say(text: string): void {
      const t = text.trim();
      if (!t) return;
      actions.setTyping(false);
      void sendReliable({ t: 'chat', sessionId, id: newClientId(), text: t }, true).catch(() => {});
    },
    /** Throttled: an "active" at most every 3 s; "stopped" after 4 s without keys. */
    setTyping(active: boolean): void {
      const now = Date.now();
      clearTimeout(typingIdle);
      if (active) {
        if (now - typingSentAt > 3000) { typingSentAt = now; conn.send({ t: 'typing', sessionId, active: true }); }
        typingIdle = setTimeout(() => actions.setTyping(false), 4000);
      } else if (typingSentAt) {
        typingSentAt = 0;
        conn.send({ t: 'typing', sessionId, active: false });
      }
    },
    /** Offer a file to the rep. Returns an error text when it can't be sent. */
    sendFile(file: File): string | null {
      const max = settings.value.fileMaxBytes;
      if (max > 0 && file.size > max) return `That file is too large (the limit is ${formatBytes(max)}).`;
      const id = newClientId();
      const ok = conn.send({ t: 'file.offer', sessionId, id, name: file.name.slice(0, 200), size: file.size, ...(file.type ? { mime: file.type.slice(0, 200) } : {}) });
      if (!ok) return 'You are offline; try again when the connection is back.';
      outFiles.set(id, file);
      transfers.value = [...transfers.value, { key: id, fileId: null, dir: 'out', name: file.name, size: file.size, bytes: 0, state: 'offered' }];
      return null;
    },
    answerFile(fileId: string, accept: boolean): void {
      conn.send({ t: 'file.answer', sessionId, fileId, accept });
      patchTransfer(fileId, { state: accept ? 'accepted' : 'declined' });
    },
    agree(accepted: boolean): void {
      agreement.value = accepted;
      void sendReliable({ t: 'agreement', sessionId, id: newClientId(), accepted }).catch(() => {});
      // The server ends a declined session itself; no exit survey follows (no service given).
      if (!accepted) ended.value = endSent = { reason: 'agreement declined', byNotice: false, noService: true };
    },
    record(allowed: boolean): void {
      recording.value = allowed;
      void sendReliable({ t: 'recording', sessionId, id: newClientId(), allowed }).catch(() => {});
    },
    /** End the session for everyone. `noService`: no exit survey (notice, declined agreement). */
    end(reason = 'customer ended the session', noService = false, byNotice = false): void {
      endSent = { reason, byNotice, noService };
      conn.send({ t: 'end', sessionId, reason });
      ended.value = endSent;
    },
    /** Leave because of a notice: ends the session, and no exit survey follows. */
    leaveForNotice(): void { actions.end('customer left after a notice', true, true); },
    dismissNotice(key: string): void {
      notices.value = notices.value.filter((n) => n.key !== key);
      if (key.startsWith('w')) storage?.setItem(noticesKey, '1');
    },
    /** The request was answered here (agent window): hide it now, not at the server's next update. */
    dismissScreenRequest(): void { answeredRequest.value = screenRequest.value?.id ?? null; },
    /** The customer refuses the outstanding request (browser chat: no agent needed to say no). */
    declineScreen(): void {
      const r = screenRequest.value;
      if (!r) return;
      // Offline, the card stays: the refusal would be lost and the request still open.
      if (conn.send({ t: 'screen.decline', sessionId, requestId: r.id })) answeredRequest.value = r.id;
    },
    submitSurvey(answers: Record<string, string | number | boolean>): Promise<number> {
      const p = sendReliable({ t: 'survey', sessionId, id: `survey-${newClientId()}`, answers });
      p.then(markSurveySent, () => {});
      return p;
    },
    /** Tests and "network changed": drop the socket and resume. */
    reconnect(): void { conn.reconnectNow(); },
    dispose(): void {
      conn.close();
      for (const t of transfers.value) if (t.url) URL.revokeObjectURL(t.url);
    },
  };

  return {
    sessionId,
    conn,
    status, error, settings, welcomed, session, log, typing, queue, transfers, notices, screenRequest,
    nudges, incoming, agreement, recording, ended, surveySent, participantId,
    /** Waiting for a rep: queued/pending, or no session info yet. */
    waiting: computed(() => !session.value || session.value.state === 'queued' || session.value.state === 'pending'),
    isMine,
    ...actions,
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}
