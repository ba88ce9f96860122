// One packaging job in a child process, for the server (agent-preparer.ts). postject is LIEF in
// WebAssembly, whose memory only grows: packaging in the server's own process kept ≈ 1.4 GB
// (one platform) to 4 GB (four) of RSS for the server's lifetime; a child returns it on exit.
// argv: <server origin> <out dir> <platform>; progress and failure go to the parent over IPC.
import type { Platform } from '../../protocol/http.ts';
import { packageAgent } from '../../build-scripts/packaging/package.ts';
import type { ProgressEvent } from '../../build-scripts/packaging/progress.ts';

export type ChildMessage = { progress: ProgressEvent } | { error: string };

const [serverUrl, outDir, platform] = process.argv.slice(2);
const tell = (m: ChildMessage) => new Promise<void>((resolve) => { if (process.send) process.send(m, () => resolve()); else resolve(); });

// The server that asked is gone (stopped, or killed): nobody will serve this build, so stop now
// rather than keep a core busy for a minute.
process.on('disconnect', () => process.exit(1));

packageAgent({ serverUrl, outDir, platforms: [platform as Platform], progress: (e) => void tell({ progress: e }) }).then(
  () => process.exit(0),
  async (err: Error) => { await tell({ error: err.message }); process.exit(1); },
);
