// A test server packages no agent; these tests need the chat to offer a download, so they put a
// stand-in file where an administrator's `npm run package-agent` would (never run, only served).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestServer } from './server.ts';

export function standInAgent(server: TestServer): void {
  const agents = join(server.dataDir, 'agents');
  mkdirSync(agents, { recursive: true });
  writeFileSync(join(agents, 'bridge-agent-linux-x64'), 'not really an agent');
  writeFileSync(join(agents, 'bridge-agent-linux-x64.json'), JSON.stringify({ platform: 'linux-x64', file: 'bridge-agent-linux-x64', serverUrl: server.url }));
}
