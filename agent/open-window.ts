// Opens the local window: an app-mode browser window (Edge, Chrome, Chromium with --app= and
// a private profile in the agent's temp dir, so the window is a process we own and can close),
// else the default browser, else nothing (the caller falls back to the terminal).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { raiseWindowsOf } from './window-raise.ts';

export interface OpenedWindow {
  kind: 'app' | 'default' | 'none';
  close(): Promise<void>;
  /** Bring the window to the front (nudge); only possible for the app window we started. */
  raise(): Promise<void>;
}

function onPath(name: string): string | null {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (!d) continue;
    for (const ext of process.platform === 'win32' ? ['.exe', ''] : ['']) {
      const p = join(d, name + ext);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

function appBrowsers(): string[] {
  if (process.platform === 'win32') {
    const pf = [process.env['ProgramFiles(x86)'], process.env.ProgramFiles, process.env.LOCALAPPDATA].filter(Boolean) as string[];
    return [
      ...pf.map((d) => join(d, 'Microsoft', 'Edge', 'Application', 'msedge.exe')),
      ...pf.map((d) => join(d, 'Google', 'Chrome', 'Application', 'chrome.exe')),
    ].filter((p) => existsSync(p));
  }
  if (process.platform === 'darwin') {
    return ['Microsoft Edge', 'Google Chrome', 'Chromium'].map((n) => `/Applications/${n}.app/Contents/MacOS/${n}`).filter((p) => existsSync(p));
  }
  return ['microsoft-edge', 'microsoft-edge-stable', 'google-chrome', 'google-chrome-stable', 'chromium', 'chromium-browser']
    .map(onPath).filter((p): p is string => p !== null);
}

export function openWindow(url: string, profileDir: string): OpenedWindow {
  const browser = appBrowsers()[0];
  if (browser) {
    const args = [`--app=${url}`, `--user-data-dir=${profileDir}`, '--no-first-run', '--no-default-browser-check', '--window-size=440,680', '--disable-features=Translate', '--disable-sync'];
    // Chromium refuses to run as root without this (kiosks, containers).
    if (process.getuid?.() === 0) args.push('--no-sandbox');
    const child: ChildProcess = spawn(browser, args, { stdio: 'ignore', detached: process.platform !== 'win32' });
    child.on('error', () => {});
    child.unref();
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null) resolve();
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    const signal = (sig: NodeJS.Signals) => {
      try {
        if (process.platform !== 'win32' && child.pid) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch { /* already gone */ }
    };
    return {
      kind: 'app',
      raise: async () => { if (child.pid) await raiseWindowsOf(child.pid); },
      // Wait for the browser to exit, so its profile (in the agent's temp dir) can be removed.
      close: async () => {
        signal('SIGTERM');
        const t = setTimeout(() => signal('SIGKILL'), 3000);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        clearTimeout(t);
      },
    };
  }
  const opener = process.platform === 'win32' ? ['cmd.exe', ['/d', '/c', 'start', '""', url]] as const
    : process.platform === 'darwin' ? ['open', [url]] as const
    : onPath('xdg-open') ? ['xdg-open', [url]] as const : null;
  if (opener) {
    // cmd.exe parses its own line: pass start's empty title "" through unquoted.
    const r = spawnSync(opener[0], [...opener[1]], { stdio: 'ignore', timeout: 10_000, windowsVerbatimArguments: process.platform === 'win32' });
    if (r.status === 0) return { kind: 'default', close: async () => {}, raise: async () => {} };
  }
  return { kind: 'none', close: async () => {}, raise: async () => {} };
}
