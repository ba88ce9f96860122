// The agent's version, shown by --version and sent in sysinfo/hello.
import { agentVersion } from './sea.ts';
export const AGENT_VERSION = agentVersion() ?? '0.1.0';
