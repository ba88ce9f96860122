// Building blocks shared by every message schema.
import * as v from 'valibot';
import { MAX_CHAT_CHARS, MAX_SCREEN_EDGE } from '../limits.ts';
import { ErrorCode } from '../errors.ts';
import { isPlainText, PLAIN_TEXT_MESSAGE } from '../plain-text.ts';

export const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
/** A client-chosen message id, used to acknowledge and to dedupe resends. */
export const ClientId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
export const SessionId = Id;
export const ShortText = v.pipe(v.string(), v.maxLength(200));
export const Text = v.pipe(v.string(), v.maxLength(MAX_CHAT_CHARS));
/** What a client writes for others to read (chat, notices, end reasons): no control characters
 *  but newline and tab, so no escape sequence reaches a terminal (protocol/plain-text.ts). Only on
 *  messages clients send: stored events from before the rule still decode. */
export const NoControl = v.check<string, string>(isPlainText, PLAIN_TEXT_MESSAGE);
export const UInt = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
export const Coord = v.pipe(v.number(), v.integer(), v.minValue(-MAX_SCREEN_EDGE), v.maxValue(2 * MAX_SCREEN_EDGE));
export const Edge = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_SCREEN_EDGE));
/** Milliseconds since the Unix epoch. */
export const Time = v.pipe(v.number(), v.finite(), v.minValue(0));
export const Bytes = v.instance(Uint8Array);
export const Url = v.pipe(v.string(), v.maxLength(2048), v.url());

export const Role = v.picklist(['customer', 'agent', 'rep']);
export type Role = v.InferOutput<typeof Role>;

/** Who said or did something. The server fills this in; clients never choose it. */
export const Actor = v.object({
  role: v.picklist(['customer', 'agent', 'rep', 'system']),
  id: v.optional(Id),
  name: ShortText,
});
export type Actor = v.InferOutput<typeof Actor>;

/** A rep's request the server passes to the agent: rep → server (`id` for errors) → agent, with
 *  `requestId` and `from` set by the server (diagnostics, restart). */
export function repRequestTo<T extends string>(t: T) {
  return v.object({ t: v.literal(t), sessionId: SessionId, id: ClientId, requestId: v.optional(Id), from: v.optional(Actor) });
}

export const Grant = v.picklist(['none', 'view', 'control']);
export type Grant = v.InferOutput<typeof Grant>;

export const ErrorCodeSchema = v.picklist(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]);
