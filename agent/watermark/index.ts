// The on-screen watermark while the screen is shared (docs/ARCHITECTURE.md "The agent"): always on top, click-
// through, translucent, "Screen shared with <rep> — <company>". One small implementation per
// platform, chosen here.
import { DarwinWatermark } from './darwin.ts';
import { LinuxWatermark } from './linux.ts';
import { WindowsWatermark } from './windows.ts';
import type { Watermark } from './types.ts';

export type { Watermark };

export function createWatermark(platform = process.platform): Watermark | null {
  if (platform === 'linux') return new LinuxWatermark();
  if (platform === 'win32') return new WindowsWatermark();
  if (platform === 'darwin') return new DarwinWatermark();
  return null;
}

export function watermarkText(reps: string[], company: string): string {
  const who = reps.length ? reps.join(', ') : 'support';
  return `Screen shared with ${who} — ${company}`.slice(0, 200);
}
