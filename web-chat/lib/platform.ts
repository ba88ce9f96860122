// Which agent build suits this browser's machine. A guess: the customer can pick another.
import type { Platform } from '../../protocol/http.ts';

export const PLATFORMS: { id: Platform; label: string }[] = [
  { id: 'win-x64', label: 'Windows' },
  { id: 'darwin-arm64', label: 'macOS (Apple silicon)' },
  { id: 'darwin-x64', label: 'macOS (Intel)' },
  { id: 'linux-x64', label: 'Linux (64-bit)' },
];

export function detectPlatform(ua = navigator.userAgent): Platform {
  if (/Windows/i.test(ua)) return 'win-x64';
  // Browsers on Apple silicon still say "Intel Mac OS X"; most Macs sold now are arm64.
  if (/Mac OS X|Macintosh/i.test(ua)) return 'darwin-arm64';
  return 'linux-x64';
}

/** The platform string sent to the server on join (shown to the rep). */
export function platformName(ua = navigator.userAgent): string {
  return PLATFORMS.find((p) => p.id === detectPlatform(ua))!.label.replace(/ \(.*/, '');
}

export function agentFileName(key: string, p: Platform): string {
  return `bridge-agent-${key}${p === 'win-x64' ? '.exe' : ''}`;
}
