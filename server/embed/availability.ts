// What the click-to-chat loader shows (docs/ARCHITECTURE.md, "Click-to-chat"): whether a rep who
// can take the queue is signed in and available, how many wait, and the wait estimate.
import type { EmbedAvailability } from '../../protocol/api/embed.ts';
import { ErrorCode, type QueueRef } from '../../protocol/index.ts';
import type { Ctx } from '../context.ts';
import { HttpFail } from '../http/errors.ts';

/** `general` (or nothing) and `team:<id>`; an unknown team is a 404 naming the fix. */
export function embedQueue(ctx: Ctx, q: string | undefined): QueueRef {
  if (!q || q === 'general') return { kind: 'general' };
  const id = q.slice('team:'.length);
  if (!ctx.dir.teams.has(id)) throw new HttpFail(404, ErrorCode.NotFound, 'no such team: the page\'s queue option names a team id from GET /api/v1/teams');
  return { kind: 'team', id };
}

export function availability(ctx: Ctx, queue: QueueRef): EmbedAvailability {
  const reps = ctx.dir.repList().filter((r) => r.availability === 'available' && ctx.hub.queues.repCanSeeQueue(r.id, queue)).length;
  const waiting = ctx.hub.queues.waiting(queue);
  return { available: reps > 0, reps, waiting, estimatedWaitSec: reps > 0 ? ctx.hub.queues.estimateSec(waiting + 1) : null, pollSec: ctx.config.embed.pollSec };
}
