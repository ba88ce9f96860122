// Work that keeps the data dir from growing for ever (old recordings, delivered outbound events):
// done once at start, then every few hours, never holding the process open. Its failures are
// logged, never thrown: housekeeping must not take the server down.
import { logError } from './log.ts';

const EVERY_MS = 6 * 3600_000;

export interface Chore { stop(): void }

export function housekeeping(work: () => Promise<void>, everyMs = EVERY_MS): Chore {
  const run = () => void work().catch(logError);
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

export const DAY_MS = 86_400_000;
