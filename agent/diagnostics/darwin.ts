// macOS diagnostics: sw_vers, sysctl, system_profiler -json, vm_stat, df, ifconfig, route,
// scutil --dns, ps, launchctl, pkgutil, lpstat and the unified log.
import { capList, parseColonLines, parseDf, uptimeText } from './parse.ts';
import { cupsPrinters, displaysStep, psProcessesStep, reachabilityStep } from './common-steps.ts';
import type { DiagEnv, Step } from './types.ts';

const MAX_PACKAGES = 3000;

/** `sysctl -n kern.boottime`: "{ sec = 1700000000, usec = 123456 } Tue Nov 14 22:13:20 2023" → ms. */
export function parseBoottime(text: string): number | null {
  const m = /sec\s*=\s*(\d+)/.exec(text);
  return m ? Number(m[1]) * 1000 : null;
}

/** `vm_stat`: page counts and the page size of its header → bytes per kind. */
export function parseVmStat(text: string): { pageSize: number; bytes: Record<string, number> } {
  const pageSize = Number(/page size of (\d+) bytes/.exec(text)?.[1] ?? 4096);
  const bytes: Record<string, number> = {};
  for (const line of text.split('\n').slice(1)) {
    const m = /^"?([^":]+)"?:\s+(\d+)\.?$/.exec(line.trim());
    if (m) bytes[m[1].replace(/^Pages /, '')] = Number(m[2]) * pageSize;
  }
  return { pageSize, bytes };
}

/** system_profiler -json SPHardwareDataType: the model and chip, without serial numbers. */
export function parseHardware(json: string): Record<string, string | null> {
  const h = ((JSON.parse(json) as { SPHardwareDataType?: Array<Record<string, string>> }).SPHardwareDataType ?? [])[0] ?? {};
  return {
    model: h.machine_name ?? null, modelId: h.machine_model ?? null, chip: h.chip_type ?? h.cpu_type ?? null,
    cores: h.number_processors ?? null, memory: h.physical_memory ?? null, firmware: h.boot_rom_version ?? null,
  };
}

export interface MacInterface { name: string; flags: string[]; mac: string | null; ipv4: string[]; ipv6: string[]; status: string | null }

/** `ifconfig`: a header line per interface ("en0: flags=8863<UP,...> mtu 1500"), indented details. */
export function parseIfconfig(text: string): MacInterface[] {
  const out: MacInterface[] = [];
  let cur: MacInterface | null = null;
  for (const line of text.split('\n')) {
    const h = /^([a-zA-Z0-9]+): flags=\w+<([^>]*)>/.exec(line);
    if (h) { cur = { name: h[1], flags: h[2] ? h[2].split(',') : [], mac: null, ipv4: [], ipv6: [], status: null }; out.push(cur); continue; }
    if (!cur) continue;
    const f = line.trim().split(/\s+/);
    if (f[0] === 'ether') cur.mac = f[1];
    else if (f[0] === 'inet') cur.ipv4.push(f[1]);
    else if (f[0] === 'inet6') cur.ipv6.push(f[1].replace(/%.*$/, ''));
    else if (f[0] === 'status:') cur.status = f[1];
  }
  return out;
}

