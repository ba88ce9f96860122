// The rep's WebSocket: one Connection (protocol/connection.ts does handshake, resume and the
// outbox) and the dispatch of every server message into the store.
import { Connection, newClientId, type Message, type Msg, type ReliableMessage } from '../protocol/index.ts';
import { isFileMessage } from '../client/files.ts';
import { browserSocket, wsUrl } from '../client/ws-url.ts';
import { loadCanned } from './canned.ts';
import { applyQueues } from './queue-view.ts';
import * as S from './store.ts';

let conn: Connection | null = null;

export function connect(): void {
  if (conn) return;
  conn = new Connection({
    url: wsUrl('/ws/rep'),
    role: 'rep',
    credential: '',
    createSocket: browserSocket,
    onMessage,
    onWelcome: (w) => {
      if (w.rep) S.me.value = w.rep;
      // The server forgets availability with the socket; tell it again after every (re)connect.
      send({ t: 'availability', status: S.availability.value });
    },
    onStatus: (st, err) => {
      S.status.value = st;
      if (st === 'offline') for (const s of Object.values(S.sessions.value)) s.transfers.connectionLost();
      if (err) S.toast(err.message, 'error');
      if (st === 'closed' && err?.code === 'unauthorized') {
        // Back to the login, saying why; a new login opens a new connection.
        conn = null;
        S.loginNotice.value = err.message;
        S.forgetLogin();
      }
    },
    client: { name: 'console' },
  });
}

export function disconnect(): void {
  conn?.close();
  conn = null;
  S.status.value = 'closed';
}

export function send(msg: Message): boolean {
  return conn?.send(msg) ?? false;
}

/** What the rep's socket has yet to send (Show My Screen waits while it is high). */
export function backlog(): number {
  return conn?.bufferedAmount ?? 0;
}

export function sendReliable(msg: ReliableMessage): Promise<number> {
  if (!conn) return Promise.reject(new Error('not connected'));
  return conn.sendReliable(msg);
}

export { newClientId };

/** The store of a session, created on first sight. */
export function session(id: string): S.SessionStore {
  let s = S.sessions.value[id];
  if (!s) {
    s = new S.SessionStore(id, S.me.value?.id ?? '', send, backlog);
    S.sessions.value = { ...S.sessions.value, [id]: s };
  }
  return s;
}

function setInfo(info: Msg<'session'>['session']): void {
  const s = session(info.id);
  const before = s.info.value;
  s.info.value = info;
  s.screen.req.onSession(info.screenRequest);
  s.screen.onSession(info);
  if (info.state === 'ended' && before && before.state !== 'ended' && S.openTabs.value.includes(info.id)) {
    S.toast(`Session with ${info.customer.name || 'the customer'} ended`);
    // Whoever ended it, the rep who had it open owes the exit survey.
    if ((S.me.value?.survey.length ?? 0) > 0) s.surveyDue.value = true;
  }
}

function onMessage(msg: Message): void {
  switch (msg.t) {
    case 'canned.changed':
      void loadCanned();
      break;
    case 'rep.queues':
    case 'rep.queues.delta': {
      const { state, gap } = applyQueues({ seq: S.queueSeq.value, queues: S.queues.value, mine: S.mine.value, reps: S.reps.value }, msg);
      // A missed change: the server sends a fresh snapshot, and deltas wait for it.
      if (gap) send({ t: 'rep.queues.refresh', lastSeq: S.queueSeq.value ?? 0 });
      S.queueSeq.value = state.seq;
      S.queues.value = state.queues;
      S.reps.value = state.reps;
      const mineBefore = new Set(S.mine.value.map((m) => m.id));
      S.mine.value = state.mine;
      const touched = msg.t === 'rep.queues'
        ? [...msg.mine, ...msg.queues.flatMap((q) => q.sessions)]
        : [...msg.mineAdded, ...msg.mineChanged, ...msg.added.map((e) => e.session), ...msg.changed.map((e) => e.session)];
      for (const info of touched) {
        setInfo(info);
        // A session that just became ours (accepted, transferred to us) opens as a tab.
        if (!mineBefore.has(info.id) && info.state !== 'ended' && state.mine.some((m) => m.id === info.id)) S.openTab(info.id);
      }
      return;
    }
    case 'session':
      setInfo(msg.session);
      return;
    case 'event': {
      const s = session(msg.sessionId);
      if (s.events.value.some((e) => e.seq === msg.seq)) return;
      s.events.value = [...s.events.value, msg].sort((a, b) => a.seq - b.seq);
      if (msg.id && s.pending.value.some((p) => p.id === msg.id)) s.pending.value = s.pending.value.filter((p) => p.id !== msg.id);
      if (msg.body.kind === 'chat') s.typingIn.onLine(msg.from);
      if (msg.body.kind === 'file') s.transfers.onEvent(msg.body);
      s.screen.req.onEvent(msg);
      // Unread counts what someone said, not system lines (files, joins, grants).
      if (S.view.value !== msg.sessionId && msg.body.kind === 'chat' && msg.from.id !== S.me.value?.id) s.unread.value++;
      return;
    }
    case 'typing':
      if (!msg.from || (msg.from.role === 'rep' && msg.from.id === S.me.value?.id)) return;
      session(msg.sessionId).typingIn.onTyping(msg.from, msg.active);
      return;
    case 'sysinfo':
      session(msg.sessionId).sysinfo.value = msg.info;
      return;
    case 'diag.report':
      session(msg.sessionId).diagnostics.value = msg.report;
      return;
    case 'grant':
      session(msg.sessionId).screen.onGrant(msg);
      return;
    case 'input.paused':
      session(msg.sessionId).screen.onInputPaused(msg);
      return;
    case 'frame':
      session(msg.sessionId).screen.onFrame(msg);
      return;
    case 'repscreen.state':
      session(msg.sessionId).show.onState(msg);
      return;
    case 'repscreen.keyframe':
      session(msg.sessionId).show.keyframe();
      return;
    case 'done':
      return; // the action that asked for it reports success itself
    case 'error':
      // A refused file offer fails its line in the file list too.
      if (msg.ref) for (const s of Object.values(S.sessions.value)) s.transfers.onError(msg.ref, msg.message);
      if (msg.ref === 'repscreen.start') for (const s of Object.values(S.sessions.value)) s.show.refused(msg.message);
      S.toast(msg.message, 'error');
      return;
    default:
      if (isFileMessage(msg)) session(msg.sessionId).transfers.onMessage(msg);
      return;
  }
}
