// Explicit limits, checked before a byte is decoded (DESIGN.md §3).
export const KiB = 1024;
export const MiB = 1024 * KiB;

/** Any message that is not a frame or a file chunk. */
export const MAX_CONTROL_BYTES = 1 * MiB;
/** A frame or a file chunk message. */
export const MAX_BULK_BYTES = 16 * MiB;
/** One file chunk's payload. */
export const FILE_CHUNK_BYTES = 256 * KiB;
/** Chat text length in characters. */
export const MAX_CHAT_CHARS = 8000;
/** Rects in one frame. */
export const MAX_RECTS = 20000;
/** Largest screen edge in pixels (8K and a margin). */
export const MAX_SCREEN_EDGE = 16384;
/** Frames the agent keeps in flight before waiting for the viewer's ack. */
export const DEFAULT_FRAMES_IN_FLIGHT = 2;
