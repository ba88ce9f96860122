// Windows diagnostics: PowerShell's CIM and event-log cmdlets as JSON (ConvertTo-Json), and
// ipconfig /all for addresses, gateways and DNS servers. Parsers take the tools' real formats
// (Windows PowerShell 5.1: single objects unwrapped, dates as "/Date(ms)/", enums as numbers).
import { capList, processText, topProcesses, uptimeText, type ProcessRow } from './parse.ts';
import { displaysStep, reachabilityStep } from './common-steps.ts';
import type { DiagEnv, Step, StepTools } from './types.ts';

const MAX_PROGRAMS = 3000;

/** ConvertTo-Json output as a list: nothing → [], one object → [it]. */
export function parsePsJson<T = Record<string, unknown>>(text: string): T[] {
  const s = text.replace(/^\uFEFF/, '').trim();
  if (!s) return [];
  const v = JSON.parse(s) as T | T[];
  return Array.isArray(v) ? v : [v];
}

/** "/Date(1700000000000)/" (PowerShell 5.1) or an ISO string (PowerShell 7) → ms; null otherwise. */
export function psDate(x: unknown): number | null {
  if (typeof x !== 'string') return null;
  const m = /\/Date\((-?\d+)[^)]*\)\//.exec(x);
  if (m) return Number(m[1]);
  const t = Date.parse(x);
  return Number.isFinite(t) ? t : null;
}

