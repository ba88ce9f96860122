// The Request Tracker 5 connector (docs/INTEGRATIONS.md, "Request Tracker"): a ticket per session
// (or the one the external key names), the session record and chat log as a closing comment,
// the ticket resolved when the rep's survey says so. It reads the session from the store when an
// event arrives, so the outbox's events only say what happened to which session.
//
// At-least-once (server/integrations/connector.ts): every step looks before it acts. A retried
// create finds the ticket by the session's external key or by the session id in the custom field;
// a retried closing comment finds its own subject on the ticket and adds nothing; resolving a
// resolved ticket does nothing.
import type { OutboundEvent, OutboundEventType } from '../../../protocol/api/events.ts';
import { eventToMessage } from '../../core/live-session.ts';
import type { Ctx } from '../../context.ts';
import { sessionReport } from '../../reporting/session-report.ts';
import { transcriptText } from '../../reporting/transcript-text.ts';
import type { SessionRow } from '../../store/store.ts';
import type { Connector } from '../connector.ts';
import { RequestTrackerClient, RtError } from './client.ts';
import type { RequestTrackerConfig } from './config.ts';
import { sessionRecordText, ticketBody, ticketSubject } from './ticket-text.ts';

/**
 * RT's ticket number in an external key: "RT#123" (or "rt 123"). A bare number is not taken for
 * one: another help desk on the same Bridge may use numbers of its own, and a wrong guess would
 * put this session's chat on a stranger's ticket.
 */
export function ticketNumberOf(externalKey: string | null): number | null {
  const m = /^\s*rt\s*#?\s*(\d{1,12})\s*$/i.exec(externalKey ?? '');
  return m ? Number(m[1]) : null;
}

/** The external key the connector gives a session whose ticket it made. */
const keyOf = (ticket: number) => `RT#${ticket}`;

export class RequestTrackerConnector implements Connector {
  readonly name = 'request-tracker';
  readonly eventTypes: readonly OutboundEventType[];
  private readonly rt: RequestTrackerClient;

  constructor(private readonly ctx: Ctx, private readonly cfg: RequestTrackerConfig) {
    this.eventTypes = [cfg.createOn, 'session.ended', ...(cfg.resolve ? ['survey.rep' as const] : [])];
    this.rt = new RequestTrackerClient({
      url: cfg.url,
      auth: cfg.token ? { token: cfg.token } : { username: cfg.username!, password: cfg.password! },
      timeoutMs: cfg.timeoutSec * 1000,
    });
  }

  /** A closing comment takes four calls at most; one more for slack. */
  get timeoutMs(): number {
    return 5 * this.cfg.timeoutSec * 1000;
  }

  async handle(event: OutboundEvent, signal: AbortSignal): Promise<void> {
    const s = await this.ctx.store.getSession(event.sessionId);
    if (!s) return; // nothing left to write about
    const rt = this.rt.withSignal(signal);
    if (event.type === this.cfg.createOn) await this.openTicket(rt, s);
    else if (event.type === 'session.ended') await this.closingComment(rt, s);
    else if (event.type === 'survey.rep') await this.resolveIfSaid(rt, s);
  }

  /** The session's ticket: the one its external key names, else the one with its id in the custom field. */
  private async ticketOf(rt: RequestTrackerClient, s: SessionRow): Promise<number | null> {
    const named = ticketNumberOf(s.external_key);
    if (named !== null) return named;
    return (await rt.findTicketsByCustomField(this.cfg.customField, s.id))[0] ?? null;
  }

  private async openTicket(rt: RequestTrackerClient, s: SessionRow): Promise<void> {
    const named = ticketNumberOf(s.external_key);
    const existing = named !== null ? await rt.getTicket(named) : null;
    if (existing) {
      await this.addSessionTo(rt, existing.id, existing.customFields[this.cfg.customField] ?? [], s.id);
      return;
    }
    // A retry after the ticket was made but before the key was saved finds it by the custom field.
    const made = (await rt.findTicketsByCustomField(this.cfg.customField, s.id))[0];
    const id = made ?? await rt.createTicket({
      queue: this.cfg.queue,
      subject: ticketSubject(s),
      requestor: s.email ? [s.email] : [],
      content: ticketBody(this.ctx, s) + (named !== null ? `\n\n(The session's external key named ticket #${named}, which RT does not have.)` : ''),
      customFields: { [this.cfg.customField]: s.id },
    });
    // A key that is not an RT ticket number belongs to someone else: it stays, the custom field finds the ticket.
    if (s.external_key === null || named !== null) await this.setExternalKey(s.id, keyOf(id));
  }

  /** Lists the session on a ticket the help desk chose; a ticket outside the field's queues still serves. */
  private async addSessionTo(rt: RequestTrackerClient, ticket: number, sessions: string[], sessionId: string): Promise<void> {
    if (sessions.includes(sessionId)) return;
    try {
      await rt.setCustomField(ticket, this.cfg.customField, [...sessions, sessionId]);
    } catch (e) {
      // Refused (the field does not apply to that ticket's queue): the external key still links them.
      if (!(e instanceof RtError && e.status === 200)) throw e;
      console.warn(`[bridge] request-tracker: ticket #${ticket} keeps no session id: ${e.message}`);
    }
  }

  /** Through the session registry, so a live session's row and the store agree. */
  private async setExternalKey(sessionId: string, key: string): Promise<void> {
    const ls = await this.ctx.hub.sessions.load(sessionId);
    if (ls) await this.ctx.hub.sessions.patch(ls, { external_key: key });
  }

  private async closingComment(rt: RequestTrackerClient, s: SessionRow): Promise<void> {
    const ticket = await this.ticketOf(rt, s);
    if (ticket === null) return; // no ticket was made (e.g. created on accept, and nobody accepted)
    const subject = `Bridge session ${s.id} ended`;
    if (await rt.hasMessageWithSubject(ticket, subject)) return;
    const events = (await this.ctx.store.eventsAfter(s.id, 0)).map(eventToMessage);
    const chat = transcriptText(this.ctx, s, events, { system: this.cfg.systemMessages });
    await rt.comment(ticket, {
      subject,
      content: `${sessionRecordText(await sessionReport(this.ctx, s))}\n\nChat log:\n\n${chat}`,
      attachments: [{ name: `transcript-${s.id}.txt`, type: 'text/plain', content: chat }],
    });
  }

  private async resolveIfSaid(rt: RequestTrackerClient, s: SessionRow): Promise<void> {
    const rule = this.cfg.resolve;
    if (!rule) return;
    const surveys = (await this.ctx.store.listSurveys(s.id)).filter((v) => v.role === 'rep');
    const said = surveys.some((v) => rule.answers.includes(String((JSON.parse(v.answers) as Record<string, unknown>)[rule.question])));
    if (!said) return;
    const ticket = await this.ticketOf(rt, s);
    if (ticket === null) return;
    const t = await rt.getTicket(ticket);
    if (!t || t.status === 'resolved') return;
    await rt.setStatus(ticket, 'resolved');
  }
}
