// The agent's system information as a definition list (live session and History).
import type { SysInfo } from '../store.ts';

export function SysInfoList({ sys }: { sys: SysInfo }) {
  return (
    <dl>
      <dt>OS</dt><dd>{sys.os} {sys.release} ({sys.arch})</dd>
      <dt>Computer</dt><dd>{sys.hostname}</dd>
      <dt>CPU</dt><dd>{sys.cpu} × {sys.cores}</dd>
      <dt>Memory</dt><dd>{(sys.memoryMB / 1024).toFixed(1)} GB</dd>
      <dt>Displays</dt><dd>{sys.displays.map((d) => `${d.w}×${d.h}${d.primary ? ' (primary)' : ''}`).join(', ') || '—'}</dd>
      <dt>Agent</dt><dd>{sys.agentVersion}</dd>
    </dl>
  );
}
