// Words for transcript events that every reader shows the same way (browser chat, agent window,
// terminal, console, text transcripts), so the wording lives once.
import type { EventBody } from './messages/index.ts';

/** "Ana", "Ana and Ben", "Ana, Ben and Cy". */
export function nameList(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The customer's grant as the reference logs word it, naming the reps it covers. */
export function grantText(b: Extract<EventBody, { kind: 'grant' }>): string {
  if (b.grant === 'none') return 'Screen sharing ended.';
  // Records from before grants named their reps.
  if (!b.reps?.length) return b.grant === 'control' ? 'The customer allowed viewing and control of the screen.' : 'The customer allowed viewing the screen.';
  return `${nameList(b.reps)} can now view${b.grant === 'control' ? ' and control' : ''} the customer's screen.`;
}
