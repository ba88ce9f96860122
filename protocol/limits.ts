// Explicit limits, checked before a byte is decoded (docs/ARCHITECTURE.md "No loss").
export const KiB = 1024;
export const MiB = 1024 * KiB;

/** Any message that is not a frame or a file chunk. */
export const MAX_CONTROL_BYTES = 1 * MiB;
/** A frame or a file chunk message. */
export const MAX_BULK_BYTES = 16 * MiB;
/** One file chunk's payload. */
export const FILE_CHUNK_BYTES = 256 * KiB;
/** A file sender keeps at most this many bytes on the wire beyond what `file.progress` confirmed. */
export const FILE_WINDOW_BYTES = 4 * FILE_CHUNK_BYTES;
/** Chat text length in characters. */
export const MAX_CHAT_CHARS = 8000;
/** Rects in one frame. */
export const MAX_RECTS = 20000;
/** One `video` rect's encoded frame (a 4K key frame at high quality stays well below). */
export const MAX_VIDEO_FRAME_BYTES = 4 * 1024 * 1024;
/** Largest screen edge in pixels (8K and a margin). */
export const MAX_SCREEN_EDGE = 16384;
/** Frames the agent keeps in flight before waiting for the viewer's ack. */
export const DEFAULT_FRAMES_IN_FLIGHT = 2;

/** Typing: a sender repeats `typing {active}` at most this often while keys keep coming... */
export const TYPING_REPEAT_MS = 3000;
/** ...and says it stopped after this long without a key (or when the message is sent). */
export const TYPING_IDLE_MS = 4000;
/** A reader hides "is typing" this long after the last `active` (a lost "stopped" must not leave it
 *  on); longer than two repeats, so one lost repeat doesn't make it flicker. */
export const TYPING_SHOWN_MS = 8000;

/** Remote diagnostics: a report message fits one control message (the envelope's room aside)... */
export const DIAG_REPORT_BYTES = MAX_CONTROL_BYTES - 4 * KiB;
/** ...each section's text is capped... */
export const DIAG_SECTION_TEXT_CHARS = 64 * KiB;
/** ...and so is the number of sections. */
export const DIAG_MAX_SECTIONS = 40;
/** How often the customer may ask for more time on the agreement (WCAG 2.2.1 asks for at least ten). */
export const AGREEMENT_EXTENSIONS = 10;
/** The agreement's countdown warns (and offers more time out loud) when this many seconds are left. */
export const AGREEMENT_WARN_SEC = 20;

/** Show My Screen: one encoded chunk at most (the console's bitrate keeps keyframes well below)... */
export const REP_SCREEN_FRAME_BYTES = 512 * KiB;
/** ...and frames a view may have unacknowledged before the server drops to the next keyframe for it. */
export const REP_SCREEN_IN_FLIGHT = 4;