/** `scutil --dns`: the resolvers with their name servers and search domains (the first is the default). */
export function parseScutilDns(text: string): Array<{ resolver: number; nameservers: string[]; search: string[]; domain: string | null; interface: string | null }> {
  const out: Array<{ resolver: number; nameservers: string[]; search: string[]; domain: string | null; interface: string | null }> = [];
  // Only the first section (before "DNS configuration (for scoped queries)") is what lookups use.
  const main = text.split(/DNS configuration \(for scoped queries\)/)[0];
  for (const block of main.split(/^resolver #/m).slice(1)) {
    const n = Number(/^(\d+)/.exec(block)?.[1] ?? 0);
    const grab = (k: string) => [...block.matchAll(new RegExp(`^\\s*${k}\\[\\d+\\]\\s*:\\s*(\\S+)`, 'gm'))].map((m) => m[1]);
    out.push({ resolver: n, nameservers: grab('nameserver'), search: grab('search domain'), domain: /^\s*domain\s*:\s*(\S+)/m.exec(block)?.[1] ?? null, interface: /^\s*if_index\s*:\s*\d+\s*\((\S+)\)/m.exec(block)?.[1] ?? null });
  }
  return out;
}

/** `launchctl list`: "PID\tStatus\tLabel"; PID "-" when not running. */
export function parseLaunchctl(text: string): Array<{ label: string; pid: number | null; lastExit: number | null }> {
  return text.split('\n').slice(1).map((l) => l.split('\t')).filter((f) => f.length >= 3 && f[2]).map((f) => ({ label: f[2].trim(), pid: f[0] === '-' ? null : Number(f[0]), lastExit: f[1] === '-' ? null : Number(f[1]) }));
}

export function darwinSteps(env: DiagEnv): Step[] {
  return [
    {
      id: 'os', title: 'Operating system and version',
      async run(t) {
        const sw = parseColonLines((await t.exec('sw_vers', [])).stdout);
        const kernel = (await t.exec('uname', ['-srm']).catch(() => ({ stdout: '' }))).stdout.trim();
        const data = { name: sw.ProductName ?? 'macOS', version: sw.ProductVersion ?? null, build: sw.BuildVersion ?? null, kernel: kernel || null };
        return { data, text: `${data.name} ${data.version ?? ''} (${data.build ?? '?'})\n${kernel}` };
      },
    },
    {
      id: 'uptime', title: 'Uptime',
      async run(t) {
        const boot = parseBoottime((await t.exec('sysctl', ['-n', 'kern.boottime'])).stdout);
        const sec = boot === null ? null : Math.round((Date.now() - boot) / 1000);
        return { data: { seconds: sec, bootedAt: boot }, text: sec === null ? 'unknown' : `Up ${uptimeText(sec)}` };
      },
    },
    {
      id: 'hardware', title: 'Hardware',
      async run(t) {
        const h = parseHardware((await t.exec('system_profiler', ['-json', '-detailLevel', 'mini', 'SPHardwareDataType'])).stdout);
        return { data: h, text: Object.entries(h).filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`).join('\n') };
      },
    },
    {
      id: 'load', title: 'CPU and memory load',
      async run(t) {
        const load = (await t.exec('sysctl', ['-n', 'vm.loadavg'])).stdout.replace(/[{}]/g, '').trim().split(/\s+/).map(Number);
        const total = Number((await t.exec('sysctl', ['-n', 'hw.memsize'])).stdout.trim());
        const vm = parseVmStat((await t.exec('vm_stat', [])).stdout);
        const free = (vm.bytes.free ?? 0) + (vm.bytes.inactive ?? 0) + (vm.bytes.speculative ?? 0);
        const usedPct = total ? Math.round(100 * (1 - free / total)) : null;
        return { data: { load: { '1m': load[0], '5m': load[1], '15m': load[2] }, memoryBytes: total || null, vmStat: vm.bytes, memoryUsedPercent: usedPct }, text: `Load average: ${load.slice(0, 3).join(' ')}\nMemory: ${usedPct ?? '?'}% used of ${Math.round(total / 1024 / 1024)} MB` };
      },
    },
    {
      id: 'disks', title: 'Disks and free space',
      async run(t) {
        const r = await t.exec('df', ['-kP']);
        return { data: parseDf(r.stdout).filter((d) => !d.filesystem.startsWith('map ') && d.filesystem !== 'devfs'), text: r.stdout.trim() };
      },
    },
    {
      id: 'network', title: 'Network interfaces and addresses',
      async run(t) {
        const ifs = parseIfconfig((await t.exec('ifconfig', [])).stdout).filter((i) => i.ipv4.length || i.ipv6.length || i.status === 'active');
        return { data: ifs, text: ifs.map((i) => `${i.name} (${i.status ?? (i.flags.includes('UP') ? 'up' : 'down')}) ${i.mac ?? ''}\n  ${[...i.ipv4, ...i.ipv6].join('\n  ')}`).join('\n') };
      },
    },
    {
      id: 'gateway', title: 'Gateway',
      async run(t) {
        const r = parseColonLines((await t.exec('route', ['-n', 'get', 'default'])).stdout);
        const data = r.gateway ? [{ gateway: r.gateway, dev: r.interface ?? null }] : [];
        return { data, text: data.map((g) => `default via ${g.gateway}${g.dev ? ` on ${g.dev}` : ''}`).join('\n') || 'No default route.' };
      },
    },
    {
      id: 'dns', title: 'DNS servers',
      async run(t) {
        const d = parseScutilDns((await t.exec('scutil', ['--dns'])).stdout);
        return { data: d, text: d.map((r) => `resolver ${r.resolver}${r.domain ? ` (${r.domain})` : ''}: ${r.nameservers.join(', ') || '-'}`).join('\n') };
      },
    },
    reachabilityStep(env),
    psProcessesStep('-axo'),
    {
      id: 'services', title: 'Services (launchd)',
      async run(t) {
        const all = parseLaunchctl((await t.exec('launchctl', ['list'])).stdout);
        const running = all.filter((s) => s.pid !== null);
        return { data: { running, total: all.length }, text: `${running.length} running of ${all.length} loaded\n` + running.map((s) => `${s.pid}\t${s.label}`).join('\n') };
      },
    },
    {
      id: 'startup', title: 'Startup items',
      async run(t) {
        const home = process.env.HOME ?? '';
        const dirs = [...(home ? [`${home}/Library/LaunchAgents`] : []), '/Library/LaunchAgents', '/Library/LaunchDaemons'];
        const items = (await Promise.all(dirs.map(async (dir) => (await t.list(dir)).filter((f) => f.endsWith('.plist')).map((file) => ({ dir, file }))))).flat();
        return { data: items, text: items.map((i) => `${i.dir}/${i.file}`).join('\n') || 'No startup items.' };
      },
    },
    {
      id: 'software', title: 'Installed software',
      async run(t) {
        const apps = (await t.list('/Applications')).filter((a) => a.endsWith('.app'));
        const pkgs = (await t.exec('pkgutil', ['--pkgs']).catch(() => ({ stdout: '' }))).stdout.split('\n').filter(Boolean);
        const list = capList(pkgs, MAX_PACKAGES);
        return { data: { applications: apps, packages: list }, text: `Applications (${apps.length}):\n${apps.join('\n')}\n\nPackages (${list.total}):\n${list.items.join('\n')}` };
      },
    },
    { id: 'printers', title: 'Printers and print queues', run: cupsPrinters },
    {
      id: 'errors', title: 'Recent system errors',
      async run(t) {
        const r = await t.exec('log', ['show', '--last', '1h', '--style', 'compact', '--predicate', 'messageType == error']);
        const lines = r.stdout.split('\n').filter((l) => /^\d{4}-\d\d-\d\d/.test(l)).slice(-50);
        return { data: { count: lines.length, lines }, text: lines.join('\n') || 'No errors logged.' };
      },
    },
    displaysStep(env),
  ];
}
