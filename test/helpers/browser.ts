// Debian's Chromium driven by playwright-core (never a downloaded browser; docs/ARCHITECTURE.md "Testing with real parts").
import { chromium, type Browser } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
];

export interface TestBrowser { browser: Browser; close(): Promise<void> }

/** A headless Chromium with a fresh profile, removed on close. */
/** `args`: more Chromium switches (a headed browser on Xvfb that captures the screen, say). */
export async function launchBrowser(opts: { headless?: boolean; env?: Record<string, string>; args?: string[] } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'bridge-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: opts.headless ?? true,
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
    env: { ...process.env, ...opts.env } as Record<string, string>,
  });
  const browser = context.browser();
  // launchPersistentContext gives a context; expose a Browser-like handle through it.
  return {
    browser: browser ?? (context as unknown as Browser),
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
