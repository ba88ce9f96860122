// Session recording (docs/ARCHITECTURE.md, "Recording"): what the recording prompt promises. A
// session records when the site's policy is `always`, or `ask` and its customer allowed it (the
// transcript's latest `recording` line); a refusal records nothing, not even a header. Recorded:
// the frames exactly as relayed to reps and every transcript event, on one timeline. While it
// records, the server asks the agent for a full picture every `refreshSec`, on behalf of a rep the
// grant covers (the agent honours no other), so replay can seek; without such a rep no frame
// flows anyway, so recording never widens what is captured.
import { encodeOut } from '../outgoing.ts';
import type { LiveSettings } from '../settings/live-settings.ts';
import { eventToMessage, type LiveSession } from '../core/live-session.ts';
import type { Hub } from '../core/hub.ts';
import { DAY_MS, housekeeping, type Chore } from '../housekeeping.ts';
import { logError } from '../log.ts';
import type { EventRow, Store } from '../store/store.ts';
import { encodeRecord, RECORDING_MAGIC, RecordKind, type SiteSettings } from '../../protocol/index.ts';
import type { RecordingStorage } from './storage.ts';

/** Frames waiting for the disk beyond this are dropped (events never are); the next refresh heals. */
const MAX_QUEUED_BYTES = 32 * 1024 * 1024;
const FLUSH_MS = 1000;

class Recording {
  private chain: Promise<void>;
  private queued = 0;
  private dirty = false;
  private readonly timers: ReturnType<typeof setInterval>[] = [];

  constructor(readonly ls: LiveSession, private readonly storage: RecordingStorage, refreshSec: number) {
    // A file that exists already (a restart mid-session) goes on; a new one starts with its header.
    this.chain = this.storage.stat(ls.id).then((st) => (st ? undefined : this.storage.append(ls.id, RECORDING_MAGIC))).catch(logError);
    this.timers.push(setInterval(() => void this.flush(), FLUSH_MS));
    this.timers.push(setInterval(() => this.refresh(), refreshSec * 1000));
    for (const t of this.timers) t.unref();
    this.refresh();
  }

  write(kind: RecordKind, payload: Uint8Array, droppable: boolean): void {
    if (droppable && this.queued > MAX_QUEUED_BYTES) return;
    const record = encodeRecord(kind, Date.now(), payload);
    this.queued += record.length;
    this.chain = this.chain.then(() => this.storage.append(this.ls.id, record)).catch(logError).finally(() => {
      this.queued -= record.length;
      this.dirty = true;
    });
  }

  /** A full picture now, asked for as a covered rep who is present (the agent honours no one else). */
  refresh(): void {
    const viewer = this.ls.repPeers().find((r) => this.ls.grantReps.has(r.repId!));
    const agents = this.ls.agentPeers();
    if (!viewer || agents.length === 0) return;
    const bytes = encodeOut({ t: 'frame.refresh', sessionId: this.ls.id, from: viewer.actor });
    for (const a of agents) a.sendBytes(bytes);
    this.write(RecordKind.refresh, new Uint8Array(0), false);
  }

  private async flush(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    await this.chain;
    await this.storage.flush(this.ls.id).catch(logError);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.chain;
    await this.storage.close(this.ls.id).catch(logError);
  }
}

export class Recorder {
  /** Sessions decided: a recording, or false (not recorded). Undecided ones aren't here. */
  private readonly decided = new Map<string, Recording | false>();
  private readonly deciding = new Map<string, Promise<void>>();
  private retention: Chore | null = null;

  constructor(private readonly settings: LiveSettings, private readonly storage: RecordingStorage, private readonly store: Store, private readonly hub: Hub) {
    // Listens under every policy: an administrator may turn recording on while the server runs.
    hub.transcript.onAppend((ls, row) => this.onEvent(ls, row));
    hub.events.subscribe((e) => (e.type === 'session.ended' ? this.finish(e.session.id) : undefined));
  }

  /** The site's recording settings now; a session keeps what was decided when it began. */
  private get cfg(): SiteSettings['recording'] {
    return this.settings.get().recording;
  }

