// Session records and transcripts: GET /api/sessions/:id/transcript, /api/history, /api/history/:id
// (and its recording and diagnostics).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, reportText, type DiagnosticsReport, type RebootOutcome, type SessionRecord } from '../../protocol/index.ts';
import { leftAt } from '../reporting/session-report.ts';
import { surveyAnswers } from '../reporting/survey-answers.ts';
import { recordingInfo, sendRecording } from '../reporting/recording-file.ts';
import { transcriptText } from '../reporting/transcript-text.ts';
import { eventToMessage, rowQueueRef } from '../core/live-session.ts';
import type { ParticipantRow, RepRow, SessionRow } from '../store/store.ts';
import type { Ctx } from '../context.ts';
import { bearerParticipant, pastEndedGrace } from './customer-auth.ts';
import { HttpFail } from './errors.ts';
import { optionalRep, requireRep } from './rep-auth.ts';

export function toRecord(ctx: Ctx, s: SessionRow): SessionRecord {
  return {
    id: s.id,
    startedAt: s.created_at,
    endedAt: s.ended_at,
    durationSec: s.ended_at === null ? null : Math.max(0, Math.round((s.ended_at - s.created_at) / 1000)),
    customerName: s.customer_name,
    company: s.company,
    primaryRep: s.primary_rep_id ? ctx.dir.repName(s.primary_rep_id) : null,
    team: s.team_id ? ctx.dir.teamName(s.team_id) : null,
    externalKey: s.external_key,
    fileCount: s.file_count,
    state: s.state,
    reboot: s.reboot as RebootOutcome,
  };
}

/** Admins see every record; a rep sees sessions they took part in or that belonged to their teams. */
async function repMaySee(ctx: Ctx, rep: RepRow, s: SessionRow): Promise<boolean> {
  if (rep.is_admin === 1 || s.primary_rep_id === rep.id || s.created_by === rep.id) return true;
  if (s.team_id && ctx.dir.teamsOf(rep.id).includes(s.team_id)) return true;
  if ((s.state === 'queued' || s.state === 'held') && ctx.hub.queues.repCanSeeQueue(rep.id, rowQueueRef(s))) return true;
  return (await ctx.store.getRepParticipant(s.id, rep.id)) !== undefined;
}

function repTimes(s: SessionRow, parts: ParticipantRow[]) {
  return parts.map((p) => ({ id: p.rep_id, name: p.name, joinedAt: p.joined_at, leftAt: leftAt(s, p) }));
}

