// The agent's terminal fallback against text that tries to draw on the terminal: a chat line
// (from a compromised server, or a record stored before the server refused control characters)
// that erases the real consent question and draws a fake "view only" one, so that the
// customer's `c` grants control. The real TerminalUi prints what a session would show; what
// reaches stdout must hold no control character but newline, and the question must name every
// rep its answer covers — and the answer must cover exactly those.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Message } from '../../protocol/index.ts';
import { TerminalUi } from '../../agent/session/terminal-ui.ts';

/** Runs `fn` with console.log captured; returns what it would have written. */
function captured(fn: () => void): string {
  const out: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => { out.push(args.map(String).join(' ') + '\n'); };
  try { fn(); } finally { console.log = log; }
  return out.join('');
}

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const event = (from: Extract<Message, { t: 'event' }>['from'], body: Extract<Message, { t: 'event' }>['body']): Message => ({ t: 'event', sessionId: 's', seq: 1, at: 0, from, body });

test('a rep\'s chat with escape sequences cannot erase the question or draw a fake one', () => {
  const decisions: Array<{ grant: string; reps?: string[] }> = [];
  const ui = new TerminalUi({ decide: (grant, reps) => decisions.push({ grant, reps }), endSession: () => {}, say: () => {}, answerDiagnostics: () => {}, answerReboot: () => {} });
  const ana = { role: 'rep' as const, id: 'ana', name: 'Ana' };
  const out = captured(() => {
    ui.request('view', 'Ana', [{ id: 'ana', name: 'Ana' }]);
    // Cursor up two lines, erase them, draw a question whose [c] seems to mean "view only".
    const fake = 'ok\x1b[1A\x1b[2K\x1b[1A\x1b[2K\rAna asks to view your screen.\n  [c] Allow only viewing   [r] Refuse';
    ui.message(event(ana, { kind: 'chat', text: fake }));
    ui.message(event({ role: 'system', name: 'Acme' }, { kind: 'system', code: 'x', text: 'line\x9b2K\x08\x08back\ttab' }));
    ui.message(event({ role: 'rep', id: 'e', name: 'Eve\x1b]0;title\x07' }, { kind: 'notice', text: '\x1bcreset', leaveAllowed: false }));
    ui.message(event({ role: 'rep', id: 'e', name: 'Eve\x1b[31m' }, { kind: 'nudge' }));
  });
  const lines = out.split('\n');
  for (const line of lines.slice(0, -1)) {
    // The nudge's own bell is the agent's, at the start of its line; nothing else is a control character.
    assert.not.ok(CONTROL.test(line.replace(/^\x07/, '')), `control character in ${JSON.stringify(line)}`);
  }
  assert.ok(out.includes('Ana: ok[1A[2K[1A[2KAna asks to view your screen.\n  [c] Allow only viewing   [r] Refuse'), 'the chat stays visible text on its own lines, after "Ana: "');
  assert.ok(out.includes('* line2Kback tab'), 'C1 CSI and backspaces gone, the tab a space');
  assert.ok(out.startsWith('\nAna asks to view your screen.\nThis grant covers: Ana\n  [c] Allow shared control'), 'the real question is above, untouched');
});

test('the question names every rep the answer covers; the answer covers exactly those', () => {
  const decisions: Array<{ grant: string; reps?: string[] }> = [];
  const ui = new TerminalUi({ decide: (grant, reps) => decisions.push({ grant, reps }), endSession: () => {}, say: () => {}, answerDiagnostics: () => {}, answerReboot: () => {} });
  const out = captured(() => ui.request('control', 'Ana', [{ id: 'ana', name: 'Ana' }, { id: 'ben', name: 'Ben' }]));
  assert.match(out, /This grant covers: Ana and Ben\n/);
  (ui as unknown as { line(s: string): void }).line('c');
  (ui as unknown as { line(s: string): void }).line('c'); // no question open: a chat line, not a grant
  assert.equal(decisions, [{ grant: 'control', reps: ['ana', 'ben'] }]);
  captured(() => ui.request('view', 'Ana', [{ id: 'ana', name: 'Ana' }]));
  (ui as unknown as { line(s: string): void }).line('r');
  assert.equal(decisions.at(-1), { grant: 'none', reps: undefined });
});

test.run();
