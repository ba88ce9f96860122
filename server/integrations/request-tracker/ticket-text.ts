// What the connector writes into RT: the new ticket's body (the portal's fields) and the closing
// comment's session record. Plain text, one fact a line, so it reads well in RT's history and mail.
import type { Ctx } from '../../context.ts';
import type { SessionRow } from '../../store/store.ts';

function iso(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function duration(fromMs: number, toMs: number): string {
  const s = Math.max(0, Math.round((toMs - fromMs) / 1000));
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** The subject of a session's new ticket: the customer's issue, else who asked. */
export function ticketSubject(s: SessionRow): string {
  return (s.issue.trim() || `Remote support for ${s.customer_name || 'a customer'}`).slice(0, 200);
}

/** The new ticket's body: who asked and what they wrote in the portal. */
export function ticketBody(ctx: Ctx, s: SessionRow): string {
  return [
    `Remote support session ${s.id} (${ctx.config.companyName})`,
    `Customer: ${s.customer_name || '-'}`,
    `Company: ${s.company || '-'}`,
    `Issue: ${s.issue || '-'}`,
    `Started: ${iso(s.created_at)}`,
    '',
    s.description || '(no description)',
  ].join('\n');
}

/** The session record at the top of the closing comment: times, people, files. */
export async function sessionRecordText(ctx: Ctx, s: SessionRow): Promise<string> {
  const [reps, files] = await Promise.all([ctx.store.listRepParticipants(s.id), ctx.store.listFiles(s.id)]);
  const lines = [
    `Bridge session ${s.id}`,
    `Customer: ${s.customer_name || '-'}${s.company ? ` (${s.company})` : ''}`,
    `Issue: ${s.issue || '-'}`,
    `Started: ${iso(s.created_at)}`,
    `Accepted: ${iso(s.accepted_at)}`,
    `Ended: ${iso(s.ended_at)}${s.end_reason ? ` (${s.end_reason})` : ''}`,
  ];
  if (s.ended_at !== null) lines.push(`Duration: ${duration(s.accepted_at ?? s.created_at, s.ended_at)}${s.accepted_at ? ' from acceptance' : ''}`);
  lines.push(`Primary representative: ${s.primary_rep_id ? ctx.dir.repName(s.primary_rep_id) : '-'}`);
  lines.push(`Team: ${s.team_id ? ctx.dir.teamName(s.team_id) : '-'}`);
  if (s.external_key) lines.push(`External key: ${s.external_key}`);
  lines.push('Representatives:');
  if (!reps.length) lines.push('  (none)');
  for (const r of reps) lines.push(`  ${r.name}: ${iso(r.joined_at)} to ${iso(r.left_at ?? s.ended_at)}`);
  lines.push('Files:');
  if (!files.length) lines.push('  (none)');
  for (const f of files) lines.push(`  ${f.name} (${f.size} bytes, from the ${f.sender_role}, ${f.status}${f.sha256 ? `, SHA-256 ${f.sha256}` : ''})`);
  return lines.join('\n');
}
