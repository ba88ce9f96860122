// Opens the local window: an app-mode browser window (Edge, Chrome, Chromium with --app= and
// a private profile in the agent's temp dir, so the window is a process we own and can close),
// else the default browser, else nothing (the caller falls back to the terminal).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { raiseWindowsOf } from './raise.ts';

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

/** Where the window goes: the primary display, in its own (DIP) coordinates. */
export interface ScreenArea { x: number; y: number; w: number; h: number; scale?: number }

const WINDOW_W = 480;
const WINDOW_H_MAX = 860;
const MARGIN = 16;

/** Tall enough for the chat and a prompt without a second scroll bar, never taller than the
 *  screen; at the top right, clear of the watermark (top centre) and of where the rep works. */
export function windowGeometry(screen: ScreenArea | null): { size: string; position: string | null } {
  if (!screen) return { size: `${WINDOW_W},${WINDOW_H_MAX - 140}`, position: null };
  const k = screen.scale && screen.scale > 0 ? screen.scale : 1;
  const sw = Math.round(screen.w / k), sh = Math.round(screen.h / k);
  const w = Math.min(WINDOW_W, sw - 2 * MARGIN);
  // Leave room for a desktop panel and the window's title bar.
  const h = Math.max(Math.min(480, sh), Math.min(WINDOW_H_MAX, sh - 96));
  const x = Math.round(screen.x / k) + Math.max(0, sw - w - MARGIN);
  const y = Math.round(screen.y / k) + Math.min(48, Math.max(0, sh - h));
  return { size: `${w},${h}`, position: `${x},${y}` };
}

/** The browser's launch flags. Chromium refuses to run as root without --no-sandbox (kiosks,
 *  containers) and then shows an "unsupported command-line flag" bar over the window;
 *  --test-type is what suppresses that bar, so it goes only with --no-sandbox. */
export function browserArgs(url: string, profileDir: string, screen: ScreenArea | null, root = process.getuid?.() === 0): string[] {
  const g = windowGeometry(screen);
  const args = [`--app=${url}`, `--user-data-dir=${profileDir}`, '--no-first-run', '--no-default-browser-check',
    `--window-size=${g.size}`, ...(g.position ? [`--window-position=${g.position}`] : []),
    '--disable-features=Translate', '--disable-sync'];
  if (root) args.push('--no-sandbox', '--test-type');
  return args;
}

/** The browser's environment: whatever it would write outside its profile goes into the agent's
 *  temp dir instead (docs/ARCHITECTURE.md, agent runtime "Leave no trace"). Chromium keeps its
 *  crash-report database ("Crash Reports/") under its default config dir, not under
 *  --user-data-dir; GTK's file chooser (Send a file) creates gtk-3.0/ and share/ dirs in the XDG
 *  config and data dirs; dconf creates `dconf/user` in the runtime (or cache) dir, and the memory
 *  backend creates nothing (the window needs no desktop settings); caches (fonts, Mesa shaders)
 *  and Chromium's own temp dirs follow XDG_CACHE_HOME and TMPDIR. HOME stays the customer's. */
export function browserEnv(tempRoot: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const config = join(tempRoot, 'config');
  const env: NodeJS.ProcessEnv = {
    ...base, CHROME_CONFIG_HOME: config, XDG_CONFIG_HOME: config, XDG_DATA_HOME: join(tempRoot, 'data'),
    XDG_CACHE_HOME: join(tempRoot, 'cache'), TMPDIR: tempRoot,
  };
  if (process.platform === 'linux') env.GSETTINGS_BACKEND = 'memory';
  return env;
}

/** profileDir: a dir of the agent's own (removed at the end); the browser writes only below it. */
export function openWindow(url: string, profileDir: string, screen: ScreenArea | null = null): OpenedWindow {
  const browser = appBrowsers()[0];
  if (browser) {
    mkdirSync(profileDir, { recursive: true });
    const args = browserArgs(url, join(profileDir, 'profile'), screen);
    const child: ChildProcess = spawn(browser, args, { stdio: 'ignore', detached: process.platform !== 'win32', env: browserEnv(profileDir) });
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
