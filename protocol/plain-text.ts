// Text that people read in a terminal as well as in a browser. Control characters in it could
// move a terminal's cursor, erase lines or recolour them, and so draw a fake consent prompt in
// the agent's terminal fallback (docs/SECURITY.md). The server refuses them in what clients
// write (chat, notices, end reasons); every terminal printer strips them from what it shows.

/** C0 except tab and newline, DEL, and C1. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;
const CONTROL_ALL = new RegExp(CONTROL.source, 'gu');

/** True when the text holds no control character but newline and tab. */
export function isPlainText(s: string): boolean {
  return !CONTROL.test(s);
}

/** For a terminal: control characters removed (newline kept), tabs as one space. */
export function printable(s: string): string {
  return s.replace(CONTROL_ALL, '').replace(/\t/g, ' ');
}

export const PLAIN_TEXT_MESSAGE = 'control characters (escape sequences, carriage return, backspace and the like) are not allowed; send plain text with newlines only';
