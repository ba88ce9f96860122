// Reboot and reconnect in the console (docs/ARCHITECTURE.md, "Reboot and reconnect"): where a
// session's restart stands, from the session (waiting) and its transcript lines (asked, declined,
// back, failed), so a reload or a second console reads the same.
import { REBOOT_CODES, type Event, type RebootOutcome, type SessionInfo } from '../protocol/index.ts';

export type RebootStep = 'asked' | 'declined' | 'restarting' | 'reconnected' | 'failed' | null;

const STEP_OF: Record<string, RebootStep> = {
  [REBOOT_CODES.requested]: 'asked', [REBOOT_CODES.declined]: 'declined', [REBOOT_CODES.confirmed]: 'restarting',
  [REBOOT_CODES.reconnected]: 'reconnected', [REBOOT_CODES.failed]: 'failed',
};

/** Waiting for the computer (the session says so) wins; otherwise the latest restart line decides. */
export function rebootStep(info: SessionInfo | null | undefined, events: readonly Event[]): RebootStep {
  if (info?.reboot?.waitingUntil) return 'restarting';
  for (let i = events.length - 1; i >= 0; i--) {
    const b = events[i].body;
    if (b.kind === 'system' && b.code in STEP_OF) return STEP_OF[b.code] === 'restarting' ? null : STEP_OF[b.code];
  }
  return null;
}

export const REBOOT_STEP_TEXT: Record<Exclude<RebootStep, null>, string> = {
  asked: 'Restart asked for: waiting for the customer to confirm.',
  declined: 'The customer declined the restart.',
  restarting: "Restarting the customer's computer…",
  reconnected: "The customer's computer is back.",
  failed: "The customer's computer did not come back.",
};

export const REBOOT_OUTCOME_TEXT: Record<RebootOutcome, string> = { no: 'no', successful: 'successful', failed: 'reconnect failed' };
