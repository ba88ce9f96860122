// A session's recording as a download (History and the reporting API answer it the same way).
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '../../protocol/index.ts';
import type { Ctx } from '../context.ts';
import { HttpFail } from '../http/errors.ts';

/** What the recording holds now: a live one goes on growing, the answer stops at the stated length. */
export async function sendRecording(ctx: Ctx, sessionId: string, reply: FastifyReply): Promise<FastifyReply> {
  const st = await ctx.recordings.storage.stat(sessionId);
  if (!st) throw new HttpFail(404, ErrorCode.NotFound, 'this session has no recording (it was not recorded, or the recording was deleted after the retention time)');
  return reply
    .header('content-type', 'application/octet-stream')
    .header('content-disposition', `attachment; filename="recording-${sessionId}.brec"`)
    .header('content-length', String(st.bytes))
    .send(ctx.recordings.storage.read(sessionId, st.bytes));
}

/** What a session record says of its recording. */
export async function recordingInfo(ctx: Ctx, sessionId: string, url: string): Promise<{ bytes: number; url: string } | null> {
  const st = await ctx.recordings.storage.stat(sessionId);
  return st ? { bytes: st.bytes, url } : null;
}
