// The agent's system information as a definition list (live session and History). Before the
// customer first allows screen sharing the agent sends only the basics (protocol SysInfo).
import type { SysInfo } from '../store.ts';
import { t } from '../i18n.ts';
import { size } from '../format.ts';

export function SysInfoList({ sys }: { sys: SysInfo }) {
  if (sys.hostname === undefined) {
    return (
      <dl>
        <dt>{t('sysinfo.os')}</dt><dd>{sys.os} ({sys.arch})</dd>
        <dt>{t('sysinfo.agent')}</dt><dd>{sys.agentVersion}</dd>
        <dt>{t('sysinfo.more')}</dt><dd class="muted">{t('sysinfo.moreLater')}</dd>
      </dl>
    );
  }
  return (
    <dl>
      <dt>{t('sysinfo.os')}</dt><dd>{sys.os} {sys.release} ({sys.arch})</dd>
      <dt>{t('sysinfo.computer')}</dt><dd><bdi>{sys.hostname}</bdi></dd>
      <dt>{t('sysinfo.cpu')}</dt><dd>{sys.cpu} × {sys.cores}</dd>
      <dt>{t('sysinfo.memory')}</dt><dd>{size((sys.memoryMB ?? 0) * 1024 * 1024)}</dd>
      <dt>{t('sysinfo.displays')}</dt><dd>{sys.displays.map((d) => t('sysinfo.display', { w: d.w, h: d.h, primary: d.primary ? 'yes' : 'no' })).join(', ') || '—'}</dd>
      <dt>{t('sysinfo.agent')}</dt><dd>{sys.agentVersion}</dd>
    </dl>
  );
}