export function recordRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<{ Params: { id: string }; Querystring: { format?: string } }>('/api/sessions/:id/transcript', async (req, reply) => {
    const s = await ctx.store.getSession(req.params.id);
    const p = await bearerParticipant(ctx, req);
    let allowed = false;
    if (p !== null) {
      allowed = p !== undefined && p.session_id === req.params.id;
      if (!allowed) throw new HttpFail(403, ErrorCode.Forbidden, 'this token belongs to another session');
      if (s && pastEndedGrace(ctx, s)) throw new HttpFail(410, ErrorCode.Ended, 'this support session ended too long ago for its transcript: ask your support representative for a copy');
    } else {
      const rep = await optionalRep(ctx, req);
      if (!rep) throw new HttpFail(401, ErrorCode.Unauthorized, 'a session token or a rep login is needed');
      allowed = s !== undefined && (await repMaySee(ctx, rep, s));
    }
    if (!s) throw new HttpFail(404, ErrorCode.NotFound, 'no such session');
    if (!allowed) throw new HttpFail(403, ErrorCode.Forbidden, 'not your session');
    // An agent's token reads what its window showed: from its key's issue time on.
    const events = (await ctx.store.eventsAfter(s.id, 0, p?.events_since ?? null)).map(eventToMessage);
    if (req.query.format === 'txt') {
      void reply.header('content-type', 'text/plain; charset=utf-8').header('content-disposition', `attachment; filename="transcript-${s.id}.txt"`);
      return transcriptText(ctx, s, events);
    }
    return { session: toRecord(ctx, s), events };
  });

  app.get<{ Querystring: { q?: string; limit?: string } }>('/api/history', async (req) => {
    const rep = await requireRep(ctx, req);
    const limit = Math.min(Math.max(Number(req.query.limit) || 100, 1), 500);
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : undefined;
    const rows = await ctx.store.history({ q, limit, ...(rep.is_admin === 1 ? {} : { repId: rep.id, teamIds: ctx.dir.teamsOf(rep.id) }) });
    return { sessions: rows.map((s) => toRecord(ctx, s)) };
  });

  // The session's recording as one file, for reps who may see its record.
  app.get<{ Params: { id: string } }>('/api/history/:id/recording', async (req, reply) => {
    const rep = await requireRep(ctx, req);
    const s = await ctx.store.getSession(req.params.id);
    if (!s) throw new HttpFail(404, ErrorCode.NotFound, 'no such session');
    if (!(await repMaySee(ctx, rep, s))) throw new HttpFail(403, ErrorCode.Forbidden, 'not your session');
    return sendRecording(ctx, s.id, reply);
  });

  // The latest diagnostics report, as JSON or as readable text, for reps who may see the record.
  const diagnostics = (format: 'json' | 'txt') => async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const rep = await requireRep(ctx, req);
    const s = await ctx.store.getSession(req.params.id);
    if (!s) throw new HttpFail(404, ErrorCode.NotFound, 'no such session');
    if (!(await repMaySee(ctx, rep, s))) throw new HttpFail(403, ErrorCode.Forbidden, 'not your session');
    const d = await ctx.store.getDiagnostics(s.id);
    if (!d) throw new HttpFail(404, ErrorCode.NotFound, 'no diagnostics were collected in this session');
    const report = JSON.parse(d.report) as DiagnosticsReport;
    void reply.header('content-disposition', `attachment; filename="diagnostics-${s.id}.${format}"`);
    if (format === 'json') return report;
    void reply.header('content-type', 'text/plain; charset=utf-8');
    return reportText(report);
  };
  app.get<{ Params: { id: string } }>('/api/history/:id/diagnostics', diagnostics('json'));
  app.get<{ Params: { id: string } }>('/api/history/:id/diagnostics.txt', diagnostics('txt'));

  app.get<{ Params: { id: string } }>('/api/history/:id', async (req) => {
    const rep = await requireRep(ctx, req);
    const s = await ctx.store.getSession(req.params.id);
    if (!s) throw new HttpFail(404, ErrorCode.NotFound, 'no such session');
    if (!(await repMaySee(ctx, rep, s))) throw new HttpFail(403, ErrorCode.Forbidden, 'not your session');
    const [events, surveys, reps, sysinfo, recording, diagnostics] = await Promise.all([
      ctx.store.eventsAfter(s.id, 0), ctx.store.listSurveys(s.id), ctx.store.listRepParticipants(s.id), ctx.store.getSysinfo(s.id),
      recordingInfo(ctx, s.id, `/api/history/${encodeURIComponent(s.id)}/recording`), ctx.store.getDiagnostics(s.id),
    ]);
    return {
      session: toRecord(ctx, s),
      customer: { name: s.customer_name, company: s.company, issue: s.issue, description: s.description, platform: s.platform },
      events: events.map(eventToMessage),
      surveys: surveys.map((v) => ({
        role: v.role, repId: v.rep_id, repName: v.rep_id ? ctx.dir.repName(v.rep_id) : null, at: v.at,
        answers: JSON.parse(v.answers) as unknown, items: surveyAnswers(ctx, v),
      })),
      reps: repTimes(s, reps),
      sysinfo: sysinfo ? { info: JSON.parse(sysinfo.info) as unknown, at: sysinfo.at } : null,
      diagnostics: diagnostics ? { report: JSON.parse(diagnostics.report) as DiagnosticsReport, at: diagnostics.at } : null,
      transcriptUrl: `/api/sessions/${encodeURIComponent(s.id)}/transcript?format=txt`,
      // Kept and not deleted by retention yet: History offers Replay and the download.
      recording,
    };
  });
}
