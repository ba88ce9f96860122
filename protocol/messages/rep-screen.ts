// Show My Screen: the rep shows a screen, window or tab to the customer, view-only
// (docs/ARCHITECTURE.md, "Show My Screen"). Encoded in the rep's browser with WebCodecs, relayed
// by the server as the received bytes to the customer's side (browser chat, agent window), decoded
// there with WebCodecs. It gives the rep nothing on the customer's machine.
import * as v from 'valibot';
import { REP_SCREEN_FRAME_BYTES } from '../limits.ts';
import { Edge, Id, SessionId, ShortText, Time, UInt } from './common.ts';

/** WebCodecs codec strings the console may encode with (VP8 first, VP9 when VP8 is missing). */
export const RepScreenCodec = v.picklist(['vp8', 'vp09.00.10.08']);
export type RepScreenCodec = v.InferOutput<typeof RepScreenCodec>;

/** Rep → server: start showing my screen in this session (no customer grant needed: it is view-only and theirs to close). */
export const RepScreenStart = v.object({ t: v.literal('repscreen.start'), sessionId: SessionId, codec: RepScreenCodec });
/** Rep → server: stop showing. */
export const RepScreenStop = v.object({ t: v.literal('repscreen.stop'), sessionId: SessionId });

/** Why a share ended: the rep stopped, the customer closed the view, the rep left or lost the connection, the session ended. */
export const RepScreenEnd = v.picklist(['rep', 'customer', 'left', 'ended']);
export type RepScreenEnd = v.InferOutput<typeof RepScreenEnd>;

export const RepScreenShare = v.object({
  id: Id,
  repId: Id,
  repName: ShortText,
  codec: RepScreenCodec,
  startedAt: Time,
  /** Customer-side views showing it now, and views that can't decode it (no WebCodecs). */
  viewers: UInt,
  unsupported: UInt,
});
export type RepScreenShare = v.InferOutput<typeof RepScreenShare>;

/** Server → everyone in the session: the share now; `share: null` with `ended` when it just ended. */
export const RepScreenState = v.object({ t: v.literal('repscreen.state'), sessionId: SessionId, share: v.nullable(RepScreenShare), ended: v.optional(RepScreenEnd) });

/** Rep → server → customer-side views: one encoded video chunk (the received bytes are relayed). */
export const RepScreenFrame = v.object({
  t: v.literal('repscreen.frame'),
  sessionId: SessionId,
  share: Id,
  seq: UInt,
  /** A keyframe: a view may start decoding here. */
  key: v.boolean(),
  /** The rep's clock at capture (µs are the decoder's business; this is ms for latency figures). */
  ts: Time,
  w: Edge,
  h: Edge,
  data: v.pipe(v.instance(Uint8Array), v.maxLength(REP_SCREEN_FRAME_BYTES)),
});
export type RepScreenFrame = v.InferOutput<typeof RepScreenFrame>;

/** Customer side → server: this view shows the share (`open`), or can't (`unsupported`: no WebCodecs). */
export const RepScreenView = v.object({ t: v.literal('repscreen.view'), sessionId: SessionId, share: Id, state: v.picklist(['open', 'unsupported']) });
/** Customer side → server: frame `seq` is decoded; lets the server send this view more. */
export const RepScreenAck = v.object({ t: v.literal('repscreen.ack'), sessionId: SessionId, share: Id, seq: UInt });
/** Customer side → server (a decoder lost its state) and server → sharing rep (a view needs one): send a keyframe. */
export const RepScreenKeyframe = v.object({ t: v.literal('repscreen.keyframe'), sessionId: SessionId, share: Id });
/** Customer side → server: the customer closed the view; the share ends for the session. */
export const RepScreenClose = v.object({ t: v.literal('repscreen.close'), sessionId: SessionId, share: Id });

/** Customer side → server (the agent relays these from its window). */
export const REP_SCREEN_VIEWER_TYPES = ['repscreen.view', 'repscreen.ack', 'repscreen.keyframe', 'repscreen.close'] as const;
