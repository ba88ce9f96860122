// Order statistics and formatting shared by the end-to-end benches.
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const median = (xs: number[]) => percentile(xs, 50);

export const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'n/a');

export function rate(bytesPerSec: number): string {
  if (bytesPerSec === 0) return '0 B/s';
  if (bytesPerSec < 10_000) return `${(bytesPerSec / 1000).toFixed(2)} KB/s`;
  return `${(bytesPerSec / 1000).toFixed(1)} KB/s`;
}
