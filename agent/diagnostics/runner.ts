// Runs the platform's steps with time limits (docs/ARCHITECTURE.md, "Remote diagnostics"): each
// step gets `stepMs` and is cut off (its programs killed) when it takes longer; the whole run gets
// `totalMs`, after which steps not yet started are reported as cut off. A few steps run at once.
// The report is then fitted under the protocol's size cap.
import { DIAG_REPORT_BYTES, DIAG_SECTION_TEXT_CHARS, encode, type DiagnosticsReport, type DiagnosticsSection } from '../../protocol/index.ts';
import { stepTools } from './tools.ts';
import { Unavailable, type Step, type StepTools } from './types.ts';

export interface RunOptions {
  stepMs?: number;
  totalMs?: number;
  concurrency?: number;
  platform?: string;
  /** Test seam: the tools a step gets (real ones by default). */
  tools?: (signal: AbortSignal, timeoutMs: number) => StepTools;
}

export const STEP_MS = 3000;
export const TOTAL_MS = 15_000;

export async function runDiagnostics(steps: Step[], o: RunOptions = {}): Promise<DiagnosticsReport> {
  const stepMs = o.stepMs ?? STEP_MS;
  const deadline = Date.now() + (o.totalMs ?? TOTAL_MS);
  const sections: DiagnosticsSection[] = new Array(steps.length);
  let next = 0;
  const worker = async () => {
    while (next < steps.length) {
      const i = next++;
      sections[i] = Date.now() >= deadline
        ? { id: steps[i].id, title: steps[i].title, status: 'timeout', ms: 0, data: null, text: 'Not run: the time for the whole collection was up.' }
        : await runStep(steps[i], Math.min(stepMs, deadline - Date.now()), o.tools ?? stepTools);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 4, steps.length) }, worker));
  return fitReport({ collectedAt: Date.now(), platform: o.platform ?? process.platform, sections });
}

/** One step under its limit; never throws, never waits past the limit. */
export async function runStep(step: Step, limitMs: number, tools: NonNullable<RunOptions['tools']>): Promise<DiagnosticsSection> {
  const start = Date.now();
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), limitMs); });
  const base = { id: step.id, title: step.title };
  try {
    const out = await Promise.race([step.run(tools(abort.signal, limitMs)), cut]);
    const ms = Date.now() - start;
    if (out === 'timeout') {
      abort.abort();
      return { ...base, status: 'timeout', ms, data: null, text: `Cut off after ${(limitMs / 1000).toFixed(1)} s.` };
    }
    return { ...base, status: out.status ?? 'ok', ms, data: jsonOnly(out.data), text: capText(out.text) };
  } catch (e) {
    abort.abort();
    const ms = Date.now() - start;
    if (e instanceof Unavailable) return { ...base, status: 'unavailable', ms, data: null, text: e.message };
    return { ...base, status: 'error', ms, data: null, text: capText(`Failed: ${(e as Error).message ?? String(e)}`) };
  } finally {
    clearTimeout(timer);
  }
}

/** Plain JSON (drops undefined, functions and the like). */
function jsonOnly(x: unknown): unknown {
  return x === undefined ? null : (JSON.parse(JSON.stringify(x)) as unknown);
}

export function capText(s: string, max = DIAG_SECTION_TEXT_CHARS): string {
  if (s.length <= max) return s;
  const note = `\n… (${s.length - max + 200} more characters not sent)`;
  return s.slice(0, max - 200) + note;
}

/** Shrinks the biggest sections until the report fits one message. */
export function fitReport(r: DiagnosticsReport, maxBytes = DIAG_REPORT_BYTES): DiagnosticsReport {
  const size = () => encode({ t: 'diag.report', sessionId: 'x'.repeat(64), requestId: 'x'.repeat(64), report: r }).byteLength;
  for (let round = 0; round < 200 && size() > maxBytes; round++) {
    const weight = (s: DiagnosticsSection) => s.text.length + JSON.stringify(s.data).length;
    const big = r.sections.reduce((a, b) => (weight(b) > weight(a) ? b : a));
    if (big.text.length > 2048 && big.text.length >= JSON.stringify(big.data).length) big.text = capText(big.text, Math.floor(big.text.length / 2));
    else big.data = { omitted: 'too large to send' };
  }
  return r;
}