/** Runs one PowerShell pipeline and returns its objects. */
async function ps<T = Record<string, unknown>>(t: StepTools, pipeline: string): Promise<{ items: T[]; raw: string }> {
  const r = await t.exec('powershell.exe', ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', `${pipeline} | ConvertTo-Json -Depth 3 -Compress`]);
  return { items: parsePsJson<T>(r.stdout), raw: r.stdout };
}

export interface WinOs { Caption: string; Version: string; BuildNumber: string; OSArchitecture: string; LastBootUpTime: string; TotalVisibleMemorySize: number; FreePhysicalMemory: number }

export function parseWinOs(o: WinOs, now = Date.now()) {
  const boot = psDate(o.LastBootUpTime);
  return {
    name: o.Caption?.trim() ?? 'Windows', version: o.Version ?? null, build: o.BuildNumber ?? null, architecture: o.OSArchitecture ?? null,
    bootedAt: boot, uptimeSec: boot === null ? null : Math.max(0, Math.round((now - boot) / 1000)),
    memoryKB: { total: o.TotalVisibleMemorySize ?? null, free: o.FreePhysicalMemory ?? null },
  };
}

/** Win32_LogicalDisk rows → disks (bytes → KB as everywhere else). */
export function parseWinDisks(rows: Array<{ DeviceID: string; FileSystem: string | null; Size: number | null; FreeSpace: number | null; VolumeName: string | null }>) {
  return rows.map((d) => {
    const size = Math.round((d.Size ?? 0) / 1024), avail = Math.round((d.FreeSpace ?? 0) / 1024);
    return { filesystem: d.DeviceID, type: d.FileSystem, label: d.VolumeName || null, sizeKB: size, usedKB: size - avail, availKB: avail, usePercent: size ? Math.round(100 * (1 - avail / size)) : 0, mount: d.DeviceID };
  });
}

/** Get-Process rows (CPU = seconds of processor time) → the common process rows. */
export function parseWinProcesses(rows: Array<{ Id: number; ProcessName: string; CPU: number | null; WorkingSet64: number }>, totalMemKB: number | null): ProcessRow[] {
  return rows.map((p) => ({ pid: p.Id, user: '', cpu: Math.round((p.CPU ?? 0) * 10) / 10, mem: totalMemKB ? Math.round((1000 * p.WorkingSet64) / 1024 / totalMemKB) / 10 : 0, rssKB: Math.round(p.WorkingSet64 / 1024), command: p.ProcessName }));
}

/** ServiceControllerStatus and ServiceStartMode as numbers (5.1) or names (7). */
const SERVICE_STATUS: Record<number, string> = { 1: 'Stopped', 2: 'StartPending', 3: 'StopPending', 4: 'Running', 5: 'ContinuePending', 6: 'PausePending', 7: 'Paused' };
const START_TYPE: Record<number, string> = { 0: 'Boot', 1: 'System', 2: 'Automatic', 3: 'Manual', 4: 'Disabled' };
export function parseWinServices(rows: Array<{ Name: string; DisplayName: string; Status: number | string; StartType: number | string }>) {
  const name = (v: number | string, map: Record<number, string>) => (typeof v === 'number' ? map[v] ?? String(v) : v);
  return rows.map((s) => ({ name: s.Name, displayName: s.DisplayName, status: name(s.Status, SERVICE_STATUS), startType: name(s.StartType, START_TYPE) }));
}

/** Get-WinEvent rows → time, source, id, level, first line of the message. */
export function parseWinEvents(rows: Array<{ TimeCreated: string; ProviderName: string; Id: number; LevelDisplayName: string; Message: string | null }>) {
  return rows.map((e) => ({ at: psDate(e.TimeCreated), source: e.ProviderName, id: e.Id, level: e.LevelDisplayName, message: (e.Message ?? '').split(/\r?\n/)[0].trim() }));
}

export interface IpconfigAdapter { name: string; description: string | null; mac: string | null; dhcp: boolean | null; ipv4: string[]; ipv6: string[]; gateways: string[]; dnsServers: string[]; disconnected: boolean }

/**
 * `ipconfig /all`: adapter headers start at column 0 ("Ethernet adapter Ethernet:"), fields are
 * "   Name . . . . : value", and a field's further values sit alone on the following lines.
 */
export function parseIpconfig(text: string): { hostName: string | null; adapters: IpconfigAdapter[] } {
  let hostName: string | null = null;
  const adapters: IpconfigAdapter[] = [];
  let cur: IpconfigAdapter | null = null;
  let field = '';
  const clean = (v: string) => v.replace(/\((Preferred|Deprecated|Tentative|Duplicate)\)/g, '').trim();
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim()) continue;
    if (!/^\s/.test(raw)) {
      const m = /^(.*\S)\s*:\s*$/.exec(raw);
      if (m && m[1] !== 'Windows IP Configuration') {
        cur = { name: m[1], description: null, mac: null, dhcp: null, ipv4: [], ipv6: [], gateways: [], dnsServers: [], disconnected: false };
        adapters.push(cur);
      } else cur = null;
      field = '';
      continue;
    }
    // "   IPv4 Address. . . . . : value": a key, dot leaders, a colon; values may hold colons (IPv6, times).
    const kv = /^\s+(\S[^.:]*?)\s*(?:\. ?)+:\s?(.*)$/.exec(raw);
    const key = kv ? kv[1].trim() : null;
    const value = clean(kv ? kv[2] : raw);
    if (key) field = key;
    if (!cur) { if (field === 'Host Name' && key) hostName = value; continue; }
    if (!value) continue;
    switch (field) {
      case 'Description': cur.description = value; break;
      case 'Physical Address': cur.mac = value; break;
      case 'DHCP Enabled': cur.dhcp = value === 'Yes'; break;
      case 'IPv4 Address': case 'IP Address': cur.ipv4.push(value); break;
      case 'IPv6 Address': case 'Temporary IPv6 Address': case 'Link-local IPv6 Address': cur.ipv6.push(value.replace(/%\d+$/, '')); break;
      case 'Default Gateway': cur.gateways.push(value.replace(/%\d+$/, '')); break;
      case 'DNS Servers': cur.dnsServers.push(value); break;
      case 'Media State': cur.disconnected = /disconnected/i.test(value); break;
    }
  }
  return { hostName, adapters };
}

