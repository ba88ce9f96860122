// Per-session cap on the transcript its participants write (limits.sessionTranscriptBytes):
// counted from the store when a session is first written to after a start, then kept in memory.
// System lines (joins, grants, the end) don't count and are never refused.
import { ErrorCode, ProtocolError } from '../../protocol/index.ts';
import type { LiveSession } from '../core/live-session.ts';
import type { Ctx } from '../context.ts';

export class TranscriptCap {
  private readonly used = new WeakMap<LiveSession, Promise<{ bytes: number }>>();

  constructor(private readonly ctx: Ctx) {}

  /** Reserves `bytes` for a message to `ls`, or refuses it (`too_large`) when the session is full. */
  async reserve(ls: LiveSession, bytes: number): Promise<void> {
    let entry = this.used.get(ls);
    if (!entry) {
      entry = this.ctx.store.transcriptBytes(ls.id).then((n) => ({ bytes: n }));
      this.used.set(ls, entry);
    }
    const u = await entry;
    const max = this.ctx.config.limits.sessionTranscriptBytes;
    if (u.bytes + bytes > max) {
      throw new ProtocolError(ErrorCode.TooLarge, `This conversation has reached its size limit (${Math.round(max / 1024)} KiB), so the message was not sent. Please start a new support session to go on.`);
    }
    u.bytes += bytes;
  }

  /** Gives back a reservation that stored nothing (a resend, a failed write). */
  async release(ls: LiveSession, bytes: number): Promise<void> {
    const u = await this.used.get(ls);
    if (u) u.bytes = Math.max(0, u.bytes - bytes);
  }
}
