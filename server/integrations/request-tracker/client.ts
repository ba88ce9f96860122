// A small client for Request Tracker 5's REST 2 API (under /REST/2.0/): just what the connector
// does with tickets. Every call has a timeout and fails with an RtError whose message names RT,
// the request and what RT said, so the outbox's delivery log tells an admin what to fix.
import * as v from 'valibot';

export type RtAuth = { token: string } | { username: string; password: string };

export interface RtClientOptions {
  /** RT's web address, e.g. https://rt.example.com or https://example.com/rt (no /REST/2.0). */
  url: string;
  auth: RtAuth;
  /** One REST call. */
  timeoutMs: number;
  /** Ends every call at once (the outbox gave up on the attempt, or the server stops). */
  signal?: AbortSignal;
}

export interface RtAttachment {
  name: string;
  type: string;
  content: string | Uint8Array;
}

export interface NewTicket {
  queue: string;
  subject: string;
  /** E-mail addresses; RT creates unknown requestors as users. */
  requestor?: string[];
  content: string;
  customFields?: Record<string, string | string[]>;
}

export interface RtTicket {
  id: number;
  subject: string;
  status: string;
  queueId: string;
  /** Values by custom field name. */
  customFields: Record<string, string[]>;
}

export class RtError extends Error {
  /** RT's HTTP status; null when RT could not be reached or did not answer in time. */
  constructor(message: string, readonly status: number | null) {
    super(message);
    this.name = 'RtError';
  }
}

const Created = v.object({ id: v.union([v.string(), v.number()]) });
const TicketBody = v.object({
  id: v.union([v.string(), v.number()]),
  Subject: v.string(),
  Status: v.string(),
  Queue: v.object({ id: v.union([v.string(), v.number()]) }),
  CustomFields: v.optional(v.array(v.object({ name: v.string(), values: v.array(v.string()) })), []),
});
const Page = v.object({ items: v.array(v.object({ id: v.union([v.string(), v.number()]) })) });
const RtMessage = v.object({ message: v.string() });

