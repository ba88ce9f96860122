// File transfer between customer side and rep, relayed by the server. The receiver approves
// each transfer; the server caps sizes and checks the sha256 at the end (docs/ARCHITECTURE.md "The server decides everything else").
import * as v from 'valibot';
import { Actor, Bytes, ClientId, Id, SessionId, ShortText, Text, UInt } from './common.ts';

const Sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));

/** Sender → server (with its own `id`); server → receivers with `fileId` and `from` set. */
export const FileOffer = v.object({
  t: v.literal('file.offer'),
  sessionId: SessionId,
  id: ClientId,
  fileId: v.optional(Id),
  name: ShortText,
  size: UInt,
  mime: v.optional(ShortText),
  from: v.optional(Actor),
});
export const FileAnswer = v.object({ t: v.literal('file.answer'), sessionId: SessionId, fileId: Id, accept: v.boolean(), from: v.optional(Actor) });
/** Server → sender: the offer was registered under this id (answer comes later). */
export const FileAccepted = v.object({ t: v.literal('file.registered'), sessionId: SessionId, id: ClientId, fileId: Id });
export const FileChunk = v.object({ t: v.literal('file.chunk'), sessionId: SessionId, fileId: Id, offset: UInt, data: Bytes });
/** Server → sender and receivers: bytes stored so far; the sender sends more on each. */
export const FileProgress = v.object({ t: v.literal('file.progress'), sessionId: SessionId, fileId: Id, bytes: UInt, total: UInt });
export const FileDone = v.object({ t: v.literal('file.done'), sessionId: SessionId, fileId: Id, sha256: Sha256 });
export const FileCancel = v.object({ t: v.literal('file.cancel'), sessionId: SessionId, fileId: Id, reason: Text });
