// The chat log: stored events in seq order, then our own lines still waiting for their ack
// (replaced by their event, matched by client id), and local lines such as queue messages.
import { signal } from '@preact/signals';
import type { Actor, EventBody, Msg } from '../../protocol/messages/index.ts';
import type { LogEntry } from './types.ts';

const SYSTEM: Actor = { role: 'system', name: 'System' };

/** The local "too fast" line: it goes once nothing of ours waits any more. */
const tooFast = (e: LogEntry) => e.seq === null && e.body.kind === 'system' && e.body.code === 'rate_limited';

export function createTranscript() {
  const log = signal<LogEntry[]>([]);
  return {
    log,
    /** A stored event; returns its line. */
    addEvent(ev: Msg<'event'>): LogEntry {
      const entry: LogEntry = { key: `s${ev.seq}`, seq: ev.seq, at: ev.at, from: ev.from, body: ev.body };
      const list = log.value;
      // Replace our pending copy (same client id) instead of adding a second line.
      const i = ev.id ? list.findIndex((e) => e.pending && e.key === ev.id) : -1;
      if (i >= 0) {
        log.value = [...list.slice(0, i), entry, ...list.slice(i + 1)];
        if (!log.value.some((e) => e.pending)) log.value = log.value.filter((e) => !tooFast(e));
      } else {
        // Keep the log ordered by seq; pending lines stay at the end.
        const firstPending = list.findIndex((e) => e.pending);
        const at = firstPending < 0 ? list.length : firstPending;
        log.value = [...list.slice(0, at), entry, ...list.slice(at)];
      }
      return entry;
    },
    /** A line only this page shows (a queue message). */
    addLocal(body: EventBody): void {
      log.value = [...log.value, { key: `l${log.value.length}-${Date.now()}`, seq: null, at: Date.now(), from: SYSTEM, body }];
    },
    /**
     * The server refused our pending line `id` (false: not one of ours): too fast (the Connection
     * resends it when the server said; one line tells the customer so) or for good (the line is
     * marked "not sent", the reason follows).
     */
    refused(id: string, err: Msg<'error'>): boolean {
      if (!log.value.some((e) => e.pending && e.key === id)) return false;
      if (err.code === 'rate_limited') {
        log.value = log.value.filter((e) => !tooFast(e));
        this.addLocal({ kind: 'system', code: 'rate_limited', text: err.message });
      } else if (err.code !== 'internal') {
        log.value = log.value.map((e) => (e.key === id ? { ...e, pending: false, failed: true } : e));
        this.addLocal({ kind: 'system', code: err.code, text: err.message });
      }
      return true;
    },
    /** Our chat line, shown as pending until its event arrives. */
    addPending(msg: Msg<'chat'>, from: Actor): void {
      log.value = [...log.value, { key: msg.id, seq: null, at: Date.now(), from, body: { kind: 'chat', text: msg.text }, pending: true }];
    },
  };
}
