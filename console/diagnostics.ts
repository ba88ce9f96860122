// Remote diagnostics in the console: where a session's request stands (from its transcript lines,
// so a reload or a second console reads the same) and the search over a report's sections.
import { t } from './i18n.ts';
import { DIAG_CODES, type DiagnosticsReport, type DiagnosticsSection, type Event } from '../protocol/index.ts';

export type DiagState = 'asked' | 'allowed' | 'refused' | 'collected' | null;

const STATE_OF: Record<string, DiagState> = {
  [DIAG_CODES.requested]: 'asked', [DIAG_CODES.allowed]: 'allowed', [DIAG_CODES.refused]: 'refused', [DIAG_CODES.collected]: 'collected',
};

/** The latest diagnostics line of the transcript decides. */
export function diagnosticsState(events: readonly Event[]): DiagState {
  for (let i = events.length - 1; i >= 0; i--) {
    const b = events[i].body;
    if (b.kind === 'system' && b.code in STATE_OF) return STATE_OF[b.code];
  }
  return null;
}

/** Where the request stands, in words. */
export const diagStateText = (s: Exclude<DiagState, null>): string => t('diagnostics.state', { state: s });

/** The sections with the lines that match `q` (all lines when q is empty); sections without a match are left out. */
export function filterSections(r: DiagnosticsReport, q: string): Array<{ section: DiagnosticsSection; lines: string[] }> {
  const needle = q.trim().toLowerCase();
  return r.sections.flatMap((section) => {
    const lines = section.text.split('\n');
    if (!needle) return [{ section, lines }];
    const hit = lines.filter((l) => l.toLowerCase().includes(needle));
    return hit.length || section.title.toLowerCase().includes(needle) ? [{ section, lines: hit.length ? hit : lines }] : [];
  });
}