export function windowsSteps(env: DiagEnv): Step[] {
  const os = (t: StepTools) => ps<WinOs>(t, 'Get-CimInstance Win32_OperatingSystem | Select-Object Caption,Version,BuildNumber,OSArchitecture,LastBootUpTime,TotalVisibleMemorySize,FreePhysicalMemory');
  const ipconfig = async (t: StepTools) => { const r = await t.exec('ipconfig', ['/all']); return { raw: r.stdout, ...parseIpconfig(r.stdout) }; };
  return [
    {
      id: 'os', title: 'Operating system and version',
      async run(t) {
        const o = parseWinOs((await os(t)).items[0]);
        return { data: o, text: `${o.name} ${o.version ?? ''} (build ${o.build ?? '?'}, ${o.architecture ?? '?'})` };
      },
    },
    {
      id: 'uptime', title: 'Uptime',
      async run(t) {
        const o = parseWinOs((await os(t)).items[0]);
        return { data: { seconds: o.uptimeSec, bootedAt: o.bootedAt }, text: o.uptimeSec === null ? 'unknown' : `Up ${uptimeText(o.uptimeSec)}` };
      },
    },
    {
      id: 'hardware', title: 'Hardware',
      async run(t) {
        const cs = (await ps(t, 'Get-CimInstance Win32_ComputerSystem | Select-Object Manufacturer,Model,TotalPhysicalMemory')).items[0] ?? {};
        const cpu = (await ps(t, 'Get-CimInstance Win32_Processor | Select-Object Name,NumberOfCores,NumberOfLogicalProcessors')).items;
        const data = { manufacturer: cs.Manufacturer ?? null, model: cs.Model ?? null, memoryBytes: cs.TotalPhysicalMemory ?? null, cpus: cpu };
        return { data, text: [`${data.manufacturer ?? ''} ${data.model ?? ''}`.trim(), ...cpu.map((c) => `CPU: ${String(c.Name).trim()} (${c.NumberOfCores} cores, ${c.NumberOfLogicalProcessors} logical)`)].join('\n') };
      },
    },
    {
      id: 'load', title: 'CPU and memory load',
      async run(t) {
        const cpu = (await ps<{ LoadPercentage: number | null }>(t, 'Get-CimInstance Win32_Processor | Select-Object LoadPercentage')).items;
        const o = parseWinOs((await os(t)).items[0]);
        const load = cpu.length ? Math.round(cpu.reduce((n, c) => n + (c.LoadPercentage ?? 0), 0) / cpu.length) : null;
        const m = o.memoryKB;
        const usedPct = m.total && m.free !== null ? Math.round(100 * (1 - m.free / m.total)) : null;
        return { data: { cpuPercent: load, memoryKB: m, memoryUsedPercent: usedPct }, text: `CPU: ${load ?? '?'}%\nMemory: ${usedPct ?? '?'}% used of ${m.total ? Math.round(m.total / 1024) : '?'} MB` };
      },
    },
    {
      id: 'disks', title: 'Disks and free space',
      async run(t) {
        const disks = parseWinDisks((await ps<Parameters<typeof parseWinDisks>[0][number]>(t, 'Get-CimInstance Win32_LogicalDisk -Filter DriveType=3 | Select-Object DeviceID,FileSystem,Size,FreeSpace,VolumeName')).items);
        return { data: disks, text: disks.map((d) => `${d.mount} ${d.type ?? ''} ${Math.round(d.availKB / 1024 / 1024)} GB free of ${Math.round(d.sizeKB / 1024 / 1024)} GB (${d.usePercent}% used)`).join('\n') };
      },
    },
    {
      id: 'network', title: 'Network interfaces and addresses',
      async run(t) {
        const r = await ipconfig(t);
        return { data: r.adapters.map(({ name, description, mac, dhcp, ipv4, ipv6, disconnected }) => ({ name, description, mac, dhcp, ipv4, ipv6, disconnected })), text: r.raw.trim() };
      },
    },
    {
      id: 'gateway', title: 'Gateway',
      async run(t) {
        const gw = (await ipconfig(t)).adapters.flatMap((a) => a.gateways.map((g) => ({ gateway: g, adapter: a.name })));
        return { data: gw, text: gw.map((g) => `${g.gateway} (${g.adapter})`).join('\n') || 'No default gateway.' };
      },
    },
    {
      id: 'dns', title: 'DNS servers',
      async run(t) {
        const dns = (await ipconfig(t)).adapters.filter((a) => a.dnsServers.length).map((a) => ({ adapter: a.name, servers: a.dnsServers }));
        return { data: dns, text: dns.map((d) => `${d.adapter}: ${d.servers.join(', ')}`).join('\n') || 'No DNS servers.' };
      },
    },
    reachabilityStep(env),
    {
      id: 'processes', title: 'Top processes by CPU and memory',
      async run(t) {
        const o = parseWinOs((await os(t)).items[0]);
        const rows = parseWinProcesses((await ps<Parameters<typeof parseWinProcesses>[0][number]>(t, 'Get-Process | Select-Object Id,ProcessName,CPU,WorkingSet64')).items, o.memoryKB.total);
        const top = topProcesses(rows);
        return { data: top, text: `CPU is processor seconds since the process started.\n${processText(top)}` };
      },
    },
    {
      id: 'services', title: 'Running services',
      async run(t) {
        const s = parseWinServices((await ps<Parameters<typeof parseWinServices>[0][number]>(t, "Get-Service | Where-Object Status -eq 'Running' | Select-Object Name,DisplayName,Status,StartType")).items);
        return { data: s, text: s.map((x) => `${x.name}  ${x.displayName} (${x.startType})`).join('\n') };
      },
    },
    {
      id: 'startup', title: 'Startup items',
      async run(t) {
        const s = (await ps<{ Name: string; Command: string; Location: string; User: string }>(t, 'Get-CimInstance Win32_StartupCommand | Select-Object Name,Command,Location,User')).items;
        return { data: s, text: s.map((x) => `${x.Name}: ${x.Command} (${x.Location}, ${x.User})`).join('\n') || 'No startup items.' };
      },
    },
    {
      id: 'software', title: 'Installed software',
      async run(t) {
        const keys = ['HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*', 'HKLM:\\Software\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*', 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*'];
        const rows = (await ps<{ DisplayName: string; DisplayVersion: string | null; Publisher: string | null; InstallDate: string | null }>(t, `Get-ItemProperty ${keys.map((k) => `'${k}'`).join(',')} -ErrorAction SilentlyContinue | Where-Object DisplayName | Select-Object DisplayName,DisplayVersion,Publisher,InstallDate`)).items;
        const all = rows.map((r) => ({ name: r.DisplayName, version: r.DisplayVersion ?? '', publisher: r.Publisher ?? '', installDate: r.InstallDate ?? null })).sort((a, b) => a.name.localeCompare(b.name));
        const list = capList(all, MAX_PROGRAMS);
        return { data: list, text: `${list.total} programs\n` + list.items.map((p) => `${p.name} ${p.version}  ${p.publisher}`).join('\n') };
      },
    },
    {
      id: 'printers', title: 'Printers and print queues',
      async run(t) {
        const p = (await ps<{ Name: string; DriverName: string; PortName: string; PrinterStatus: number | string; JobCount?: number }>(t, 'Get-CimInstance Win32_Printer | Select-Object Name,DriverName,PortName,PrinterStatus,Default,JobCountSinceLastReset')).items;
        return { data: p, text: p.map((x) => `${x.Name} (${x.DriverName}, ${x.PortName})`).join('\n') || 'No printers.' };
      },
    },
    {
      id: 'errors', title: 'Recent system errors',
      async run(t) {
        const e = parseWinEvents((await ps<Parameters<typeof parseWinEvents>[0][number]>(t, "Get-WinEvent -FilterHashtable @{LogName='System','Application';Level=1,2} -MaxEvents 50 -ErrorAction SilentlyContinue | Select-Object TimeCreated,ProviderName,Id,LevelDisplayName,Message")).items);
        return { data: e, text: e.map((x) => `${x.at ? new Date(x.at).toISOString() : '?'} ${x.level} ${x.source} ${x.id}: ${x.message}`).join('\n') || 'No errors logged.' };
      },
    },
    displaysStep(env),
  ];
}
