// One session's whole record for help desks (the reporting API, connectors): portal fields,
// people and their times, transfers, grants, files, both surveys, system information, diagnostics. Built from
// the store only, so it reads the same for live and ended sessions.
import { eventText, actorName, type DiagnosticsReport, type Event, type RebootOutcome } from '../../protocol/index.ts';
import type { SessionReportV1, SessionSummaryV1, TranscriptV1 } from '../../protocol/api/v1.ts';
import { eventToMessage, rowQueueRef } from '../core/live-session.ts';
import type { EventRow, ParticipantRow, SessionRow } from '../store/store.ts';
import type { Ctx } from '../context.ts';
import { recordingInfo } from './recording-file.ts';
import { surveyAnswers } from './survey-answers.ts';

const seconds = (from: number | null, to: number | null) => (from === null || to === null ? null : Math.max(0, Math.round((to - from) / 1000)));

function person(ctx: Ctx, kind: 'rep' | 'team', id: string | null) {
  if (!id) return null;
  return { id, name: kind === 'rep' ? ctx.dir.repName(id) : ctx.dir.teamName(id) };
}

/** When a participant left: reps still in when the session closed left at its end. */
export function leftAt(s: SessionRow, p: ParticipantRow): number | null {
  return p.left_at ?? (p.role === 'rep' ? s.ended_at : null);
}

export function sessionSummary(ctx: Ctx, s: SessionRow): SessionSummaryV1 {
  return {
    id: s.id, state: s.state, externalKey: s.external_key, customerName: s.customer_name, company: s.company, issue: s.issue,
    primaryRep: person(ctx, 'rep', s.primary_rep_id), team: person(ctx, 'team', s.team_id),
    createdAt: s.created_at, acceptedAt: s.accepted_at, endedAt: s.ended_at,
  };
}

export async function sessionReport(ctx: Ctx, s: SessionRow): Promise<SessionReportV1> {
  const [rows, surveys, participants, files, sysinfo, diagnostics] = await Promise.all([
    ctx.store.eventsAfter(s.id, 0), ctx.store.listSurveys(s.id), ctx.store.listParticipants(s.id), ctx.store.listFiles(s.id), ctx.store.getSysinfo(s.id),
    ctx.store.getDiagnostics(s.id),
  ]);
  const events = rows.map(eventToMessage);
  return {
    id: s.id,
    state: s.state,
    externalKey: s.external_key,
    language: s.language,
    portal: { customerName: s.customer_name, company: s.company, email: s.email, issue: s.issue, description: s.description, queue: rowQueueRef(s) },
    platform: s.platform,
    primaryRep: person(ctx, 'rep', s.primary_rep_id),
    team: person(ctx, 'team', s.team_id),
    times: {
      createdAt: s.created_at, queuedAt: s.queued_at, acceptedAt: s.accepted_at, endedAt: s.ended_at,
      waitSec: seconds(s.queued_at, s.accepted_at), durationSec: seconds(s.created_at, s.ended_at),
    },
    end: s.ended_at === null ? null : { state: s.state, reason: s.end_reason },
    participants: participants.map((p) => ({ role: p.role, repId: p.rep_id, name: p.name, joinedAt: p.joined_at, leftAt: leftAt(s, p) })),
    transfers: events.flatMap((e) => (e.body.kind === 'system' && e.body.code === 'transferred' ? [{ at: e.at, by: e.from.name, text: e.body.text }] : [])),
    grants: events.flatMap((e) => (e.body.kind === 'grant' ? [{ at: e.at, grant: e.body.grant, reps: e.body.reps ?? [] }] : [])),
    files: files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256, from: f.sender_role, status: f.status, at: f.created_at })),
    surveys: surveys.map((v) => ({ role: v.role, repId: v.rep_id, at: v.at, answers: surveyAnswers(ctx, v) })),
    systemInfo: sysinfo ? { at: sysinfo.at, info: JSON.parse(sysinfo.info) as unknown } : null,
    diagnostics: diagnostics ? { at: diagnostics.at, report: JSON.parse(diagnostics.report) as DiagnosticsReport } : null,
    reboot: s.reboot as RebootOutcome,
    recording: await recordingInfo(ctx, s.id, `/api/v1/sessions/${encodeURIComponent(s.id)}/recording`),
    transcriptUrl: `/api/v1/sessions/${encodeURIComponent(s.id)}/transcript`,
  };
}

/** The transcript as lines: chat as said, everything else in the words every reader uses. */
export function transcriptLines(s: SessionRow, rows: EventRow[], system: boolean): TranscriptV1 {
  const lines = rows.map(eventToMessage).filter((e: Event) => system || e.body.kind === 'chat').map((e: Event) => ({
    seq: e.seq, at: e.at, from: { role: e.from.role, id: e.from.id ?? null, name: e.from.name }, kind: e.body.kind,
    text: e.body.kind === 'chat' ? e.body.text : eventText(e.body, actorName(e.from)), system: e.body.kind !== 'chat',
  }));
  return { sessionId: s.id, lines };
}
