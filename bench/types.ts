// What a benchmark module gives bench/run.ts: `export async function run(): Promise<BenchResult>`,
// and `export const slow = 'why'` if it takes minutes (then it runs only when named or with
// BENCH_ALL=1; bench/RESULTS.md keeps showing its newest result).
export interface BenchRow {
  /** What was measured, e.g. "typing 10 chars/s" — one scenario may have several rows. */
  scenario: string;
  /** e.g. "bytes/s", "ms per frame (median)", "PSNR dB". */
  metric: string;
  measured: number | string;
  /** The target as written in docs/ARCHITECTURE.md "Performance targets", e.g. "≤ 1 KB/s"; omit for figures without one. */
  target?: string;
  /** Whether the target is met; omit when there is none. */
  ok?: boolean;
  /** measured ÷ target (the binding one) where both are numbers: < 1 is within, > 1 over. */
  ratio?: number;
}

export interface BenchResult {
  /** Title of the table in bench/RESULTS.md. */
  title: string;
  rows: BenchRow[];
  /** Free-form notes printed under the table (method, caveats). */
  notes?: string[];
  /** Anything machine-readable beyond the rows (kept in the JSON only). */
  data?: unknown;
}