  start(): void {
    this.retention = housekeeping(() => this.deleteOld());
  }

  async stop(): Promise<void> {
    this.retention?.stop();
    await Promise.all([...this.decided.values()].map((r) => (r ? r.close() : undefined)));
  }

  /** A frame the server relayed to the reps the grant covers. */
  frame(ls: LiveSession, bytes: Uint8Array): void {
    this.write(ls, RecordKind.frame, bytes, true);
  }

  private onEvent(ls: LiveSession, row: EventRow): void {
    if (row.kind === 'recording' && this.cfg.policy === 'ask') {
      // The customer's answer decides, whatever was decided before (a reload may ask again).
      const allowed = (JSON.parse(row.body) as { allowed?: boolean }).allowed === true;
      const current = this.decided.get(ls.id);
      if (allowed && !current && !ls.closed) this.begin(ls);
      if (!allowed && current) void this.finish(ls.id, false);
      if (!allowed) this.refuse(ls);
    }
    if (this.unrecorded(ls)) return;
    this.write(ls, RecordKind.event, encodeOut(eventToMessage(row)), false);
  }

  /**
   * Decided not to record (refused, or begun while the policy was `off`): nothing to encode. A
   * session's first record under `off` decides it silently (the console shows no recording state
   * where the site records nothing), so turning recording on later applies to new sessions only.
   */
  private unrecorded(ls: LiveSession): boolean {
    if (!this.decided.has(ls.id) && this.cfg.policy === 'off' && !ls.closed) this.decided.set(ls.id, false);
    return this.decided.get(ls.id) === false;
  }

  /**
   * Into the session's recording; a session not yet decided (new under `always`, or the first
   * record after a restart) is decided first, and what comes meanwhile waits in order.
   */
  private write(ls: LiveSession, kind: RecordKind, payload: Uint8Array, droppable: boolean): void {
    if (this.unrecorded(ls)) return;
    const r = this.decided.get(ls.id);
    if (r) r.write(kind, payload, droppable);
    else if (!ls.closed) void this.decide(ls).then(() => this.write(ls, kind, payload, droppable));
  }

  /** After a restart: the session's latest recording answer (or the policy) says again. */
  private decide(ls: LiveSession): Promise<void> {
    let p = this.deciding.get(ls.id);
    if (!p) {
      p = (async () => {
        const record = this.cfg.policy === 'always' || (await this.store.latestEventOfKind(ls.id, 'recording'))?.allowed === true;
        if (this.decided.get(ls.id) !== undefined) return;
        if (record && !ls.closed) this.begin(ls);
        else this.refuse(ls);
      })().catch(logError).finally(() => this.deciding.delete(ls.id));
      this.deciding.set(ls.id, p);
    }
    return p;
  }

  private begin(ls: LiveSession): void {
    this.decided.set(ls.id, new Recording(ls, this.storage, this.cfg.refreshSec));
    this.tell(ls, 'on');
  }

  private refuse(ls: LiveSession): void {
    this.decided.set(ls.id, false);
    this.tell(ls, 'off');
  }

  /** The rep console shows it ("Recorded" / "Not recorded"). */
  private tell(ls: LiveSession, state: 'on' | 'off'): void {
    if (ls.recording === state) return;
    ls.recording = state;
    this.hub.views.sendSession(ls);
  }

  private async finish(sessionId: string, forget = true): Promise<void> {
    const r = this.decided.get(sessionId);
    if (forget) this.decided.delete(sessionId);
    if (r) await r.close();
  }

  private async deleteOld(): Promise<void> {
    const before = Date.now() - this.cfg.retentionDays * DAY_MS;
    for (const { sessionId, modifiedAt } of await this.storage.list()) {
      if (modifiedAt >= before || this.decided.get(sessionId)) continue;
      await this.storage.remove(sessionId);
      console.log(`[bridge] recording of session ${sessionId} deleted: older than ${this.cfg.retentionDays} days (recording.retentionDays)`);
    }
  }
}
