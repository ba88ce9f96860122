// What the customer's browser chat receives from the server, the only messages it validates
// (docs/ARCHITECTURE.md "Web chat" → "Size"): the same schemas as the full catalogue in
// index.ts, so a customer message means the same on both sides. Anything else the server might
// send it is refused as an unknown type, which the chat ignores as it did before.
import * as v from 'valibot';
import { Ack, Event, Typing } from './events.ts';
import { Done, QueueStatus, SessionUpdate } from './session.ts';
import { ErrorMessage, Pong, Welcome } from './handshake.ts';
import { FileAccepted, FileAnswer, FileCancel, FileChunk, FileDone, FileOffer, FileProgress } from './file.ts';
import { RepScreenFrame, RepScreenState } from './rep-screen.ts';

const CUSTOMER = [
  Welcome, ErrorMessage, Pong, Event, Ack, Done, SessionUpdate, QueueStatus, Typing,
  FileOffer, FileAnswer, FileAccepted, FileChunk, FileProgress, FileDone, FileCancel,
  RepScreenState, RepScreenFrame,
] as const;

export const CustomerMessage = v.variant('t', CUSTOMER);
export type CustomerMessage = v.InferOutput<typeof CustomerMessage>;
export const CUSTOMER_MESSAGE_TYPES: ReadonlySet<string> = /* @__PURE__ */ new Set(/* @__PURE__ */ CUSTOMER.map((s) => s.entries.t.literal));
