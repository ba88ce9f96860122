// Where outbound events come from (docs/INTEGRATIONS.md, "Event catalogue"): the lifecycle's event
// stream for the session.* events and customer.left, the transcript's stored grant and file
// lines for screen.* and file.transferred, and the survey route for survey.*. Each maps to the
// envelope's `data`: ids, names, times, queue and team, never transcript text. Nothing here may
// fail the thing it reports on: errors are logged.
import type { Actor, OutboundEventType, QueueRef } from '../../protocol/index.ts';
import type { LiveSettings } from '../settings/live-settings.ts';
import type { Directory } from '../core/directory.ts';
import type { LiveSession } from '../core/live-session.ts';
import type { SessionEvent } from '../core/session-events.ts';
import type { SessionViews } from '../core/views.ts';
import { logError } from '../log.ts';
import { surveyAnswers } from '../reporting/survey-answers.ts';
import type { EventRow, Store } from '../store/store.ts';
import type { Outbox } from './outbox.ts';

type Data = Record<string, unknown>;

export interface SurveyAnswered {
  role: 'customer' | 'rep';
  repId: string | null;
  /** The answers as stored (JSON). */
  answers: string;
  at: number;
}

export class EventSource {
  constructor(
    private readonly outbox: Outbox,
    private readonly store: Store,
    private readonly dir: Directory,
    private readonly views: SessionViews,
    private readonly settings: LiveSettings,
  ) {}

  /** The lifecycle's events (subscribed after the transcript and the queues). */
  async onSessionEvent(e: SessionEvent): Promise<void> {
    if (!this.outbox.active) return;
    const ls = e.session;
    switch (e.type) {
      case 'session.started':
        return this.emit(ls, 'session.started', { queue: this.queue(ls.queueRef), customer: this.customer(ls), createdBy: ls.row.created_by ? this.rep(ls.row.created_by) : null, createdAt: ls.row.created_at });
      case 'session.queued':
        return this.emit(ls, 'session.queued', { queue: this.queue(e.queue), customer: this.customer(ls), queuedAt: ls.row.queued_at });
      case 'session.accepted':
        return this.emit(ls, 'session.accepted', { rep: this.rep(e.repId), team: this.team(ls.row.team_id), resumed: e.resumed, acceptedAt: Date.now(), waitedSec: !e.resumed && ls.row.queued_at !== null ? Math.max(0, Math.round((Date.now() - ls.row.queued_at) / 1000)) : null });
      case 'session.transferred':
        return this.emit(ls, 'session.transferred', { to: this.queue(e.to), repsLeft: e.left.map((id) => this.rep(id)) });
      case 'session.held':
        return this.emit(ls, 'session.held', { rep: this.rep(e.repId) });
      case 'session.ended': {
        const by = e.ending.by;
        // The customer side leaving is its own event for help desks that note it apart from the end.
        if (by.role === 'customer' || by.role === 'agent') await this.emit(ls, 'customer.left', { customer: { name: ls.row.customer_name }, reason: e.ending.reason, by: by.role });
        const r = ls.row;
        return this.emit(ls, 'session.ended', {
          state: e.ending.state, reason: e.ending.reason, by: this.actor(by), previousState: e.from,
          startedAt: r.created_at, queuedAt: r.queued_at, acceptedAt: r.accepted_at, endedAt: r.ended_at,
          durationSec: r.ended_at === null ? null : Math.max(0, Math.round((r.ended_at - r.created_at) / 1000)),
          primaryRep: r.primary_rep_id ? this.rep(r.primary_rep_id) : null, team: this.team(r.team_id),
          customer: this.customer(ls), fileCount: r.file_count, reboot: r.reboot,
        });
      }
      default:
        return;
    }
  }

  /** Lines the transcript stored: grants (screen.granted / screen.ended) and finished files. */
  async onTranscript(ls: LiveSession, row: EventRow): Promise<void> {
    if (!this.outbox.active || (row.kind !== 'grant' && row.kind !== 'file')) return;
    const body = JSON.parse(row.body) as { kind: string; grant?: string; status?: string; fileId?: string; name?: string; size?: number };
    if (body.kind === 'grant') {
      if (body.grant === 'none') return this.emit(ls, 'screen.ended', {}, row.at);
      // The line names reps; the session knows whom the grant covers by id.
      return this.emit(ls, 'screen.granted', { grant: body.grant, reps: [...ls.grantReps].map((id) => this.rep(id)) }, row.at);
    }
    if (body.status !== 'done' || !body.fileId) return;
    const file = await this.store.getFile(body.fileId);
    const fromRep = row.from_role === 'rep';
    return this.emit(ls, 'file.transferred', {
      file: { id: body.fileId, name: body.name, size: body.size, sha256: file?.sha256 ?? null, mime: file?.mime ?? null },
      from: { role: fromRep ? 'rep' : 'customer', ...(fromRep && row.from_id ? { id: row.from_id } : {}), name: row.from_name },
      to: fromRep ? 'customer' : 'rep',
    }, row.at);
  }

  /** A survey was stored (not a resend): its answers with the questions' texts. */
  async surveyAnswered(ls: LiveSession, s: SurveyAnswered): Promise<void> {
    if (!this.outbox.active) return;
    const answers = surveyAnswers({ settings: this.settings }, s);
    if (s.role === 'rep') return this.emit(ls, 'survey.rep', { rep: s.repId ? this.rep(s.repId) : null, answers, answeredAt: s.at }, s.at);
    return this.emit(ls, 'survey.customer', { customer: { name: ls.row.customer_name }, answers, answeredAt: s.at }, s.at);
  }

  private async emit(ls: LiveSession, type: OutboundEventType, data: Data, occurredAt = Date.now()): Promise<void> {
    try {
      await this.outbox.record({ type, sessionId: ls.id, occurredAt, externalKey: ls.row.external_key, data });
    } catch (e) {
      logError(e);
    }
  }

  private rep(id: string) {
    return { id, name: this.dir.repName(id) };
  }
  private team(id: string | null) {
    return id ? { id, name: this.dir.teamName(id) } : null;
  }
  private queue(ref: QueueRef) {
    return { kind: ref.kind, id: ref.kind === 'general' ? null : ref.id ?? null, name: this.views.queueName(ref) };
  }
  private customer(ls: LiveSession) {
    const r = ls.row;
    return { name: r.customer_name, company: r.company, issue: r.issue, description: r.description, platform: r.platform };
  }
  private actor(a: Actor) {
    return { role: a.role, ...(a.id ? { id: a.id } : {}), name: a.name };
  }
}
