// What `npm start` offers for download: the server packages the agents it is set to serve
// (all four platforms by default) for its own origin, one platform at a time in the background,
// the host's first, and this keeps each platform's state for the chat and the download page:
// ready, preparing (ready in about N s, estimated from the packaging steps done so far), or
// unavailable (not packaged here, or packaging failed: the reason is in the server log).
// docs/ARCHITECTURE.md "Agent packaging and download" records the choice and its cost.
import type { AgentPlatformState, Platform } from '../../protocol/http.ts';
import { agentsDir, isUpToDate } from './served-agents.ts';
import { precompressAll } from '../../build-scripts/packaging/compress.ts';
import { binaryName, normalizeServerUrl, readBuildInfo } from '../../build-scripts/packaging/package.ts';
import { hostPlatform } from '../../build-scripts/packaging/platforms.ts';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildMessage } from './package-child.ts';
import type { ProgressFn } from '../../build-scripts/packaging/progress.ts';

const CHILD = fileURLToPath(new URL('./package-child.ts', import.meta.url));

/** Packages one platform in a child process (package-child.ts says why). */
function packageInChild(origin: string, outDir: string, platform: Platform, progress: ProgressFn): Promise<void> {
  return new Promise((resolve, reject) => {
    // The child is TypeScript: it needs tsx's loader, which a server started from source passes on
    // in its execArgv and a bundled one (the test runner's) does not have.
    const execArgv = process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : [...process.execArgv, '--import', 'tsx'];
    const child = fork(CHILD, [origin, outDir, platform], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let error = '';
    child.on('message', (m: ChildMessage) => {
      if ('progress' in m) progress(m.progress);
      else error = m.error;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(error || `the packaging process ended with ${signal ?? `code ${code}`}`));
    });
  });
}

/** Packaging steps per platform (package.ts); the estimate counts steps. */
const STEPS_PER_PLATFORM = 5;
/** A step's duration before any has been measured in this process (first start, cold cache:
 *  the slowest steps are the base binary download and the blob injection). */
const FIRST_STEP_MS = 6000;

export interface PreparerOptions {
  dataDir: string;
  /** The origin agents must be built for; '' while the server doesn't know it yet. */
  origin(): string;
  /** Platforms to package in the background; [] = serve only what is already built. */
  platforms: Platform[];
  progress?: ProgressFn;
  log?: (line: string) => void;
}

export class AgentPreparer {
  private queue: Platform[] = [];
  private failed = new Map<Platform, string>();
  private current: Platform | null = null;
  private currentDone = 0;
  private stepMs: number[] = [];
  private running: Promise<void> | null = null;
  private readonly waiters = new Set<() => void>();
  readonly dir: string;

  constructor(private readonly o: PreparerOptions) {
    this.dir = agentsDir(o.dataDir);
    // The host first: the machine the admin tries the product on.
    const host = hostPlatform();
    this.queue = [...o.platforms].sort((a, b) => Number(b === host) - Number(a === host));
  }

  /** Starts packaging in the background (once the origin is known); idempotent. */
  start(): Promise<void> {
    return (this.running ??= this.run());
  }

  /** The agent file for a platform when it is built for this origin, else null. */
  builtFile(platform: Platform): string | null {
    const origin = this.o.origin();
    const info = readBuildInfo(this.dir, platform);
    if (!origin || !info || info.serverUrl !== normalizeServerUrl(origin)) return null;
    return join(this.dir, binaryName(platform));
  }

  state(platform: Platform): AgentPlatformState {
    const at = this.queue.indexOf(platform);
    if (at >= 0) return { platform, state: 'preparing', readyInSec: this.estimateSec(at) };
    if (!this.failed.has(platform) && this.builtFile(platform)) return { platform, state: 'ready', readyInSec: 0 };
    return { platform, state: 'unavailable', readyInSec: null };
  }

  /** Why a platform is unavailable, for the admin (the log has it too). */
  failure(platform: Platform): string | null {
    return this.failed.get(platform) ?? null;
  }

  /** Resolves when the platform leaves 'preparing' or after timeoutMs. */
  async settled(platform: Platform, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (this.queue.includes(platform) && Date.now() < end) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.max(0, end - Date.now()));
        function done() { clearTimeout(t); resolve(); }
        this.waiters.add(done);
      });
    }
  }

  private changed(): void {
    for (const w of [...this.waiters]) w();
    this.waiters.clear();
  }

  /** Steps still to run before `platform` (at queue index `at`) is ready, times the mean step. */
  private estimateSec(at: number): number {
    const mean = this.stepMs.length ? this.stepMs.reduce((a, b) => a + b, 0) / this.stepMs.length : FIRST_STEP_MS;
    const running = this.current === this.queue[0] ? this.currentDone : 0;
    const steps = (at + 1) * STEPS_PER_PLATFORM - running;
    return Math.max(1, Math.ceil((steps * mean) / 1000));
  }

  private async run(): Promise<void> {
    while (!this.o.origin()) await new Promise((r) => setTimeout(r, 50));
    const origin = normalizeServerUrl(this.o.origin());
    const log = this.o.log ?? (() => {});
    if (this.queue.length) log(`preparing the agent downloads for ${origin}: ${this.queue.join(', ')} (in the background)`);
    while (this.queue.length) {
      const platform = this.queue[0];
      this.current = platform;
      this.currentDone = 0;
      try {
        if (!(await isUpToDate(this.dir, platform, origin))) {
          await packageInChild(origin, this.dir, platform, (e) => {
            if (e.ms !== undefined) { this.stepMs.push(e.ms); this.currentDone = e.done; }
            this.o.progress?.(e);
          });
        }
        log(`${platform} agent ready: ${join(this.dir, binaryName(platform))}`);
        // The host's agent is the one downloaded first; others are compressed on first download.
        if (platform === hostPlatform()) void precompressAll(join(this.dir, binaryName(platform))).catch((err: unknown) => log(`compressing the ${platform} agent failed: ${(err as Error).message}`));
      } catch (err) {
        this.failed.set(platform, (err as Error).message);
        log(`packaging the ${platform} agent failed: ${(err as Error).message}`);
      }
      this.queue.shift();
      this.current = null;
      this.changed();
    }
  }
}
