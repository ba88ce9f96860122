// KeyboardEvent.code (a physical key, layout-independent) → nut-js Key name. Physical keys, not
// text: Shift+Digit1 arrives as ShiftLeft down, Digit1 down, so the customer's layout makes "!".
const MAP: Record<string, string> = {
  Escape: 'Escape', Backquote: 'Grave', Minus: 'Minus', Equal: 'Equal', Backspace: 'Backspace',
  Tab: 'Tab', BracketLeft: 'LeftBracket', BracketRight: 'RightBracket', Backslash: 'Backslash',
  CapsLock: 'CapsLock', Semicolon: 'Semicolon', Quote: 'Quote', Enter: 'Enter',
  ShiftLeft: 'LeftShift', ShiftRight: 'RightShift', Comma: 'Comma', Period: 'Period', Slash: 'Slash',
  ControlLeft: 'LeftControl', ControlRight: 'RightControl', AltLeft: 'LeftAlt', AltRight: 'RightAlt',
  MetaLeft: 'LeftSuper', MetaRight: 'RightSuper', OSLeft: 'LeftSuper', OSRight: 'RightSuper',
  Space: 'Space', ContextMenu: 'Menu', IntlBackslash: 'Backslash',
  PrintScreen: 'Print', ScrollLock: 'ScrollLock', Pause: 'Pause', Insert: 'Insert', Delete: 'Delete',
  Home: 'Home', End: 'End', PageUp: 'PageUp', PageDown: 'PageDown',
  ArrowUp: 'Up', ArrowDown: 'Down', ArrowLeft: 'Left', ArrowRight: 'Right',
  NumLock: 'NumLock', NumpadDivide: 'Divide', NumpadMultiply: 'Multiply', NumpadSubtract: 'Subtract',
  NumpadAdd: 'Add', NumpadEnter: 'Enter', NumpadDecimal: 'Decimal', NumpadEqual: 'NumPadEqual',
  AudioVolumeMute: 'AudioMute', AudioVolumeDown: 'AudioVolDown', AudioVolumeUp: 'AudioVolUp',
  MediaPlayPause: 'AudioPlay', MediaStop: 'AudioStop', MediaTrackPrevious: 'AudioPrev', MediaTrackNext: 'AudioNext',
};

/** The nut-js Key enum member name for a code, or null for keys nut-js can't press. */
export function keyName(code: string): string | null {
  if (Object.hasOwn(MAP, code)) return MAP[code];
  let m = /^Key([A-Z])$/.exec(code);
  if (m) return m[1];
  m = /^Digit([0-9])$/.exec(code);
  if (m) return `Num${m[1]}`;
  m = /^Numpad([0-9])$/.exec(code);
  if (m) return `NumPad${m[1]}`;
  m = /^F([1-9]|1[0-9]|2[0-4])$/.exec(code);
  if (m) return `F${m[1]}`;
  return null;
}
