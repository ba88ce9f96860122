// System information for the rep (sysinfo message): OS, release, host, CPU, memory, displays.
import os from 'node:os';
import type { Display, Msg } from '../protocol/index.ts';
import { AGENT_VERSION } from './version.ts';

const OS_NAMES: Record<string, string> = { linux: 'Linux', win32: 'Windows', darwin: 'macOS' };

export function systemInfo(sessionId: string, displays: Display[]): Msg<'sysinfo'> {
  const cpus = os.cpus();
  const s = (x: string) => x.slice(0, 200);
  return {
    t: 'sysinfo',
    sessionId,
    info: {
      os: s(`${OS_NAMES[process.platform] ?? process.platform}${typeof os.version === 'function' ? ` (${os.version()})` : ''}`),
      release: s(os.release()),
      arch: s(os.arch()),
      hostname: s(os.hostname()),
      cpu: s(cpus[0]?.model?.trim() || 'unknown'),
      cores: cpus.length,
      memoryMB: Math.round(os.totalmem() / 1024 / 1024),
      agentVersion: AGENT_VERSION,
      displays,
    },
  };
}
