// Session timers (orphan, agreement, screen request, reboot wait) are deadlines stored in the session rows, so
// they outlive the process. The server notes when it was last alive; after a restart (even
// kill -9) the time it was down is added to every open deadline, so a waiting customer keeps the
// time they had left instead of being orphaned for the outage (docs/ARCHITECTURE.md, "Timers").
import type { PendingScreenRequest } from '../../protocol/index.ts';
import type { SessionRow, Store } from '../store/store.ts';
import type { RebootWait } from './live-session.ts';

/** How often "alive at" is written; a restart may count up to this much downtime as waiting. */
export const ALIVE_EVERY_MS = 5_000;
const ALIVE_KEY = 'alive_at';

export function recordAlive(store: Store, now: number): Promise<void> {
  return store.setMeta(ALIVE_KEY, String(now));
}

/** How long no server was alive: now minus the last "alive at" (0 when none was recorded). */
export async function downtime(store: Store, now: number): Promise<number> {
  const alive = Number(await store.getMeta(ALIVE_KEY));
  return Number.isFinite(alive) && alive > 0 ? Math.max(0, now - alive) : 0;
}

/** A row's deadlines moved on by `down` ms; null when it has none. */
export function deadlinesMovedOn(row: SessionRow, down: number): Partial<SessionRow> | null {
  const patch: Partial<SessionRow> = {};
  if (row.orphan_at !== null) patch.orphan_at = row.orphan_at + down;
  if (row.agreement_at !== null) patch.agreement_at = row.agreement_at + down;
  if (row.screen_request !== null) {
    const req = JSON.parse(row.screen_request) as PendingScreenRequest;
    patch.screen_request = JSON.stringify({ ...req, expiresAt: req.expiresAt + down });
  }
  if (row.reboot_wait !== null) {
    const wait = JSON.parse(row.reboot_wait) as RebootWait;
    patch.reboot_wait = JSON.stringify({ ...wait, until: wait.until + down });
  }
  return Object.keys(patch).length > 0 ? patch : null;
}

/** Moves the deadlines of open sessions on by the downtime since the last "alive"; returns the rows as now stored. */
export async function catchUpDeadlines(store: Store, rows: SessionRow[], now: number): Promise<SessionRow[]> {
  const down = await downtime(store, now);
  if (down === 0) return rows;
  const out: SessionRow[] = [];
  for (const row of rows) {
    const patch = deadlinesMovedOn(row, down);
    if (patch) await store.updateSession(row.id, patch);
    out.push({ ...row, ...patch });
  }
  return out;
}
