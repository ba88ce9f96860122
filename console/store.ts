// All console state in one place, as signals. Components read it; client.ts writes it from
// server messages; actions.ts writes it from what the rep does.
import { computed, effect, signal } from '@preact/signals';
import type { Actor, CannedMessage, ConnectionStatus, DiagnosticsReport, Event, Message, Msg, QueueView, RepProfile, SessionInfo } from '../protocol/index.ts';
import { createFileTransfers, type FileTransfers, type Transfer } from '../client/files.ts';
import { typingSender, typingWatch } from '../client/typing.ts';
import { ScreenSession } from './viewer/screen.ts';
import { ScreenShow } from './show-screen.ts';

export type SysInfo = Msg<'sysinfo'>['info'];
export type Availability = 'available' | 'busy' | 'away';

export class SessionStore {
  readonly info = signal<SessionInfo | null>(null);
  readonly events = signal<Event[]>([]);
  /** Who is typing right now, or null. */
  readonly typing = signal<Actor | null>(null);
  readonly sysinfo = signal<SysInfo | null>(null);
  /** The latest diagnostics report the customer allowed. */
  readonly diagnostics = signal<DiagnosticsReport | null>(null);
  readonly files = signal<Transfer[]>([]);
  readonly unread = signal(0);
  /** Our chat lines not yet stored by the server (shown greyed until their event arrives). */
  readonly pending = signal<{ id: string; text: string; at: number }[]>([]);
  /** The rep ended the session and owes the exit survey. */
  readonly surveyDue = signal(false);
  readonly screen: ScreenSession;
  /** Show My Screen: the rep's own screen shown to the customer. */
  readonly show: ScreenShow;
  /** File transfer both ways (client/files.ts), shown from `files`. */
  readonly transfers: FileTransfers;
  readonly typingIn = typingWatch(this.typing);
  readonly typingOut: ReturnType<typeof typingSender>;

  constructor(readonly id: string, repId: string, send: (m: Message) => boolean, backlog: () => number = () => 0) {
    this.screen = new ScreenSession(id, repId, send);
    this.show = new ScreenShow(id, () => me.value?.id ?? repId, send, backlog);
    this.transfers = createFileTransfers({ sessionId: id, send, list: this.files });
    this.typingOut = typingSender((active) => send({ t: 'typing', sessionId: id, active }));
  }
}

export const me = signal<RepProfile | null>(null);
/** The first /api/rep/me answered (so we know whether to show the login form). */
export const authChecked = signal(false);
export const status = signal<ConnectionStatus>('closed');
export const availability = signal<Availability>('available');
export const queues = signal<QueueView[]>([]);
/** The seq of the last queue snapshot or delta applied (console/queue-view.ts); null until a snapshot. */
export const queueSeq = signal<number | null>(null);
export const mine = signal<SessionInfo[]>([]);
export const reps = signal<Msg<'rep.queues'>['reps']>([]);
export const sessions = signal<Record<string, SessionStore>>({});
/** Session tabs the rep has open, in order. */
export const openTabs = signal<string[]>([]);
/** Why the console went back to its login (a disabled account, a reset password), shown there. */
export const loginNotice = signal<string | null>(null);
/** The canned messages this rep may insert (for everyone and their teams), loaded after login. */
export const canned = signal<CannedMessage[]>([]);
/** 'queues' | 'history' | 'admin' | 'account' | a session id. */
export const view = signal<string>('queues');
export const toasts = signal<{ id: number; text: string; kind: 'info' | 'error' }[]>([]);
/** Ticks every second: time in queue, key expiry. */
export const now = signal(Date.now());
if (typeof window !== 'undefined') setInterval(() => (now.value = Date.now()), 1000);

export const queueCount = computed(() => queues.value.reduce((n, q) => n + q.sessions.length, 0));
// Waiting customers show in the browser tab's title, so a rep working elsewhere notices them.
if (typeof document !== 'undefined') effect(() => { document.title = `${queueCount.value ? `(${queueCount.value}) ` : ''}Bridge — Representative console`; });

let toastId = 0;
export function toast(text: string, kind: 'info' | 'error' = 'info'): void {
  const id = ++toastId;
  toasts.value = [...toasts.value, { id, text, kind }];
  setTimeout(() => (toasts.value = toasts.value.filter((t) => t.id !== id)), kind === 'error' ? 8000 : 4000);
}

/** What a login saw goes with it (logout, or the server ending the login). */
export function forgetLogin(): void {
  me.value = null;
  for (const s of Object.values(sessions.value)) s.show.dispose();
  sessions.value = {};
  openTabs.value = [];
  queues.value = [];
  queueSeq.value = null;
  mine.value = [];
  canned.value = [];
  view.value = 'queues';
}

export function openTab(id: string): void {
  if (!openTabs.value.includes(id)) openTabs.value = [...openTabs.value, id];
}

export function closeTab(id: string): void {
  openTabs.value = openTabs.value.filter((t) => t !== id);
  sessions.value[id]?.screen.dispose();
  sessions.value[id]?.show.dispose();
  if (view.value === id) view.value = 'queues';
}
