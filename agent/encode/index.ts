// The agent's frame pipeline (docs/ARCHITECTURE.md, "Frame encoding"): one FrameEncoder per display.
export { FrameEncoder, type EncodeResult, type FrameEncoderOptions } from './frame-encoder.ts';
export type { RgbaFrame } from './types.ts';
