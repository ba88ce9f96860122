// One packaged linux-x64 agent per test run. Packaging takes ≈ 15–30 s, and the agent has its
// server's origin baked in, so the tests that serve or run the packaged agent (test/journeys/,
// test/packaged/) share one port and one build through npm test's cache dir: the first picks a
// free port and packages for it, the next reuse both. The runner keeps these files in one lane
// (test/run.ts), so two servers never want the port at once. Without the cache dir (a file run
// on its own), each server gets a free port and its own build.
import { execFileSync } from 'node:child_process';
import { copyFileSync, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { constants as zc, createBrotliCompress, createGzip } from 'node:zlib';
import { freePort } from './ports.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FILES = ['bridge-agent-linux-x64', 'bridge-agent-linux-x64.json', 'bridge-agent-linux-x64.gz', 'bridge-agent-linux-x64.br'];

/** What package-agent writes beside the binary. */
export interface PackagedAgentInfo { serverUrl: string; sha256: string }

/** The port the packaged agent is built for (shared within a run), and where its build lives. */
export async function packagedAgentPort(): Promise<{ port: number; cacheDir: string | null }> {
  const cache = process.env.BRIDGE_TEST_CACHE;
  if (!cache) return { port: await freePort(), cacheDir: null };
  const dir = join(cache, 'packaged-agent');
  const portFile = join(dir, 'port');
  if (existsSync(portFile)) return { port: Number(readFileSync(portFile, 'utf8')), cacheDir: dir };
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  writeFileSync(portFile, String(port));
  return { port, cacheDir: dir };
}

/** Puts the agent built for http://127.0.0.1:<port> into a server's agents dir (building it once). */
export async function installPackagedAgent(port: number, cacheDir: string | null, agentsDir: string): Promise<PackagedAgentInfo> {
  const origin = `http://127.0.0.1:${port}`;
  const built = cacheDir ? join(cacheDir, 'agents') : agentsDir;
  if (!existsSync(join(built, FILES[3]))) await packageAgent(origin, built);
  if (built !== agentsDir) {
    mkdirSync(agentsDir, { recursive: true });
    // Copied in this order: the compressed copies must be newer than the binary's ctime
    // (build-scripts/packaging/compress.ts), or the server would compress again.
    for (const f of FILES) copyFileSync(join(built, f), join(agentsDir, f));
  }
  return JSON.parse(readFileSync(join(agentsDir, FILES[1]), 'utf8')) as PackagedAgentInfo;
}

async function packageAgent(origin: string, agentsDir: string): Promise<void> {
  execFileSync(process.execPath, ['--import', 'tsx', 'build-scripts/package-agent.ts', '--server-url', origin, '--platform', 'linux-x64', '--out', agentsDir], { cwd: root, stdio: 'ignore', timeout: 300_000 });
  // Quick compressed copies, so the server sends a finished file instead of starting its own
  // minutes-long brotli pass in the background while the test runs.
  const file = join(agentsDir, FILES[0]);
  await pipeline(createReadStream(file), createGzip({ level: 1 }), createWriteStream(`${file}.gz`));
  await pipeline(createReadStream(file), createBrotliCompress({ params: { [zc.BROTLI_PARAM_QUALITY]: 1 } }), createWriteStream(`${file}.br`));
}

