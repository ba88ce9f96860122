// A session's transcript as plain text: the customer's download, the rep's History, the reporting
// API and help-desk connectors all print it the same way.
import { actorName, eventText, type Event } from '../../protocol/index.ts';
import type { SessionRow } from '../store/store.ts';
import type { Ctx } from '../context.ts';

export interface TranscriptTextOptions {
  /** Include the lines nobody typed (joins, grants, files, ...); a help desk may hide them. */
  system?: boolean;
}

export function transcriptText(ctx: Ctx, s: SessionRow, events: Event[], opts: TranscriptTextOptions = {}): string {
  const system = opts.system ?? true;
  const lines = [`${ctx.settings.get().companyName} support session ${s.id}`, `Customer: ${s.customer_name}${s.company ? ` (${s.company})` : ''}`, `Started: ${new Date(s.created_at).toISOString()}`];
  if (s.ended_at) lines.push(`Ended: ${new Date(s.ended_at).toISOString()}`);
  lines.push('');
  for (const e of events) {
    if (!system && e.body.kind !== 'chat') continue;
    const t = new Date(e.at).toISOString().replace('T', ' ').slice(0, 19);
    // Chat as said; every other line in the words all readers use, marked with "*".
    const text = e.body.kind === 'chat' ? e.body.text : `* ${eventText(e.body, actorName(e.from))}`;
    lines.push(`[${t}] ${e.from.name}: ${text}`);
  }
  return lines.join('\n') + '\n';
}
