// Screen sharing: consent state, system info, frames and their acks (docs/ARCHITECTURE.md "No loss" and "Consent lives in the agent").
import * as v from 'valibot';
import { MAX_RECTS, MAX_VIDEO_FRAME_BYTES } from '../limits.ts';
import { Actor, Bytes, Coord, Edge, Grant, Id, SessionId, ShortText, Time, UInt } from './common.ts';

const Box = { x: Coord, y: Coord, w: Edge, h: Edge };

/** One colour (0xRRGGBB) over the whole rect. */
export const FillRect = v.object({ k: v.literal('fill'), ...Box, c: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffffff)) });
/** Up to 256 RGB colours (3 bytes each) and deflate-raw of one index byte per pixel, row-major. Lossless. */
export const PaletteRect = v.object({ k: v.literal('palette'), ...Box, colors: Bytes, data: Bytes });
/** A JPEG image exactly the rect's size. */
export const JpegRect = v.object({ k: v.literal('jpeg'), ...Box, data: Bytes });
/** The rect's pixels come from (sx, sy) of the previous frame: a moved or scrolled region. */
export const CopyRect = v.object({ k: v.literal('copy'), ...Box, sx: Coord, sy: Coord });
/**
 * Like `palette`, in the display's stream context (protocol/palette-stream.ts): new colours and
 * indices into the context's colour table, deflate-raw with the recent payloads as dictionary.
 * Lossless; decodable only in order after the frame that reset the context (see Frame.z).
 */
export const ZpalRect = v.object({ k: v.literal('zpal'), ...Box, data: Bytes });
/** A PNG image exactly the rect's size: lossless at any colour count (a lossy area refined at rest). */
export const PngRect = v.object({ k: v.literal('png'), ...Box, data: Bytes });

/** Video codecs a viewer may declare it decodes (frame.refresh `video`); VP8 is what the agent encodes. */
export const VideoCodec = v.picklist(['vp8']);
export type VideoCodec = v.InferOutput<typeof VideoCodec>;
/**
 * A frame of the display's video stream (docs/ARCHITECTURE.md "Video tier"): a VP8 frame whose
 * picture is drawn scaled to the rect. `n` counts frames since the stream's key frame (`n = 0`
 * with a key frame); a viewer that missed one cannot decode until the next key frame. `cw`×`ch`
 * is the coded size (the rect's, or smaller when the agent scales the picture down).
 */
export const VideoRect = v.object({
  k: v.literal('video'), ...Box,
  codec: VideoCodec,
  n: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffffffff)),
  cw: Edge, ch: Edge,
  data: v.pipe(Bytes, v.maxLength(MAX_VIDEO_FRAME_BYTES)),
});

export const Rect = v.variant('k', [FillRect, PaletteRect, JpegRect, CopyRect, ZpalRect, PngRect, VideoRect]);
export type Rect = v.InferOutput<typeof Rect>;
export type RectKind = Rect['k'];

/** A display of the customer's machine, in the agent's virtual-screen coordinates. */
export const Display = v.object({ id: v.pipe(v.number(), v.integer()), name: ShortText, x: Coord, y: Coord, w: Edge, h: Edge, scale: v.pipe(v.number(), v.finite(), v.minValue(0.1), v.maxValue(8)), primary: v.boolean() });
export type Display = v.InferOutput<typeof Display>;

/**
 * Agent → server → reps: what the rep's console shows about the customer's machine. Before the
 * customer first allows screen sharing the agent sends only the basics (OS family, architecture,
 * agent version, no displays); the fields marked "after a grant" come with the first grant
 * (docs/ARCHITECTURE.md, agent runtime "System information").
 */
export const SysInfo = v.object({
  t: v.literal('sysinfo'),
  sessionId: SessionId,
  info: v.object({
    os: ShortText,
    /** After a grant. */
    release: v.optional(ShortText),
    arch: ShortText,
    /** After a grant. */
    hostname: v.optional(ShortText),
    /** After a grant. */
    cpu: v.optional(ShortText),
    /** After a grant. */
    cores: v.optional(UInt),
    /** After a grant. */
    memoryMB: v.optional(UInt),
    agentVersion: ShortText,
    /** Empty before a grant. */
    displays: v.array(Display),
  }),
});

/** Rep → server: ask the customer for this access (becomes `session.screenRequest` until answered). */
export const ScreenRequest = v.object({ t: v.literal('screen.request'), sessionId: SessionId, want: v.picklist(['view', 'control']), from: v.optional(Actor) });
/** Rep → server: withdraw the outstanding request. */
export const ScreenCancel = v.object({ t: v.literal('screen.cancel'), sessionId: SessionId, requestId: Id });
/** Agent or browser chat → server: the customer refused the outstanding request. */
export const ScreenDecline = v.object({ t: v.literal('screen.decline'), sessionId: SessionId, requestId: Id });

/**
 * Agent → server → reps: the grant the customer gave in the agent's own window. Informational
 * for everyone else; the agent never takes a grant from the network.
 */
export const GrantState = v.object({
  t: v.literal('grant'),
  sessionId: SessionId,
  grant: Grant,
  /** Increases with every change, so a rep can drop late input. */
  epoch: UInt,
  /** Rep ids the grant covers; a rep who joins later is not covered. */
  reps: v.array(Id),
  /** Application sharing: names of the windows shared; null for the whole screen. */
  apps: v.nullable(v.array(ShortText)),
});

/** Agent → server → reps: remote input is paused because the customer moved the pointer. */
export const InputPaused = v.object({ t: v.literal('input.paused'), sessionId: SessionId, untilMs: Time });

export const Frame = v.object({
  t: v.literal('frame'),
  sessionId: SessionId,
  seq: UInt,
  /** Index of the display in sysinfo.displays. */
  display: UInt,
  /** The full size of the display image the rects draw into. */
  w: Edge,
  h: Edge,
  /** Agent clock when the change was captured, for latency figures. */
  ts: Time,
  rects: v.pipe(v.array(Rect), v.maxLength(MAX_RECTS)),
  /**
   * The display's stream context before this frame: how many `zpal` rects it has applied since it
   * was reset; 0 resets it. A decoder whose count differs missed a frame and cannot decode `zpal`
   * rects until the next 0 (it asks for a refresh). Absent: the agent keeps no context.
   */
  z: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffff))),
});
export type Frame = v.InferOutput<typeof Frame>;

/** Viewer → agent (via server): frame applied; lets the agent send the next one. */
export const FrameAck = v.object({ t: v.literal('frame.ack'), sessionId: SessionId, seq: UInt, from: v.optional(Actor) });

/** Rep → agent: send a full frame now (viewer opened or lost state). */
export const FrameRefresh = v.object({
  t: v.literal('frame.refresh'), sessionId: SessionId, display: v.optional(UInt), from: v.optional(Actor),
  /** The video codecs this viewer decodes (absent: none; the agent then sends no `video` rects). */
  video: v.optional(v.pipe(v.array(VideoCodec), v.maxLength(4))),
});

export type DisplayId = v.InferOutput<typeof Id>;
