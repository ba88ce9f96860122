// Pointer, wheel and keyboard capture on the canvas → input messages in remote pixels.
// Everything goes through ScreenSession.sendInput, which drops it unless control is granted;
// while it isn't, the page's keys keep their normal meaning (nothing is swallowed).
import type { ScreenSession } from './screen.ts';

const BUTTONS = ['left', 'middle', 'right'] as const;

/** Wheel deltas → notches: pixels (~100 per notch), lines (3 per notch), pages. Clamped to the schema's ±100. */
function notches(delta: number, mode: number): number {
  if (delta === 0) return 0;
  const per = mode === 1 ? 3 : mode === 2 ? 0.1 : 100;
  const n = Math.round(delta / per) || Math.sign(delta);
  return Math.max(-100, Math.min(100, n));
}

export function attachInput(screen: ScreenSession): () => void {
  const canvas = screen.display.canvas;
  const pressed = new Set<string>();
  const sid = screen.sessionId;
  let moveFrame = 0;
  let lastMove: { x: number; y: number } | null = null;
  // Where the pointer is, from pointer events (fractional page coordinates); wheel events only
  // carry whole CSS pixels, which can land one remote pixel off on a scaled or offset canvas.
  let here: { x: number; y: number } | null = null;

  const at = (e: { clientX: number; clientY: number }) => screen.display.toRemote(e.clientX, e.clientY);

  const onMove = (e: PointerEvent) => {
    if (!screen.controlAllowed) return;
    lastMove = here = at(e);
    // One pointer message per animation frame is plenty; the latest position wins.
    if (!moveFrame) moveFrame = requestAnimationFrame(() => {
      moveFrame = 0;
      if (lastMove) screen.sendInput({ t: 'pointer', sessionId: sid, ...lastMove });
      lastMove = null;
    });
  };
  const onButton = (e: PointerEvent) => {
    if (!screen.controlAllowed) return;
    const button = BUTTONS[e.button];
    if (!button) return;
    e.preventDefault();
    const down = e.type === 'pointerdown';
    if (down) { canvas.focus({ preventScroll: true }); canvas.setPointerCapture?.(e.pointerId); }
    // The position first, so the click lands where the pointer is even if a move is still pending.
    if (moveFrame) { cancelAnimationFrame(moveFrame); moveFrame = 0; lastMove = null; }
    const p = (here = at(e));
    screen.sendInput({ t: 'pointer', sessionId: sid, ...p });
    screen.sendInput({ t: 'button', sessionId: sid, ...p, button, down });
  };
  const onWheel = (e: WheelEvent) => {
    if (!screen.controlAllowed) return;
    e.preventDefault();
    const dx = notches(e.deltaX, e.deltaMode);
    const dy = notches(e.deltaY, e.deltaMode);
    if (dx || dy) screen.sendInput({ t: 'wheel', sessionId: sid, ...(here ?? at(e)), dx, dy });
  };
  const onKey = (e: KeyboardEvent) => {
    if (!screen.controlAllowed || !e.code) return;
    // Tab, F5, Backspace and friends belong to the remote machine while in control.
    e.preventDefault();
    const down = e.type === 'keydown';
    if (down) pressed.add(e.code); else pressed.delete(e.code);
    screen.sendInput({ t: 'key', sessionId: sid, code: e.code, down });
  };
  // Leaving the canvas with keys held would leave them stuck on the remote side.
  const releaseAll = () => {
    for (const code of pressed) screen.sendInput({ t: 'key', sessionId: sid, code, down: false });
    pressed.clear();
  };
  const forget = () => pressed.clear();
  const onLeave = () => { here = null; };
  const noMenu = (e: Event) => { if (screen.controlAllowed) e.preventDefault(); };

  const listeners: [string, (e: never) => void, AddEventListenerOptions?][] = [
    ['pointermove', onMove], ['pointerdown', onButton], ['pointerup', onButton], ['pointerleave', onLeave],
    ['wheel', onWheel, { passive: false }], ['keydown', onKey], ['keyup', onKey], ['blur', releaseAll], ['contextmenu', noMenu],
  ];
  for (const [type, fn, opts] of listeners) canvas.addEventListener(type, fn as EventListener, opts);
  screen.onControlLost.add(forget);
  return () => {
    releaseAll();
    if (moveFrame) cancelAnimationFrame(moveFrame);
    for (const [type, fn] of listeners) canvas.removeEventListener(type, fn as EventListener);
    screen.onControlLost.delete(forget);
  };
}

/** Key combinations a browser keeps for itself, offered as buttons. */
export const COMBOS: { label: string; codes: string[] }[] = [
  { label: 'Ctrl+Alt+Del', codes: ['ControlLeft', 'AltLeft', 'Delete'] },
  { label: 'Alt+Tab', codes: ['AltLeft', 'Tab'] },
  { label: 'Win', codes: ['MetaLeft'] },
  { label: 'PrtSc', codes: ['PrintScreen'] },
];
