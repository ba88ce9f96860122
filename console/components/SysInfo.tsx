// The agent's system information as a definition list (live session and History). Before the
// customer first allows screen sharing the agent sends only the basics (protocol SysInfo).
import type { SysInfo } from '../store.ts';

export function SysInfoList({ sys }: { sys: SysInfo }) {
  if (sys.hostname === undefined) {
    return (
      <dl>
        <dt>OS</dt><dd>{sys.os} ({sys.arch})</dd>
        <dt>Agent</dt><dd>{sys.agentVersion}</dd>
        <dt>More</dt><dd class="muted">shown once the customer allows screen sharing</dd>
      </dl>
    );
  }
  return (
    <dl>
      <dt>OS</dt><dd>{sys.os} {sys.release} ({sys.arch})</dd>
      <dt>Computer</dt><dd>{sys.hostname}</dd>
      <dt>CPU</dt><dd>{sys.cpu} × {sys.cores}</dd>
      <dt>Memory</dt><dd>{((sys.memoryMB ?? 0) / 1024).toFixed(1)} GB</dd>
      <dt>Displays</dt><dd>{sys.displays.map((d) => `${d.w}×${d.h}${d.primary ? ' (primary)' : ''}`).join(', ') || '—'}</dd>
      <dt>Agent</dt><dd>{sys.agentVersion}</dd>
    </dl>
  );
}
