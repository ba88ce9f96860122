// Which agent build suits this browser's machine (a guess: the customer can pick another
// computer's build); phones and tablets get none (protocol/device.ts).
import { detectDevice, isHandheld, type Device } from '../../protocol/device.ts';
import type { Platform } from '../../protocol/http.ts';

export const PLATFORMS: { id: Platform; label: string }[] = [
  { id: 'win-x64', label: 'Windows' },
  { id: 'darwin-arm64', label: 'macOS (Apple silicon)' },
  { id: 'darwin-x64', label: 'macOS (Intel)' },
  { id: 'linux-x64', label: 'Linux (64-bit)' },
];

export function thisDevice(): Device {
  return detectDevice(navigator.userAgent, navigator.maxTouchPoints ?? 0);
}

/** The agent build to offer first: this computer's, else Windows (the most common). */
export function detectPlatform(): Platform {
  return thisDevice().agent ?? 'win-x64';
}

/** The platform string sent to the server on join (shown to the rep). */
export function platformName(): string {
  return thisDevice().os;
}

export function agentFileName(key: string, p: Platform): string {
  return `bridge-agent-${key}${p === 'win-x64' ? '.exe' : ''}`;
}

/** Whether this device can run the agent at all (a phone or tablet can't). */
export const canShareScreen = () => !isHandheld(thisDevice());
