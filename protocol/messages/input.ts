// Remote input, rep → agent. Only ever applied by the agent, and only under a `control` grant.
// Coordinates are in the pixels of the frame's display (x, y from its top-left corner).
import * as v from 'valibot';
import { Actor, Coord, SessionId, UInt } from './common.ts';

const Target = { sessionId: SessionId, display: v.optional(UInt), from: v.optional(Actor) };

export const Pointer = v.object({ t: v.literal('pointer'), ...Target, x: Coord, y: Coord });
export const Button = v.object({ t: v.literal('button'), ...Target, x: Coord, y: Coord, button: v.picklist(['left', 'middle', 'right']), down: v.boolean() });
export const Wheel = v.object({ t: v.literal('wheel'), ...Target, x: Coord, y: Coord, dx: v.pipe(v.number(), v.integer(), v.minValue(-100), v.maxValue(100)), dy: v.pipe(v.number(), v.integer(), v.minValue(-100), v.maxValue(100)) });
/** A physical key by its KeyboardEvent.code ("KeyA", "ShiftLeft", "Digit1", "Enter"...). */
export const Key = v.object({ t: v.literal('key'), ...Target, code: v.pipe(v.string(), v.minLength(1), v.maxLength(32)), down: v.boolean() });
/** Press codes in order, release in reverse (Ctrl+Alt+Del and other combinations a browser can't send). */
export const KeyCombo = v.object({ t: v.literal('key.combo'), ...Target, codes: v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(32))), v.minLength(1), v.maxLength(6)) });

export const INPUT_TYPES = ['pointer', 'button', 'wheel', 'key', 'key.combo'] as const;
