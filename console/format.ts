// Small display helpers. Clock times and dates follow the console's language through Intl
// (docs/ARCHITECTURE.md, "Languages" → "Times, sizes and user text").
import { formatBytes, formatDateTime, formatTime, type TimeOptions } from '../protocol/i18n/intl.ts';
import { language } from './i18n.ts';

export const pad = (n: number) => String(n).padStart(2, '0');

/** A clock time with seconds, in the rep's zone unless another is named. */
export function clock(ms: number, o: TimeOptions = {}): string {
  return formatTime(ms, language.value, o);
}

export function dateTime(ms: number | null): string {
  if (ms === null) return '—';
  return formatDateTime(ms, language.value);
}

/** A size in the console's language, worded as the customer's chat words it. */
export const size = (n: number): string => formatBytes(n, language.value);

/** 0:00:25 style, as queue timers read. */
export function duration(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** 1:05 style (minutes:seconds; hours only when there are some), for short waits. */
export function minSec(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  return s >= 3600 ? duration(s) : `${Math.floor(s / 60)}:${pad(s % 60)}`;
}
