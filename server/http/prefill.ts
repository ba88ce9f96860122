// Sessions that start with what someone already knows about the customer: the help desk's keys
// and chat links (command API) and click-to-chat pages (embed routes) create a pending session
// holding the fields and open it with a one-time link; the portal and a click-to-chat message put
// a customer straight into a queue. One path each, so every front door makes the same session.
import type { CustomerFields } from '../../protocol/api/v1.ts';
import { ErrorCode, type QueueRef } from '../../protocol/index.ts';
import type { LiveSession } from '../core/live-session.ts';
import { createCustomerSide } from '../core/participants.ts';
import type { Ctx } from '../context.ts';
import type { SessionRow } from '../store/store.ts';
import { HttpFail } from './errors.ts';

export function checkQueue(ctx: Ctx, queue: QueueRef): void {
  if (queue.kind === 'team' && !ctx.dir.teams.has(queue.id ?? '')) throw new HttpFail(404, ErrorCode.NotFound, 'no such team: list them with GET /api/v1/teams');
  if (queue.kind === 'personal' && !ctx.dir.reps.has(queue.id ?? '')) throw new HttpFail(404, ErrorCode.NotFound, 'no such representative: list them with GET /api/v1/reps');
}

export interface Prefill { queue?: QueueRef; externalKey?: string; customer?: CustomerFields; language?: string }

/** A pending session holding what the help desk (or the page) already knows, waiting for its customer. */
export async function prefilledSession(ctx: Ctx, p: Prefill, extra: Partial<SessionRow> = {}): Promise<LiveSession> {
  const queue = p.queue ?? { kind: 'general' };
  checkQueue(ctx, queue);
  const c = p.customer ?? {};
  return ctx.hub.lifecycle.create({
    queue, external_key: p.externalKey ?? null, language: p.language ?? null,
    customer_name: c.name ?? '', company: c.company ?? '', email: c.email ?? '', issue: c.issue ?? '', description: c.description ?? '',
    ...extra,
  });
}

/**
 * The session link; a known name lets the chat skip asking for it. `base` `/embed` is the same
 * chat served for a click-to-chat frame (docs/ARCHITECTURE.md, "Click-to-chat").
 */
export function linkUrl(ctx: Ctx, accessKey: string, ls: LiveSession, base: '' | '/embed' = ''): string {
  return `${ctx.publicUrl()}${base}/s/${accessKey}${ls.row.customer_name ? '?prefilled=1' : ''}`;
}

/** A customer who is there now (the portal) or left a message (click-to-chat): straight into the queue. */
export async function queuedCustomerSession(ctx: Ctx, queue: QueueRef, fields: Partial<SessionRow> & { customer_name: string }): Promise<{ ls: LiveSession; token: string }> {
  checkQueue(ctx, queue);
  const ls = await ctx.hub.lifecycle.create({ queue, ...fields });
  // No key: the chat asks for an agent key with this token when the customer shares the screen.
  const token = await createCustomerSide(ctx.store, ls.id, 'customer', fields.customer_name);
  return { ls, token };
}
