// Words for transcript events, the one place every reader takes them from (browser chat, agent
// window, terminal, console, text transcripts, browser notifications), so the wording lives once
// and a message catalogue can later replace it here (docs/ARCHITECTURE.md, Client layer).
import type { Actor, EventBody } from './messages/index.ts';

/** "Ana", "Ana and Ben", "Ana, Ben and Cy". */
export function nameList(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** 812 B, 4.2 KB, 15 KB, 3.1 MB, 1.5 GB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

/** The customer's grant as the reference logs word it, naming the reps it covers. */
export function grantText(b: Extract<EventBody, { kind: 'grant' }>): string {
  if (b.grant === 'none') return 'Screen sharing ended.';
  // Records from before grants named their reps.
  if (!b.reps?.length) return b.grant === 'control' ? 'The customer allowed viewing and control of the screen.' : 'The customer allowed viewing the screen.';
  return `${nameList(b.reps)} can now view${b.grant === 'control' ? ' and control' : ''} the customer's screen.`;
}

/** A piece of an event's line: plain text, a link (a UI may make it clickable), or a label to stress. */
export type TextPart = string | { url: string } | { strong: string };

/**
 * The line for an event, in pieces. `who` is how the reader names the sender ("You" for the
 * reader's own lines, else the sender's name); chat is the text itself.
 */
export function eventParts(body: EventBody, who: string): TextPart[] {
  switch (body.kind) {
    case 'chat': return [body.text];
    case 'system': return [body.text];
    case 'nudge': return [`${who} sent a nudge.`];
    case 'url': return [`${who} shared a link: `, { url: body.url }];
    case 'notice': return [{ strong: 'Notice:' }, ` ${body.text}`];
    case 'grant': return [grantText(body)];
    case 'agreement': return [`${who} ${body.accepted ? 'accepted' : 'declined'} the customer agreement.`];
    case 'recording': return [`${who} ${body.allowed ? 'allowed' : 'did not allow'} recording of this session.`];
    case 'file': return [fileText(body, who)];
  }
}

function fileText(b: Extract<EventBody, { kind: 'file' }>, who: string): string {
  if (b.status === 'offered') return `${who} offered the file ${b.name} (${formatBytes(b.size)}).`;
  if (b.status === 'done') return `The file ${b.name} (${formatBytes(b.size)}) was transferred.`;
  if (b.status === 'failed') return `The file ${b.name} could not be transferred.`;
  return `${who} ${b.status} the file ${b.name}.`;
}

/** The line as plain text (terminal, text transcript, notification). */
export function eventText(body: EventBody, who: string): string {
  return eventParts(body, who).map((p) => (typeof p === 'string' ? p : 'url' in p ? p.url : p.strong)).join('');
}

/** The sender's name as readers show it (a name may be empty: then the role). */
export const actorName = (a: Actor): string => a.name || a.role;

/** The system lines of remote diagnostics (their `code`s), in the order they happen. */
export const DIAG_CODES = {
  requested: 'diagnostics.requested',
  allowed: 'diagnostics.allowed',
  refused: 'diagnostics.refused',
  collected: 'diagnostics.collected',
} as const;

export function diagnosticsRequestedText(repName: string): string {
  return `${repName} asked to collect diagnostics from the customer's computer.`;
}
export function diagnosticsAnswerText(allowed: boolean): string {
  return allowed ? 'The customer allowed collecting diagnostics.' : 'The customer refused to send diagnostics.';
}
export function diagnosticsCollectedText(sections: number): string {
  return `Diagnostics collected (${sections} section${sections === 1 ? '' : 's'}).`;
}

/** The system lines of reboot and reconnect (their `code`s), in the order they happen. */
export const REBOOT_CODES = {
  requested: 'reboot.requested',
  confirmed: 'reboot.confirmed',
  declined: 'reboot.declined',
  reconnected: 'reboot.reconnected',
  failed: 'reboot.failed',
} as const;

export function rebootRequestedText(repName: string): string {
  return `${repName} asked to restart the customer's computer.`;
}
export function rebootConfirmedText(answer: 'restart' | 'logout'): string {
  return answer === 'restart' ? "The customer agreed to restart their computer. Waiting for it to come back…" : 'The customer agreed to log out and back in. Waiting for them to come back…';
}
export function rebootDeclinedText(): string {
  return 'The customer declined to restart their computer.';
}
export function rebootReconnectedText(): string {
  return "The customer's computer is back: the support program rejoined the session.";
}
export function rebootFailedText(why: 'timeout' | 'ended'): string {
  return why === 'timeout' ? "The customer's computer did not come back in time." : "The customer's computer had not come back when the session ended.";
}

/** The system lines of Show My Screen (their `code`s): the rep started, and how it ended. */
export const REP_SCREEN_CODES = {
  started: 'repscreen.started',
  stopped: 'repscreen.stopped',
  closed: 'repscreen.closed',
} as const;

export function repScreenStartedText(repName: string): string {
  return `${repName} started showing their screen.`;
}
/** `byCustomer`: the customer closed the view; else the rep stopped (or left, or the session ended). */
export function repScreenStoppedText(repName: string, byCustomer: boolean): string {
  return byCustomer ? `The customer closed the view of ${repName}'s screen.` : `${repName} stopped showing their screen.`;
}
