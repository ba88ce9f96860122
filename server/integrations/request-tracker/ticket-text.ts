// What the connector writes into RT: the new ticket's body (the portal's fields) and the closing
// comment's session record. Plain text, one fact a line, so it reads well in RT's history and mail.
import type { SessionReportV1 } from '../../../protocol/api/v1.ts';
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
    `Remote support session ${s.id} (${ctx.settings.get().companyName})`,
    `Customer: ${s.customer_name || '-'}`,
    `Company: ${s.company || '-'}`,
    ...(s.email ? [`E-mail: ${s.email}`] : []),
    `Issue: ${s.issue || '-'}`,
    `Started: ${iso(s.created_at)}`,
    '',
    s.description || '(no description)',
  ].join('\n');
}

/** The session record at the top of the closing comment, from the record the reporting API serves. */
export function sessionRecordText(r: SessionReportV1): string {
  const p = r.portal;
  const lines = [
    `Bridge session ${r.id}`,
    `Customer: ${p.customerName || '-'}${p.company ? ` (${p.company})` : ''}${p.email ? ` <${p.email}>` : ''}`,
    `Issue: ${p.issue || '-'}`,
    `Started: ${iso(r.times.createdAt)}`,
    `Accepted: ${iso(r.times.acceptedAt)}`,
    `Ended: ${iso(r.times.endedAt)}${r.end?.reason ? ` (${r.end.reason})` : ''}`,
  ];
  const { acceptedAt, createdAt, endedAt } = r.times;
  if (endedAt !== null) lines.push(`Duration: ${duration(acceptedAt ?? createdAt, endedAt)}${acceptedAt ? ' from acceptance' : ''}`);
  lines.push(`Primary representative: ${r.primaryRep?.name ?? '-'}`);
  lines.push(`Team: ${r.team?.name ?? '-'}`);
  if (r.externalKey) lines.push(`External key: ${r.externalKey}`);
  const list = (title: string, items: string[]) => lines.push(`${title}:`, ...(items.length ? items.map((i) => `  ${i}`) : ['  (none)']));
  list('Representatives', r.participants.filter((x) => x.role === 'rep').map((x) => `${x.name}: ${iso(x.joinedAt)} to ${iso(x.leftAt)}`));
  list('Transfers', r.transfers.map((t) => `${iso(t.at)} ${t.text}`));
  list('Screen sharing', r.grants.map((g) => `${iso(g.at)} ${g.grant}${g.reps.length ? ` (${g.reps.join(', ')})` : ''}`));
  list('Files', r.files.map((f) => `${f.name} (${f.size} bytes, from the ${f.from}, ${f.status}${f.sha256 ? `, SHA-256 ${f.sha256}` : ''})`));
  return lines.join('\n');
}
