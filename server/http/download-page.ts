// The download page for a session key: one link per platform and, for each, exactly what the
// customer does with the file (Linux: chmod +x, then run it). Plain server-rendered HTML, no
// script and no inline style (the site's CSP), so it works in any browser the customer has.
import type { AgentPlatformState, Platform } from '../../protocol/http.ts';
import { agentFileName } from '../../build-scripts/packaging/platforms.ts';
import { detectDevice, handheldName, isHandheld, type Device } from '../../protocol/device.ts';

export const PLATFORM_LABELS: Record<Platform, string> = {
  'linux-x64': 'Linux (64-bit)',
  'win-x64': 'Windows (64-bit)',
  'darwin-x64': 'macOS (Intel)',
  'darwin-arm64': 'macOS (Apple silicon)',
};

/** The steps a customer follows after downloading, per platform. */
export function runInstructions(platform: Platform, key: string): string[] {
  const file = agentFileName(key, platform);
  switch (platform) {
    case 'linux-x64':
      return ['Open a terminal in the folder you saved the file to (usually Downloads).', `Mark it executable and run it: chmod +x ${file} && ./${file}`, 'Allow viewing or control in the window that opens. The agent deletes itself when the session ends.'];
    case 'win-x64':
      return [`Open ${file} from your Downloads.`, 'The file is not code-signed: if Windows SmartScreen warns, choose "More info", then "Run anyway".', 'Allow viewing or control in the window that opens. The agent deletes itself when the session ends.'];
    default:
      return ['Open Terminal in the folder you saved the file to (usually Downloads).', `Mark it executable, sign it for this Mac and run it: chmod +x ${file} && xattr -c ${file} && codesign --force --sign - ${file} && ./${file}`, 'Allow screen recording and accessibility when macOS asks, then allow viewing or control in the agent window.'];
  }
}

/** The platform a browser runs on, from its User-Agent (a guess; every link is offered anyway). */
export function guessPlatform(userAgent: string | undefined): Platform | null {
  return detectDevice(userAgent).agent;
}

/** Opened on a phone or tablet: the page says a computer is needed, before the links. */
function handheldNote(d: Device): string {
  if (!isHandheld(d)) return '';
  return `<p class="na">This looks like an ${handheldName(d)}: screen sharing needs a Windows, Mac or Linux computer. Open this page on the computer you need help with.</p>`;
}

/** The page's styles, served as a file: the site's CSP allows no inline style. */
export const DOWNLOAD_PAGE_CSS_PATH = '/download.css';
export const DOWNLOAD_PAGE_CSS = `body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222}
section{border:1px solid #ccc;border-radius:8px;padding:.5rem 1rem;margin:1rem 0}.you{border-color:#1a6;border-width:2px}
.btn{display:inline-block;background:#1a6;color:#fff;padding:.5rem 1rem;border-radius:6px;text-decoration:none}
.na{color:#a33}.wait{color:#555;font-style:italic}code{background:#f3f3f3}
`;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** "Windows and macOS": the families of the platforms named, in words. */
export function familyList(platforms: Platform[]): string {
  const names = [...new Set(platforms.map((p) => PLATFORM_LABELS[p].replace(/ \(.*/, '')))];
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export function downloadPageHtml(key: string, platforms: AgentPlatformState[], userAgent: string | undefined): string {
  const device = detectDevice(userAgent);
  const preferred = device.agent;
  const offered = platforms.filter((p) => p.state !== 'unavailable');
  const missing = platforms.filter((p) => p.state === 'unavailable').map((p) => p.platform);
  const sorted = [...offered].sort((a, b) => Number(b.platform === preferred) - Number(a.platform === preferred));
  const sections = sorted.map(({ platform, state, readyInSec }) => {
    const href = `/download/${encodeURIComponent(key)}/${platform}`;
    const steps = runInstructions(platform, key).map((s) => `<li>${esc(s)}</li>`).join('');
    const link = state === 'ready'
      ? `<a class="btn" href="${href}" download="${esc(agentFileName(key, platform))}">Download ${esc(agentFileName(key, platform))}</a>`
      : `<p class="wait" role="status">Preparing this download: ready in about ${readyInSec} s. This page reloads by itself.</p>`;
    return `<section${platform === preferred ? ' class="you"' : ''}><h2>${esc(PLATFORM_LABELS[platform])}${platform === preferred ? ' — this computer' : ''}</h2>${link}<ol>${steps}</ol></section>`;
  }).join('\n');
  const note = missing.length ? `<p class="na">${esc(familyList(missing))} downloads are not set up on this server — ask your support representative.</p>` : '';
  // No script on this page: a preparing download shows up by reloading when it should be ready.
  const soonest = Math.min(...offered.filter((p) => p.state === 'preparing').map((p) => p.readyInSec ?? 30));
  const refresh = Number.isFinite(soonest) ? `<meta http-equiv="refresh" content="${Math.min(30, Math.max(3, soonest))}">` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${refresh}
<title>Download the support agent — ${esc(key)}</title>
<link rel="stylesheet" href="${DOWNLOAD_PAGE_CSS_PATH}"></head><body>
<h1>Screen sharing for session ${esc(key)}</h1>
${handheldNote(device)}<p>Download the agent for your computer and run it. It shares nothing until you allow it, and it removes itself when the session ends.</p>
${sections}
${note}
</body></html>`;
}
