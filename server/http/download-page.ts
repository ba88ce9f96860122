// The download page for a session key: one link per platform and, for each, exactly what the
// customer does with the file (Linux: chmod +x, then run it). Plain server-rendered HTML, no
// script and no inline style (the site's CSP), so it works in any browser the customer has.
import type { AgentPlatformState, Platform } from '../../protocol/http.ts';
import { agentFileName } from '../../build-scripts/packaging/platforms.ts';
import { detectDevice, isHandheld, type Device } from '../../protocol/device.ts';
import { DEFAULT_LANGUAGE, textDirection, type Language } from '../../protocol/i18n/locales.ts';
import { serverTranslator } from '../../protocol/i18n/compile.ts';
import type { Translate } from '../../protocol/i18n/translate.ts';

export const PLATFORM_LABELS: Record<Platform, string> = {
  'linux-x64': 'Linux (64-bit)',
  'win-x64': 'Windows (64-bit)',
  'darwin-x64': 'macOS (Intel)',
  'darwin-arm64': 'macOS (Apple silicon)',
};

/** The steps a customer follows after downloading, per platform, in their language. */
export function runInstructions(platform: Platform, key: string, lang: Language = DEFAULT_LANGUAGE): string[] {
  const { t } = serverTranslator('customer', lang);
  const file = agentFileName(key, platform);
  switch (platform) {
    case 'linux-x64':
      return [t('dl.linux.terminal'), t('dl.linux.run', { command: `chmod +x ${file} && ./${file}` }), t('dl.allow')];
    case 'win-x64':
      return [t('dl.win.open', { file }), t('dl.win.smartscreen'), t('dl.allow')];
    default:
      return [t('dl.mac.terminal'), t('dl.mac.run', { command: `chmod +x ${file} && xattr -c ${file} && codesign --force --sign - ${file} && ./${file}` }), t('dl.mac.allow')];
  }
}

/** The platform a browser runs on, from its User-Agent (a guess; every link is offered anyway). */
export function guessPlatform(userAgent: string | undefined): Platform | null {
  return detectDevice(userAgent).agent;
}

/** Opened on a phone or tablet: the page says a computer is needed, before the links. */
function handheldNote(d: Device, t: Translate): string {
  if (!isHandheld(d)) return '';
  return `<p class="na">${esc(t('dl.handheld', { os: d.os }))}</p>`;
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

/** "Windows and macOS": the families of the platforms named, in words of the language. */
export function familyList(platforms: Platform[], lang: Language = DEFAULT_LANGUAGE): string {
  const names = [...new Set(platforms.map((p) => PLATFORM_LABELS[p].replace(/ \(.*/, '')))];
  return new Intl.ListFormat(lang, { type: 'conjunction' }).format(names);
}

export function downloadPageHtml(key: string, platforms: AgentPlatformState[], userAgent: string | undefined, lang: Language = DEFAULT_LANGUAGE): string {
  const { t } = serverTranslator('customer', lang);
  const device = detectDevice(userAgent);
  const preferred = device.agent;
  const offered = platforms.filter((p) => p.state !== 'unavailable');
  const missing = platforms.filter((p) => p.state === 'unavailable').map((p) => p.platform);
  const sorted = [...offered].sort((a, b) => Number(b.platform === preferred) - Number(a.platform === preferred));
  const sections = sorted.map(({ platform, state, readyInSec }) => {
    const href = `/download/${encodeURIComponent(key)}/${platform}`;
    const steps = runInstructions(platform, key, lang).map((s) => `<li>${esc(s)}</li>`).join('');
    const link = state === 'ready'
      ? `<a class="btn" href="${href}" download="${esc(agentFileName(key, platform))}">${esc(t('screen.download', { file: agentFileName(key, platform) }))}</a>`
      : `<p class="wait" role="status">${esc(t('dl.preparing', { n: readyInSec ?? 0 }))}</p>`;
    const heading = platform === preferred ? t('dl.thisComputer', { platform: PLATFORM_LABELS[platform] }) : PLATFORM_LABELS[platform];
    return `<section${platform === preferred ? ' class="you"' : ''}><h2>${esc(heading)}</h2>${link}<ol>${steps}</ol></section>`;
  }).join('\n');
  const note = missing.length ? `<p class="na">${esc(t('screen.missing', { systems: familyList(missing, lang) }))}</p>` : '';
  // No script on this page: a preparing download shows up by reloading when it should be ready.
  const soonest = Math.min(...offered.filter((p) => p.state === 'preparing').map((p) => p.readyInSec ?? 30));
  const refresh = Number.isFinite(soonest) ? `<meta http-equiv="refresh" content="${Math.min(30, Math.max(3, soonest))}">` : '';
  return `<!doctype html><html lang="${lang}" dir="${textDirection(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${refresh}
<title>${esc(t('dl.title', { key }))}</title>
<link rel="stylesheet" href="${DOWNLOAD_PAGE_CSS_PATH}"></head><body>
<h1>${esc(t('dl.heading', { key }))}</h1>
${handheldNote(device, t)}<p>${esc(t('dl.intro'))}</p>
${sections}
${note}
</body></html>`;
}
