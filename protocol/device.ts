// What kind of device a browser runs on, from its User-Agent, and which agent build suits it. One
// guess for the chat and the server's download page (docs/ARCHITECTURE.md, "Phones and tablets"):
// phones and tablets get no build, since the agent is a desktop program.
import type { Platform } from './http.ts';

/** The system the customer uses (shown to the rep) and the agent build for it (null: none runs there). */
export interface Device { os: string; agent: Platform | null }

/** `touchPoints`: navigator.maxTouchPoints where the browser tells it (a server can't know). */
export function detectDevice(userAgent: string | undefined, touchPoints = 0): Device {
  const ua = userAgent ?? '';
  // Phones and tablets first: their user agents also name "Mac OS X" (iOS) or "Linux" (Android).
  if (/iPhone|iPod/i.test(ua)) return { os: 'iOS', agent: null };
  // iPadOS asks for desktop pages as a Mac; only the touch screen tells them apart.
  if (/iPad/i.test(ua) || (/Macintosh/i.test(ua) && touchPoints > 1)) return { os: 'iPadOS', agent: null };
  if (/Android/i.test(ua)) return { os: 'Android', agent: null };
  if (/CrOS/i.test(ua)) return { os: 'ChromeOS', agent: null };
  if (/Windows/i.test(ua)) return { os: 'Windows', agent: 'win-x64' };
  // Browsers on Apple silicon still say "Intel Mac OS X"; most Macs sold now are arm64.
  if (/Mac OS X|Macintosh/i.test(ua)) return { os: 'macOS', agent: 'darwin-arm64' };
  if (/Linux|X11/i.test(ua)) return { os: 'Linux', agent: 'linux-x64' };
  return { os: 'unknown', agent: null };
}

const HANDHELD_NAMES: Record<string, string> = { iOS: 'iPhone', iPadOS: 'iPad', Android: 'Android device' };

/** A phone or tablet, whose customer needs a computer to share a screen. */
export const isHandheld = (d: Device) => d.os in HANDHELD_NAMES;

/** What the customer calls their phone or tablet ("iPhone", "iPad", "Android device"). */
export const handheldName = (d: Device) => HANDHELD_NAMES[d.os] ?? 'device';
