// Parsers shared by the platforms' steps: pure functions over a tool's text, tested on recorded
// outputs (test/agent/diagnostics-fixtures/).

/** `KEY=value` lines (os-release): quotes removed. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2].replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

/** `Key: value` lines (lscpu, sw_vers, /proc/meminfo, route get); the first value of a key wins. */
export function parseColonLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim();
    if (k && !(k in out)) out[k] = line.slice(i + 1).trim();
  }
  return out;
}

export interface DiskUse { filesystem: string; type: string | null; sizeKB: number; usedKB: number; availKB: number; usePercent: number; mount: string }

/** `df -PT` (Linux, with a type column) or `df -kP` (macOS): POSIX format, 1024-byte blocks. */
export function parseDf(text: string): DiskUse[] {
  const lines = text.split('\n').filter((l) => l.trim());
  const typed = /\bType\b/.test(lines[0] ?? '');
  const out: DiskUse[] = [];
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    const n = typed ? 7 : 6;
    if (f.length < n) continue;
    // A mount point may hold spaces: everything after the percentage.
    const base = typed ? 2 : 1;
    out.push({
      filesystem: f[0], type: typed ? f[1] : null,
      sizeKB: Number(f[base]), usedKB: Number(f[base + 1]), availKB: Number(f[base + 2]),
      usePercent: Number(f[base + 3].replace('%', '')), mount: f.slice(base + 4).join(' '),
    });
  }
  return out.filter((d) => Number.isFinite(d.sizeKB));
}

export interface ProcessRow { pid: number; user: string; cpu: number; mem: number; rssKB: number; command: string }

/** `ps -eo pid,user,%cpu,%mem,rss,comm` (Linux) or `ps -axo pid,user,%cpu,%mem,rss,comm` (macOS). */
export function parsePs(text: string): ProcessRow[] {
  const out: ProcessRow[] = [];
  for (const line of text.split('\n').slice(1)) {
    const m = /^\s*(\d+)\s+(\S+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+(.*)$/.exec(line);
    if (m) out.push({ pid: Number(m[1]), user: m[2], cpu: Number(m[3]), mem: Number(m[4]), rssKB: Number(m[5]), command: m[6].trim() });
  }
  return out;
}

/** The top `n` by CPU and by memory. */
export function topProcesses(rows: ProcessRow[], n = 10): { byCpu: ProcessRow[]; byMemory: ProcessRow[]; count: number } {
  return { byCpu: [...rows].sort((a, b) => b.cpu - a.cpu).slice(0, n), byMemory: [...rows].sort((a, b) => b.rssKB - a.rssKB).slice(0, n), count: rows.length };
}

export function processText(t: ReturnType<typeof topProcesses>): string {
  const row = (p: ProcessRow) => `${String(p.pid).padStart(7)} ${p.cpu.toFixed(1).padStart(5)}% ${(p.rssKB / 1024).toFixed(0).padStart(6)} MB  ${p.user}  ${p.command}`;
  return [`${t.count} processes`, '', 'By CPU:', ...t.byCpu.map(row), '', 'By memory:', ...t.byMemory.map(row)].join('\n');
}

/** `nameserver` and `search` lines of /etc/resolv.conf. */
export function parseResolvConf(text: string): { nameservers: string[]; search: string[] } {
  const nameservers: string[] = [];
  const search: string[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[0] === 'nameserver' && f[1]) nameservers.push(f[1]);
    if ((f[0] === 'search' || f[0] === 'domain') && f.length > 1) search.push(...f.slice(1));
  }
  return { nameservers, search };
}

/** A list capped at `max` entries, saying how many there were. */
export function capList<T>(items: T[], max: number): { items: T[]; total: number; truncated: boolean } {
  return { items: items.slice(0, max), total: items.length, truncated: items.length > max };
}

/** Seconds as "3 days, 4:05". */
export function uptimeText(sec: number): string {
  const d = Math.floor(sec / 86400), h = Math.floor((sec % 86400) / 3600), m = Math.floor((sec % 3600) / 60);
  return `${d ? `${d} day${d === 1 ? '' : 's'}, ` : ''}${h}:${String(m).padStart(2, '0')}`;
}

/** `lpstat -p -d`: printers with their state line, and the default destination. */
export function parseLpstat(text: string): { printers: Array<{ name: string; state: string }>; default: string | null } {
  const printers = text.split('\n').map((l) => /^printer (\S+) (.*)$/.exec(l)).filter((m): m is RegExpExecArray => !!m).map((m) => ({ name: m[1], state: m[2].trim() }));
  return { printers, default: /system default destination: (\S+)/.exec(text)?.[1] ?? null };
}
