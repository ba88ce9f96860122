// System information for the rep (sysinfo message). Until the customer first allows screen
// sharing only the basics leave the machine (OS family, architecture, agent version); the host
// name, OS release, CPU, memory and the display layout follow with the first grant
// (docs/ARCHITECTURE.md, agent runtime "System information").
import os from 'node:os';
import type { Display, Msg } from '../../protocol/index.ts';
import { AGENT_VERSION } from '../runtime/version.ts';

const OS_NAMES: Record<string, string> = { linux: 'Linux', win32: 'Windows', darwin: 'macOS' };

/** `full`: the customer has allowed screen sharing in this run. */
export function systemInfo(sessionId: string, displays: Display[], full: boolean): Msg<'sysinfo'> {
  const s = (x: string) => x.slice(0, 200);
  const basics = { os: s(OS_NAMES[process.platform] ?? process.platform), arch: s(os.arch()), agentVersion: AGENT_VERSION };
  if (!full) return { t: 'sysinfo', sessionId, info: { ...basics, displays: [] } };
  const cpus = os.cpus();
  return {
    t: 'sysinfo',
    sessionId,
    info: {
      ...basics,
      os: s(`${basics.os}${typeof os.version === 'function' ? ` (${os.version()})` : ''}`),
      release: s(os.release()),
      hostname: s(os.hostname()),
      cpu: s(cpus[0]?.model?.trim() || 'unknown'),
      cores: cpus.length,
      memoryMB: Math.round(os.totalmem() / 1024 / 1024),
      displays,
    },
  };
}
