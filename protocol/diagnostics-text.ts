// A diagnostics report as readable text (download, History), the same words everywhere.
import type { DiagnosticsReport, DiagStatus } from './messages/diagnostics.ts';

const STATUS: Record<DiagStatus, string> = { ok: 'ok', timeout: 'cut off (time limit)', error: 'failed', unavailable: 'not available on this computer' };

export function diagnosticsStatusText(s: DiagStatus): string {
  return STATUS[s];
}

export function reportText(r: DiagnosticsReport): string {
  const out = [`Diagnostics collected ${new Date(r.collectedAt).toISOString()} (${r.platform})`, ''];
  for (const s of r.sections) {
    out.push(`== ${s.title} [${diagnosticsStatusText(s.status)}, ${s.ms} ms]`);
    if (s.text) out.push(s.text.replace(/\s+$/, ''));
    out.push('');
  }
  return out.join('\n');
}
