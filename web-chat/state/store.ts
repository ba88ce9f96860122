// The one state store of the customer chat. It owns a protocol `Connection` and turns what
// arrives into signals; components read the signals and call the actions. The agent's local
// window builds the same store over its own loopback socket (pass `url`/`createSocket`).
// Its parts live beside it: transcript.ts (the log), outbox.ts (reload), screen-request.ts,
// and client/ (file transfer, typing).
import { signal, computed, batch, type Signal } from '@preact/signals';
import { Connection, newClientId, type ConnectionOptions, type ConnectionStatus } from '../../protocol/connection.ts';
import type { Actor, CustomerSettings, Message, Msg, ReliableMessage, SessionInfo } from '../../protocol/messages/index.ts';
import { createFileTransfers, isFileMessage, type Transfer } from '../../client/files.ts';
import { typingSender, typingWatch } from '../../client/typing.ts';
import { browserSocket } from '../../client/ws-url.ts';
import { createOutbox } from './outbox.ts';
import { createScreenRequest } from './screen-request.ts';
import { createRepScreen } from './rep-screen.ts';
import { createTranscript } from './transcript.ts';
import type { ActiveNotice, Ended, LogEntry, PersistLike, Queue } from './types.ts';

export interface ChatStoreOptions extends Partial<Pick<ConnectionOptions, 'createSocket' | 'backoffMs' | 'client' | 'role'>> {
  url: string;
  credential: string;
  sessionId: string;
  storage?: PersistLike | null;
  /** Called for every message after the store handled it (the agent window hooks in here). */
  onMessage?: (msg: Message) => void;
}

const DEFAULT_SETTINGS: CustomerSettings = {
  companyName: 'Support', agreement: null, recordingPrompt: false, notices: [], survey: [], fileMaxBytes: 0, watermark: false,
};

export type ChatStore = ReturnType<typeof createChatStore>;

