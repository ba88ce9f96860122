// Small display helpers.
export const pad = (n: number) => String(n).padStart(2, '0');

export function clock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function dateTime(ms: number | null): string {
  if (ms === null) return '—';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(ms)}`;
}

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
