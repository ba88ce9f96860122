// The consent questions in the terminal, for machines with no browser (or --terminal): the same
// three answers as the window, plus ending screen sharing and the session from the keyboard.
import { createInterface, type Interface } from 'node:readline';
import type { Message } from '../protocol/index.ts';

export interface TerminalHandlers {
  decide(grant: 'none' | 'view' | 'control'): void;
  endSession(): void;
  say(text: string): void;
}

export class TerminalUi {
  private rl: Interface | null = null;
  private asking = false;

  constructor(private readonly h: TerminalHandlers) {}

  start(): void {
    this.rl = createInterface({ input: process.stdin, output: process.stdout });
    console.log('Type a message and press Enter to chat. Commands: /end-share (stop screen sharing), /quit (end the session).');
    this.rl.on('line', (line) => this.line(line.trim()));
    this.rl.on('close', () => this.h.endSession());
  }

  request(want: 'view' | 'control', repName: string): void {
    this.asking = true;
    console.log(`\n${repName} asks to ${want === 'control' ? 'control' : 'view'} your screen.`);
    console.log('  [c] Allow shared control   [v] Allow only viewing   [r] Refuse');
  }

  show(line: string): void {
    console.log(line);
  }

  /** Chat and system lines from the session, as the window would show them. */
  message(m: Message): void {
    if (m.t !== 'event' || m.from.role === 'agent' || m.from.role === 'customer') return;
    const b = m.body;
    if (b.kind === 'chat') this.show(`${m.from.name}: ${b.text}`);
    else if (b.kind === 'system' || b.kind === 'notice') this.show(`* ${b.text}`);
    else if (b.kind === 'url') this.show(`* ${m.from.name} sent a link: ${b.url}`);
    else if (b.kind === 'nudge') this.show(`\x07* ${m.from.name} is trying to get your attention`);
  }

  close(): void {
    this.rl?.removeAllListeners('close');
    this.rl?.close();
  }

  private line(s: string): void {
    if (this.asking && /^[cvr]$/i.test(s)) {
      this.asking = false;
      this.h.decide(s.toLowerCase() === 'c' ? 'control' : s.toLowerCase() === 'v' ? 'view' : 'none');
      return;
    }
    if (s === '/end-share') return this.h.decide('none');
    if (s === '/quit') return this.h.endSession();
    if (s) this.h.say(s);
  }
}