export function createChatStore(opts: ChatStoreOptions) {
  const sessionId = opts.sessionId;
  const storage = opts.storage ?? null;
  const outbox = createOutbox(storage, sessionId);
  const transcript = createTranscript();
  const log = transcript.log;

  const status: Signal<ConnectionStatus> = signal('connecting');
  /** A fatal connection error (bad token, session gone). */
  const error = signal<string | null>(null);
  const settings = signal<CustomerSettings>(DEFAULT_SETTINGS);
  const welcomed = signal(false);
  const session = signal<SessionInfo | null>(null);
  const typing = signal<Actor | null>(null);
  const queue = signal<Queue | null>(null);
  const transfers = signal<Transfer[]>([]);
  const notices = signal<ActiveNotice[]>([]);
  /** Increases with each live nudge; the Nudge effect reacts to it. */
  const nudges = signal(0);
  /** Last live message from someone else (for browser notifications). */
  const incoming = signal<LogEntry | null>(null);
  /** Our own answers, taken from the transcript so a reload remembers them. */
  const agreement = signal<boolean | null>(null);
  const recording = signal<boolean | null>(null);
  const ended = signal<Ended | null>(null);
  const screen = createScreenRequest(sessionId, session, computed(() => ended.value !== null), (m) => conn.send(m));
  const repScreen = createRepScreen(sessionId, (m) => conn.send(m));
  const surveyKey = `bridge.survey.${sessionId}`;
  const noticesKey = `bridge.notices.${sessionId}`;
  const surveySent = signal(storage?.getItem(surveyKey) === '1');
  const participantId = signal<string | null>(null);

  /** Events with `at` before the first welcome are history: replayed, not re-announced. */
  let liveSince = Infinity;
  let endSent: Ended | null = null;
  const files = createFileTransfers({ sessionId, send: (m) => conn.send(m), list: transfers });
  const typingIn = typingWatch(typing);
  const typingOut = typingSender((active) => conn.send({ t: 'typing', sessionId, active }));

  const myRole = opts.role ?? 'customer';
  /** Our own lines: by participant id when known (the agent window and the browser chat are both "the customer side"). */
  const isMine = (a: Actor) => (a.id && participantId.value ? a.id === participantId.value : a.role === myRole);
  /** The customer's side of the session: the browser chat or the agent. */
  const customerSide = (a: Actor) => a.role === 'customer' || a.role === 'agent';

  const saveOutbox = () => outbox.save(conn.pending());

  function markSurveySent(): void {
    surveySent.value = true;
    storage?.setItem(surveyKey, '1');
  }

  function onEvent(ev: Msg<'event'>): void {
    const live = ev.at >= liveSince;
    const entry = transcript.addEvent(ev);
    const b = ev.body;
    if (b.kind === 'agreement' && customerSide(ev.from)) agreement.value = b.accepted;
    if (b.kind === 'recording' && customerSide(ev.from)) recording.value = b.allowed;
    if (b.kind === 'file') files.onEvent(b);
    if (!live) return;
    if (!isMine(ev.from)) {
      typingIn.onLine(ev.from);
      incoming.value = entry;
    }
    if (b.kind === 'nudge' && ev.from.role === 'rep') nudges.value++;
    if (b.kind === 'notice') notices.value = [...notices.value, { key: entry.key, text: b.text, leaveAllowed: b.leaveAllowed }];
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
          if (msg.message) transcript.addLocal({ kind: 'system', code: 'queue', text: msg.message });
          break;
        case 'typing':
          if (msg.from && !isMine(msg.from)) typingIn.onTyping(msg.from, msg.active);
          break;
        case 'done': if (msg.ref.startsWith('survey-')) markSurveySent(); break;
        case 'error':
          if (msg.code === 'ended' && !ended.value) ended.value = endSent ?? { reason: 'ended', byNotice: false, noService: false };
          else if (status.value !== 'online') error.value = msg.message;
          else if (msg.ref && !files.onError(msg.ref, msg.message) && !transcript.refused(msg.ref, msg)) {
            // Answered already (from the agent's window, or before a reload): nothing left to ask.
            if (msg.ref.startsWith('survey-') && msg.code === 'conflict') markSurveySent();
          }
          break;
        case 'repscreen.state': case 'repscreen.frame': repScreen.onMessage(msg); break;
        default:
          if (isFileMessage(msg) && msg.sessionId === sessionId) files.onMessage(msg);
          break;
      }
    });
    opts.onMessage?.(msg);
  }

  const conn = new Connection({
    url: opts.url,
    role: opts.role ?? 'customer',
    credential: opts.credential,
    createSocket: opts.createSocket ?? browserSocket,
    ...(opts.backoffMs ? { backoffMs: opts.backoffMs } : {}),
    ...(opts.client ? { client: opts.client } : {}),
    onMessage,
    onWelcome(w) {
      batch(() => {
        if (liveSince === Infinity) liveSince = w.serverTime;
        participantId.value = w.participantId;
        repScreen.onWelcome();
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
        if (s === 'offline') files.connectionLost();
        if (err) {
          if (err.code === 'ended') { if (!ended.value) ended.value = endSent ?? { reason: 'ended', byNotice: false, noService: false }; }
          else error.value = err.message;
        }
      });
    },
  });

  /** Reliable send with a pending line in the log until the ack (chat) and a persisted outbox. */
  function sendReliable(msg: ReliableMessage, showPending = false): Promise<number> {
    if (showPending && msg.t === 'chat') transcript.addPending(msg, { role: myRole, name: 'You', ...(participantId.value ? { id: participantId.value } : {}) });
    const p = conn.sendReliable(msg);
    saveOutbox();
    p.then(saveOutbox, saveOutbox); // refused for good leaves the outbox too: a reload must not resend it
    return p;
  }

  // A reload resends whatever was not acknowledged, with the same ids: the server dedupes them.
  for (const m of outbox.load()) void sendReliable(m, true).catch(() => {});

  const actions = {
    say(text: string): void {
      const t = text.trim();
      if (!t) return;
      typingOut.set(false);
      void sendReliable({ t: 'chat', sessionId, id: newClientId(), text: t }, true).catch(() => {});
    },
    /** Throttled (client/typing.ts): call on every key. */
    setTyping(active: boolean): void { typingOut.set(active); },
    /** Offer a file to the rep. Returns an error text when it can't be sent. */
    sendFile(file: File): string | null { return files.offer(file, settings.value.fileMaxBytes); },
    answerFile(fileId: string, accept: boolean): void { files.answer(fileId, accept); },
    agree(accepted: boolean): void {
      agreement.value = accepted;
      void sendReliable({ t: 'agreement', sessionId, id: newClientId(), accepted }).catch(() => {});
      // The server ends a declined session itself; no exit survey follows (no service given).
      if (!accepted) ended.value = endSent = { reason: 'agreement declined', byNotice: false, noService: true };
    },
    /** More time on the agreement: the server restarts its countdown (at most AGREEMENT_EXTENSIONS times). */
    moreTimeOnAgreement(): void { conn.send({ t: 'agreement.more', sessionId }); },
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
    dismissScreenRequest: screen.dismissScreenRequest,
    /** The rep's screen (Show My Screen): the component's canvas in and out, and the customer's Close. */
    attachRepScreen: repScreen.attach,
    detachRepScreen: repScreen.detach,
    closeRepScreen: repScreen.closeView,
    declineScreen: screen.declineScreen,
    submitSurvey(answers: Record<string, string | number | boolean>): Promise<number> {
      const p = sendReliable({ t: 'survey', sessionId, id: `survey-${newClientId()}`, answers });
      p.then(markSurveySent, () => {});
      return p;
    },
    /** Tests and "network changed": drop the socket and resume. */
    reconnect(): void { conn.reconnectNow(); },
    dispose(): void {
      conn.close();
      files.dispose();
      typingIn.dispose();
      typingOut.dispose();
    },
  };

  return {
    sessionId,
    conn,
    status, error, settings, welcomed, session, log, typing, queue, transfers, notices, screenRequest: screen.screenRequest, repScreen: repScreen.share,
    nudges, incoming, agreement, recording, ended, surveySent, participantId,
    /** Waiting for a rep: queued/pending, or no session info yet. */
    waiting: computed(() => !session.value || session.value.state === 'queued' || session.value.state === 'pending'),
    isMine,
    ...actions,
  };
}