/** TicketSQL string literal: RT reads backslash escapes inside single quotes. */
function sqlString(s: string): string {
  return `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

export class RequestTrackerClient {
  private readonly base: string;
  private readonly authorization: string;

  constructor(private readonly opts: RtClientOptions) {
    this.base = `${opts.url.replace(/\/+$/, '')}/REST/2.0`;
    this.authorization = 'token' in opts.auth
      ? `token ${opts.auth.token}`
      : `Basic ${Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64')}`;
  }

  /** The same client, whose calls also end when `signal` aborts. */
  withSignal(signal: AbortSignal): RequestTrackerClient {
    return new RequestTrackerClient({ ...this.opts, signal });
  }

  async createTicket(t: NewTicket): Promise<number> {
    const body = await this.call('POST', '/ticket', {
      Queue: t.queue, Subject: t.subject, Content: t.content, ContentType: 'text/plain',
      ...(t.requestor?.length ? { Requestor: t.requestor.join(', ') } : {}),
      ...(t.customFields ? { CustomFields: t.customFields } : {}),
    });
    return Number(this.check(Created, body, 'POST /ticket').id);
  }

  /** The ticket, or null when RT has none with this number. */
  async getTicket(id: number): Promise<RtTicket | null> {
    const body = await this.call('GET', `/ticket/${id}`, undefined, { allow404: true });
    if (body === null) return null;
    const t = this.check(TicketBody, body, `GET /ticket/${id}`);
    return {
      id: Number(t.id), subject: t.Subject, status: t.Status, queueId: String(t.Queue.id),
      customFields: Object.fromEntries(t.CustomFields.map((cf) => [cf.name, cf.values])),
    };
  }

  async setCustomField(id: number, name: string, values: string | string[]): Promise<void> {
    await this.call('PUT', `/ticket/${id}`, { CustomFields: { [name]: values } });
  }

  /** A comment (not sent to the requestor), with files attached. */
  async comment(id: number, c: { subject: string; content: string; attachments?: RtAttachment[] }): Promise<void> {
    await this.call('POST', `/ticket/${id}/comment`, {
      Subject: c.subject, Content: c.content, ContentType: 'text/plain',
      Attachments: (c.attachments ?? []).map((a) => ({ FileName: a.name, FileType: a.type, FileContent: Buffer.from(a.content).toString('base64') })),
    });
  }

  /** Whether the ticket has a message (comment, reply, the create) with exactly this subject. */
  async hasMessageWithSubject(id: number, subject: string): Promise<boolean> {
    const body = await this.call('POST', `/ticket/${id}/attachments?fields=Subject&per_page=1`, [{ field: 'Subject', operator: '=', value: subject }]);
    return this.check(Page, body, `POST /ticket/${id}/attachments`).items.length > 0;
  }

  async setStatus(id: number, status: string): Promise<void> {
    await this.call('PUT', `/ticket/${id}`, { Status: status });
  }

  /** Ticket numbers whose custom field holds this value, oldest first. */
  async findTicketsByCustomField(name: string, value: string): Promise<number[]> {
    const query = `CF.{${name.replace(/[{}]/g, '')}} = ${sqlString(value)}`;
    const body = await this.call('GET', `/tickets?query=${encodeURIComponent(query)}&orderby=id&order=ASC&per_page=100&fields=id`);
    return this.check(Page, body, 'GET /tickets').items.map((i) => Number(i.id));
  }

  private check<S extends v.GenericSchema>(schema: S, body: unknown, what: string): v.InferOutput<S> {
    const r = v.safeParse(schema, body);
    if (!r.success) throw new RtError(`Request Tracker at ${this.opts.url}: ${what} answered something that is not REST 2 (${r.issues[0].message})`, null);
    return r.output;
  }

  private async call(method: string, path: string, json?: unknown, opts: { allow404?: boolean } = {}): Promise<unknown> {
    const what = `${method} ${path.replace(/\?.*/, '')}`;
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: { authorization: this.authorization, accept: 'application/json', ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: json !== undefined ? JSON.stringify(json) : undefined,
        signal: this.opts.signal ? AbortSignal.any([this.opts.signal, AbortSignal.timeout(this.opts.timeoutMs)]) : AbortSignal.timeout(this.opts.timeoutMs),
        redirect: 'error',
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const reason = err.name === 'TimeoutError' ? `did not answer within ${this.opts.timeoutMs / 1000} s`
        : this.opts.signal?.aborted ? 'was left: the attempt took too long or the server is stopping'
        : `could not be reached (${err.cause?.code ?? err.cause?.message ?? err.message})`;
      throw new RtError(`Request Tracker at ${this.opts.url} ${reason}: ${what}`, null);
    }
    const text = await res.text();
    let body: unknown = text;
    try { body = JSON.parse(text); } catch { /* RT's HTML error pages */ }
    if (res.status === 404 && opts.allow404) return null;
    if (!res.ok) {
      const said = v.is(RtMessage, body) ? body.message : text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
      const hint = res.status === 401 ? ' (check the token or user name and password)' : res.status === 403 ? ' (the RT user lacks a right on the queue)' : '';
      throw new RtError(`Request Tracker at ${this.opts.url}: ${what} failed with ${res.status}${hint}: ${said || res.statusText}`, res.status);
    }
    // RT answers 200 with a list of messages for updates; a refused field shows up only there.
    if (Array.isArray(body) && method === 'PUT') rejectRefusals(body, `Request Tracker at ${this.opts.url}: ${what}`);
    return body;
  }
}

/** RT's update answer lists one message per field; "Could not"/"not allowed"/"Permission" ones are failures. */
function rejectRefusals(messages: unknown[], prefix: string): void {
  const bad = messages.filter((m): m is string => typeof m === 'string' && /could not|couldn't|not allowed|permission denied|invalid/i.test(m));
  if (bad.length) throw new RtError(`${prefix} was refused: ${bad.join('; ')}`, 200);
}
