// The customer's side of remote diagnostics (docs/ARCHITECTURE.md, "Remote diagnostics"): a rep's
// request waits here until the customer answers in the window or the terminal, which are shown
// the title of every section that would be collected. Nothing is collected before Allow, and
// every request needs its own answer.
import type { DiagnosticsReport, Msg } from '../../protocol/index.ts';
import type { Step } from '../diagnostics/types.ts';
import type { Upstream } from '../window/host/relay.ts';

/** What the customer is asked: who asks and what would be collected. */
export interface DiagnosticsAsk { requestId: string; repName: string; sections: Array<{ id: string; title: string }> }

export interface DiagnosticsDeps {
  up: Upstream;
  steps: () => Step[];
  run: (steps: Step[]) => Promise<DiagnosticsReport>;
  /** A new question for the customer (the window is told by the relayed request; the terminal here). */
  onAsk?: (ask: DiagnosticsAsk) => void;
  log?: (line: string) => void;
}

export class DiagnosticsDesk {
  private asking: (DiagnosticsAsk & { sessionId: string }) | null = null;
  private running = false;

  constructor(private readonly d: DiagnosticsDeps) {}

  /** The open question, for the window (null when nothing is asked). */
  get ask(): DiagnosticsAsk | null {
    if (!this.asking) return null;
    const { requestId, repName, sections } = this.asking;
    return { requestId, repName, sections };
  }

  /** The server passes on a rep's request (again after a reconnect: same id, asked once). */
  request(msg: Msg<'diag.request'>): void {
    if (!msg.requestId || this.asking?.requestId === msg.requestId) return;
    this.asking = {
      sessionId: msg.sessionId, requestId: msg.requestId, repName: msg.from?.name ?? 'Your representative',
      sections: this.d.steps().map((s) => ({ id: s.id, title: s.title })),
    };
    this.d.onAsk?.(this.ask!);
  }

  /** The customer's answer; false when it answers nothing open (a stale window). */
  answer(requestId: string, allowed: boolean): boolean {
    const a = this.asking;
    if (!a || a.requestId !== requestId) return false;
    this.asking = null;
    this.d.up.send({ t: 'diag.answer', sessionId: a.sessionId, requestId, allowed });
    this.d.log?.(allowed ? 'Diagnostics allowed: collecting' : 'Diagnostics refused');
    if (allowed) void this.collect(a.sessionId, requestId);
    return true;
  }

  /** The session ended: nothing more is asked or collected. */
  clear(): void {
    this.asking = null;
  }

  private async collect(sessionId: string, requestId: string): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const report = await this.d.run(this.d.steps());
      this.d.up.send({ t: 'diag.report', sessionId, requestId, report });
      this.d.log?.(`Diagnostics sent (${report.sections.length} sections)`);
    } catch (e) {
      this.d.log?.(`diagnostics failed: ${(e as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
