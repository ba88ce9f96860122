// The message catalogue: every message on every WebSocket is one of these, told apart by `t`.
import * as v from 'valibot';
import { Ack, Agreement, AgreementMore, Chat, Event, Notice, Nudge, PushUrl, Recording, Typing } from './events.ts';
import { ErrorMessage, Hello, Ping, Pong, Resume, Welcome } from './handshake.ts';
import { Accept, Availability, CannedChanged, Done, End, Hold, Join, LanguageChoice, QueueStatus, RepQueues, RepQueuesDelta, RepQueuesRefresh, SessionUpdate, Survey, Transfer } from './session.ts';
import { Frame, FrameAck, FrameRefresh, GrantState, InputPaused, ScreenCancel, ScreenDecline, ScreenRequest, SysInfo } from './screen.ts';
import { Button, INPUT_TYPES, Key, KeyCombo, Pointer, Wheel } from './input.ts';
import { DiagAnswer, DiagReport, DiagRequest } from './diagnostics.ts';
import { RebootAnswer, RebootRequest, RebootTicket } from './reboot.ts';
import { RepScreenAck, RepScreenClose, RepScreenFrame, RepScreenKeyframe, RepScreenStart, RepScreenState, RepScreenStop, RepScreenView } from './rep-screen.ts';
import { FileAccepted, FileAnswer, FileCancel, FileChunk, FileDone, FileOffer, FileProgress } from './file.ts';

export * from './common.ts';
export * from './handshake.ts';
export * from './events.ts';
export * from './session.ts';
export * from './screen.ts';
export * from './input.ts';
export * from './file.ts';
export * from './diagnostics.ts';
export * from './reboot.ts';
export * from './rep-screen.ts';

const ALL = [
  Hello, Resume, Welcome, ErrorMessage, Ping, Pong,
  Event, Ack, Chat, Nudge, PushUrl, Notice, Agreement, AgreementMore, Recording, Typing,
  SessionUpdate, QueueStatus, RepQueues, RepQueuesDelta, RepQueuesRefresh, Availability, Accept, Join, Transfer, Hold, End, Survey, Done, CannedChanged, LanguageChoice,
  SysInfo, ScreenRequest, ScreenCancel, ScreenDecline, GrantState, InputPaused, Frame, FrameAck, FrameRefresh,
  Pointer, Button, Wheel, Key, KeyCombo,
  FileOffer, FileAnswer, FileAccepted, FileChunk, FileProgress, FileDone, FileCancel,
  DiagRequest, DiagAnswer, DiagReport,
  RebootRequest, RebootAnswer, RebootTicket,
  // Named one by one: esbuild keeps an array with a spread (it may run an iterator), and with it
  // every schema, in bundles that use none of them (docs/ARCHITECTURE.md "Web chat" → "Size").
  RepScreenStart, RepScreenStop, RepScreenState, RepScreenFrame, RepScreenView, RepScreenAck, RepScreenKeyframe, RepScreenClose,
] as const;

export const Message = v.variant('t', ALL);
export type Message = v.InferOutput<typeof Message>;
export type MessageType = Message['t'];
/** The message of type T, e.g. `Msg<'chat'>`. */
export type Msg<T extends MessageType> = Extract<Message, { t: T }>;

export const MESSAGE_TYPES: ReadonlySet<string> = /* @__PURE__ */ new Set(/* @__PURE__ */ ALL.map((s) => s.entries.t.literal));
/** Types allowed above MAX_CONTROL_BYTES. */
export const BULK_TYPES: ReadonlySet<string> = /* @__PURE__ */ new Set(['frame', 'file.chunk']);

/**
 * Messages that are stored and acknowledged (docs/ARCHITECTURE.md, Protocol: no loss): they carry
 * a client `id` and wait in the sender's outbox until their `ack`. All but `survey` become
 * transcript events (a survey is a record).
 */
export const RELIABLE_TYPES = ['chat', 'nudge', 'url.push', 'notice', 'agreement', 'recording', 'survey'] as const;
export type ReliableMessage = Msg<(typeof RELIABLE_TYPES)[number]>;
export type TranscriptMessage = Exclude<ReliableMessage, Msg<'survey'>>;
/** Of those, the ones only a rep sends, and the ones only the customer's side sends. */
export const REP_ONLY_TYPES: ReadonlySet<string> = /* @__PURE__ */ new Set(['nudge', 'url.push', 'notice']);
export const CUSTOMER_ONLY_TYPES: ReadonlySet<string> = /* @__PURE__ */ new Set(['agreement', 'recording']);
const RELIABLE: ReadonlySet<string> = /* @__PURE__ */ new Set(RELIABLE_TYPES);
export const isReliable = (m: Message): m is ReliableMessage => RELIABLE.has(m.t);
export const isTranscriptMessage = (m: Message): m is TranscriptMessage => RELIABLE.has(m.t) && m.t !== 'survey';

/** Remote input, rep → agent (protocol/messages/input.ts). */
export type InputMessage = Msg<(typeof INPUT_TYPES)[number]>;
const INPUT: ReadonlySet<string> = /* @__PURE__ */ new Set(INPUT_TYPES);
export const isInput = (m: Message): m is InputMessage => INPUT.has(m.t);
