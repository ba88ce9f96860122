// The reporting API (scope `reporting`): sessions by time range or external key, every change in
// order through a cursor, one session's whole record, its transcript. Cursors are opaque to the
// client: (change counter, id) or (creation time, id), so equal values never skip a session.
import type { FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { SessionPageV1, SessionReportV1, TranscriptV1 } from '../../../protocol/api/v1.ts';
import { ErrorCode } from '../../../protocol/index.ts';
import { eventToMessage } from '../../core/live-session.ts';
import type { Ctx } from '../../context.ts';
import { sendRecording } from '../../reporting/recording-file.ts';
import { sessionReport, sessionSummary, transcriptLines } from '../../reporting/session-report.ts';
import { transcriptText } from '../../reporting/transcript-text.ts';
import type { SessionRow } from '../../store/store.ts';
import { HttpFail } from '../errors.ts';
import { readerLanguage, readerZone } from '../reader-language.ts';
import { intParam, type ApiRoute, type QueryParam } from './route.ts';

const LIMIT: QueryParam = { name: 'limit', type: 'integer', description: 'Sessions per page, 1 to 500 (default 100).' };
const CURSOR: QueryParam = { name: 'cursor', type: 'string', description: 'nextCursor of the previous page.' };

function encodeCursor(a: number, id: string): string {
  return Buffer.from(JSON.stringify([a, id])).toString('base64url');
}
function decodeCursor(raw: unknown): { n: number; id: string } | null {
  if (raw === undefined || raw === '') return null;
  try {
    const [n, id] = JSON.parse(Buffer.from(String(raw), 'base64url').toString('utf8')) as unknown[];
    if (typeof n === 'number' && Number.isSafeInteger(n) && typeof id === 'string' && id.length <= 64) return { n, id };
  } catch { /* falls through */ }
  throw new HttpFail(400, ErrorCode.Invalid, 'invalid cursor: give back nextCursor exactly as received, or leave it out to start again');
}

/** A time given as epoch milliseconds or ISO 8601. */
function timeParam(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const s = String(raw);
  const t = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(t)) throw new HttpFail(400, ErrorCode.Invalid, `invalid ${name}: give epoch milliseconds or an ISO 8601 time such as 2026-11-30T00:00:00Z`);
  return t;
}

async function sessionRow(ctx: Ctx, req: FastifyRequest): Promise<SessionRow> {
  const s = await ctx.store.getSession((req.params as { id: string }).id);
  if (!s) throw new HttpFail(404, ErrorCode.NotFound, 'no such session');
  return s;
}

export const reportingRoutes: ApiRoute[] = [
  {
    method: 'GET', url: '/api/v1/sessions', scope: 'reporting',
    summary: 'Sessions created in a time range and/or carrying an external key, oldest first',
    query: [
      { name: 'from', type: 'string', description: 'Created at or after (epoch ms or ISO 8601).' },
      { name: 'to', type: 'string', description: 'Created before (epoch ms or ISO 8601).' },
      { name: 'externalKey', type: 'string', description: 'Only sessions with this external key.' },
      LIMIT, CURSOR,
    ],
    response: SessionPageV1,
    async handler(ctx, req): Promise<SessionPageV1> {
      const q = req.query as Record<string, string | undefined>;
      const limit = intParam(q.limit, 100, 1, 500);
      const after = decodeCursor(q.cursor);
      const rows = await ctx.store.sessionsInRange({
        from: timeParam(q.from, 'from'), to: timeParam(q.to, 'to'),
        ...(q.externalKey ? { externalKey: q.externalKey.slice(0, 200) } : {}),
        ...(after ? { afterCreated: after.n, afterId: after.id } : {}), limit,
      });
      const last = rows.at(-1);
      return { sessions: rows.map((s) => sessionSummary(ctx, s)), nextCursor: rows.length === limit && last ? encodeCursor(last.created_at, last.id) : null };
    },
  },
  {
    method: 'GET', url: '/api/v1/sessions/changes', scope: 'reporting',
    summary: 'Every session created or changed since the cursor, in the order of their changes; keep the last nextCursor and call again',
    query: [LIMIT, CURSOR],
    response: SessionPageV1,
    async handler(ctx, req): Promise<SessionPageV1> {
      const q = req.query as Record<string, string | undefined>;
      const limit = intParam(q.limit, 100, 1, 500);
      const after = decodeCursor(q.cursor) ?? { n: -1, id: '' };
      const rows = await ctx.store.changedSessions({ afterSeq: after.n, afterId: after.id, limit });
      const last = rows.at(-1);
      // Never null: an empty page gives back the same place to wait at.
      return { sessions: rows.map((s) => sessionSummary(ctx, s)), nextCursor: last ? encodeCursor(last.change_seq, last.id) : encodeCursor(after.n, after.id) };
    },
  },
  {
    method: 'GET', url: '/api/v1/sessions/:id', scope: 'reporting',
    summary: 'One session\'s whole record',
    response: SessionReportV1,
    async handler(ctx, req) {
      return sessionReport(ctx, await sessionRow(ctx, req));
    },
  },
  {
    method: 'GET', url: '/api/v1/sessions/:id/recording', scope: 'reporting',
    summary: 'The session\'s recording as one file (404 when it was not recorded)',
    response: v.any(), binary: true,
    async handler(ctx, req, reply) {
      return sendRecording(ctx, (await sessionRow(ctx, req)).id, reply);
    },
  },
  {
    method: 'GET', url: '/api/v1/sessions/:id/transcript', scope: 'reporting',
    summary: 'The transcript as JSON lines or as text, with or without system messages',
    query: [
      { name: 'format', type: 'string', enum: ['json', 'txt'], description: 'json (default) or txt.' },
      { name: 'system', type: 'boolean', description: 'Include system messages (joins, grants, files, ...); default true.' },
      { name: 'lang', type: 'string', enum: ['en', 'de', 'fr', 'es', 'ar'], description: 'Language of the system lines\' text (else Accept-Language, else en). Their code and params stay the same in every language.' },
      { name: 'tz', type: 'string', description: 'IANA time zone for the text format\'s times (default UTC).' },
    ],
    response: TranscriptV1,
    text: true,
    async handler(ctx, req, reply) {
      const q = req.query as Record<string, string | undefined>;
      const s = await sessionRow(ctx, req);
      const system = q.system !== 'false' && q.system !== '0';
      const lang = readerLanguage(req);
      const rows = await ctx.store.eventsAfter(s.id, 0);
      if (q.format === 'txt') {
        void reply.header('content-type', 'text/plain; charset=utf-8');
        return transcriptText(ctx, s, rows.map(eventToMessage), { system, lang, timeZone: readerZone(req) });
      }
      if (q.format !== undefined && q.format !== 'json') throw new HttpFail(400, ErrorCode.Invalid, 'format is json or txt');
      return transcriptLines(s, rows, system, lang);
    },
  },
];

