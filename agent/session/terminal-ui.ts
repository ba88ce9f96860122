// The consent questions in the terminal, for machines with no browser (or --terminal): the same
// three answers as the window, the diagnostics and restart questions, plus ending screen sharing and the
// session from the keyboard.
// Everything from the network is printed through printable(): an escape sequence in a chat line
// could otherwise erase the real question and draw a fake one (docs/ARCHITECTURE.md, agent runtime).
import { createInterface, type Interface } from 'node:readline';
import { eventText, nameList, printable, type Message } from '../../protocol/index.ts';
import type { RebootAnswerKind } from '../../protocol/index.ts';
import type { DiagnosticsAsk } from './diagnostics.ts';
import type { RebootAsk } from './reboot.ts';

/** Lines besides chat the terminal prints (files and grants are the window's business). */
const SHOWN = new Set(['system', 'notice', 'url', 'nudge']);

/** A rep the grant would cover, as the question names them. */
export interface Covered { id: string; name: string }

export interface TerminalHandlers {
  /** `reps`: the reps the question named (a grant covers exactly those); absent for `none`. */
  decide(grant: 'none' | 'view' | 'control', reps?: string[]): void;
  endSession(): void;
  say(text: string): void;
  /** The customer's answer to a diagnostics request. */
  answerDiagnostics(requestId: string, allow: boolean): void;
  /** The customer's answer to a restart request. */
  answerReboot(requestId: string, answer: RebootAnswerKind): void;
}

export class TerminalUi {
  private rl: Interface | null = null;
  /** The reps named by the open question; null while nothing is asked. */
  private asking: string[] | null = null;
  /** The diagnostics request the customer is asked about, if any. */
  private diagAsking: string | null = null;
  /** The restart request the customer is asked about, if any. */
  private rebootAsking: string | null = null;

  constructor(private readonly h: TerminalHandlers) {}

  start(): void {
    this.rl = createInterface({ input: process.stdin, output: process.stdout });
    console.log('Type a message and press Enter to chat. Commands: /end-share (stop screen sharing), /quit (end the session).');
    this.rl.on('line', (line) => this.line(line.trim()));
    this.rl.on('close', () => this.h.endSession());
  }

  /** The rep's request, naming every rep the answer would cover (the reps in the session now). */
  request(want: 'view' | 'control', repName: string, covers: Covered[]): void {
    this.asking = covers.map((r) => r.id);
    this.show(`\n${repName} asks to ${want === 'control' ? 'control' : 'view'} your screen.`);
    this.show(`This grant covers: ${nameList(covers.map((r) => r.name)) || repName}`);
    this.show('  [c] Allow shared control   [v] Allow only viewing   [r] Refuse');
  }

  /** A rep asks for diagnostics: every section that would be collected, one line each. */
  diagnostics(ask: DiagnosticsAsk): void {
    this.diagAsking = ask.requestId;
    this.show(`\n${ask.repName} asks to collect diagnostics from this computer. This would be sent:`);
    for (const s of ask.sections) this.show(`  - ${s.title}`);
    this.show('  [a] Allow sending diagnostics   [n] Refuse');
  }

  /** A rep asks to restart the computer; whole words answer it (single letters belong to the other questions). */
  reboot(ask: RebootAsk): void {
    this.rebootAsking = ask.requestId;
    this.show(`\n${ask.repName} asks to restart this computer. Save your work first: the support program comes back by itself afterwards and asks again before your screen is shared.`);
    this.show('  Type restart (restart now), logout (only log out) or no (not now).');
  }

  show(line: string): void {
    console.log(printable(line));
  }

  /** Chat and system lines from the session, as the window would show them. */
  message(m: Message): void {
    if (m.t !== 'event' || m.from.role === 'agent' || m.from.role === 'customer') return;
    const b = m.body;
    if (b.kind === 'chat') this.show(`${m.from.name}: ${b.text}`);
    else if (SHOWN.has(b.kind)) console.log(`${b.kind === 'nudge' ? '\x07' : ''}${printable(`* ${eventText(b, m.from.name)}`)}`); // the bell is ours
  }

  close(): void {
    this.rl?.removeAllListeners('close');
    this.rl?.close();
  }

  private line(s: string): void {
    if (this.diagAsking && /^[an]$/i.test(s)) {
      const id = this.diagAsking;
      this.diagAsking = null;
      this.h.answerDiagnostics(id, s.toLowerCase() === 'a');
      return;
    }
    if (this.rebootAsking && /^(restart|logout|no)$/i.test(s)) {
      const id = this.rebootAsking;
      this.rebootAsking = null;
      const answer = s.toLowerCase();
      this.h.answerReboot(id, answer === 'no' ? 'decline' : (answer as 'restart' | 'logout'));
      return;
    }
    if (this.asking && /^[cvr]$/i.test(s)) {
      const reps = this.asking;
      this.asking = null;
      const grant = s.toLowerCase() === 'c' ? 'control' : s.toLowerCase() === 'v' ? 'view' : 'none';
      this.h.decide(grant, grant === 'none' ? undefined : reps);
      return;
    }
    if (s === '/end-share') return this.h.decide('none');
    if (s === '/quit') return this.h.endSession();
    if (s) this.h.say(s);
  }
}
