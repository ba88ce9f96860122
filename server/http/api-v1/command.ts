// The command API (scope `command`): what a help desk does in Bridge on a rep's or a ticket's
// behalf. Keys and chat links carry the help desk's fields into the session, so the customer
// doesn't type them again, and its external key, so every record and event names the ticket.
import type { FastifyRequest } from 'fastify';
import * as v from 'valibot';
import {
  ChatLinkV1, CreateChatLinkV1, CreateSessionKeyV1, EndSessionV1, ExternalKeyV1, RepsV1, SessionKeyV1, SessionSummaryV1, TeamsV1,
} from '../../../protocol/api/v1.ts';
import { ErrorCode } from '../../../protocol/index.ts';
import type { LiveSession } from '../../core/live-session.ts';
import type { Ctx } from '../../context.ts';
import { sessionSummary } from '../../reporting/session-report.ts';
import { HttpFail, parse } from '../errors.ts';
import { issueKey } from '../keys.ts';
import { linkUrl, prefilledSession } from '../prefill.ts';
import type { ApiRoute } from './route.ts';

function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
}

async function liveSession(ctx: Ctx, req: FastifyRequest): Promise<LiveSession> {
  const id = (req.params as { id: string }).id;
  const ls = await ctx.hub.sessions.load(id);
  if (!ls) throw new HttpFail(404, ErrorCode.NotFound, 'no such session');
  return ls;
}

export const commandRoutes: ApiRoute[] = [
  {
    method: 'POST', url: '/api/v1/session-keys', scope: 'command',
    summary: 'Create a session key and link for a customer, with the e-mail to send them',
    body: CreateSessionKeyV1, response: SessionKeyV1,
    async handler(ctx, req): Promise<SessionKeyV1> {
      const body = parse(CreateSessionKeyV1, req.body);
      const { sessionKeys, companyName } = ctx.settings.get();
      const validityMin = Math.min(body.validityMin ?? sessionKeys.validityMin, sessionKeys.maxValidityMin);
      const ls = await prefilledSession(ctx, body);
      const row = await issueKey(ctx, ls.id, '', 'session', validityMin * 60_000);
      const url = linkUrl(ctx, row.access_key, ls);
      const values = { key: row.key, url, company: companyName, customerName: ls.row.customer_name || 'there', expiresMin: String(validityMin) };
      const { subject, text } = ctx.config.api.keyEmail;
      return { sessionId: ls.id, key: row.key, url, expiresAt: row.expires_at, email: { subject: fillTemplate(subject, values), text: fillTemplate(text, values) } };
    },
  },
  {
    method: 'POST', url: '/api/v1/chat-links', scope: 'command',
    summary: 'A one-time link that opens the chat with the help desk\'s fields filled in (for a signed-in help-desk user)',
    body: CreateChatLinkV1, response: ChatLinkV1,
    async handler(ctx, req): Promise<ChatLinkV1> {
      const body = parse(CreateChatLinkV1, req.body);
      const ls = await prefilledSession(ctx, body);
      const validityMin = Math.min(body.validityMin ?? ctx.config.api.chatLinkValidityMin, ctx.settings.get().sessionKeys.maxValidityMin);
      const row = await issueKey(ctx, ls.id, '', 'session', validityMin * 60_000);
      return { sessionId: ls.id, url: linkUrl(ctx, row.access_key, ls), expiresAt: row.expires_at };
    },
  },
  {
    method: 'GET', url: '/api/v1/reps', scope: 'command',
    summary: 'Representatives with their teams and availability (for an "available reps" picker)',
    response: RepsV1,
    async handler(ctx): Promise<RepsV1> {
      const reps = [...ctx.dir.reps.values()].map((r) => ({
        id: r.id, name: r.name,
        teams: ctx.dir.teamsOf(r.id).map((t) => ({ id: t, name: ctx.dir.teamName(t) })),
        availability: ctx.dir.availability(r.id),
        activeSessions: ctx.hub.sessions.sessionsOfRep(r.id).length,
      }));
      return { reps };
    },
  },
  {
    method: 'GET', url: '/api/v1/teams', scope: 'command',
    summary: 'Teams with the reps available in each and the customers waiting in their queues',
    response: TeamsV1,
    async handler(ctx): Promise<TeamsV1> {
      const available = (ids: string[]) => ids.filter((id) => ctx.dir.availability(id) === 'available').length;
      const allReps = [...ctx.dir.reps.keys()];
      const teams = [...ctx.dir.teams.values()].map((t) => ({
        id: t.id, name: t.name,
        repsAvailable: available(allReps.filter((r) => ctx.dir.teamsOf(r).includes(t.id))),
        waiting: ctx.hub.queues.waiting({ kind: 'team', id: t.id }),
      }));
      return { teams, general: { repsAvailable: available(allReps), waiting: ctx.hub.queues.waiting({ kind: 'general' }) } };
    },
  },
  {
    method: 'PUT', url: '/api/v1/sessions/:id/external-key', scope: 'command',
    summary: 'Attach, change or clear the help desk\'s reference of a session',
    body: ExternalKeyV1, response: v.object({ session: SessionSummaryV1 }),
    async handler(ctx, req) {
      const body = parse(ExternalKeyV1, req.body);
      const ls = await liveSession(ctx, req);
      await ctx.hub.sessions.patch(ls, { external_key: body.externalKey });
      return { session: sessionSummary(ctx, ls.row) };
    },
  },
  {
    method: 'POST', url: '/api/v1/sessions/:id/end', scope: 'command',
    summary: 'End a session (nothing happens to one that has ended already)',
    body: EndSessionV1, bodyOptional: true, response: v.object({ session: SessionSummaryV1 }),
    async handler(ctx, req) {
      const body = parse(EndSessionV1, req.body);
      const ls = await liveSession(ctx, req);
      const caller = req.apiCaller!;
      if (!ls.closed) await ctx.hub.lifecycle.end(ls, { role: 'system', id: caller.account.id, name: caller.account.name }, body.reason ?? 'ended from the help desk');
      return { session: sessionSummary(ctx, ls.row) };
    },
  },
];
