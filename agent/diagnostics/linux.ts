// Linux diagnostics: files under /proc, /sys and /etc, and the usual tools where installed
// (lscpu, df, ip, ps, systemctl, dpkg-query or rpm, lpstat, journalctl).
import { capList, parseColonLines, parseDf, parseEnvFile, parseResolvConf, uptimeText } from './parse.ts';
import { cupsPrinters, displaysStep, psProcessesStep, reachabilityStep } from './common-steps.ts';
import { Unavailable, type DiagEnv, type Step, type StepTools } from './types.ts';

const MAX_PACKAGES = 3000;

/** Tries programs in order; the first installed one answers. */
async function firstOf(t: StepTools, tries: Array<[string, string[]]>): Promise<{ cmd: string; stdout: string }> {
  for (const [cmd, args] of tries) {
    try { return { cmd, stdout: (await t.exec(cmd, args)).stdout }; } catch (e) { if (!(e instanceof Unavailable)) throw e; }
  }
  throw new Unavailable(tries.map((x) => x[0]).join(' or '));
}

/** `ip -j addr` → interfaces with their addresses. */
export function parseIpAddr(json: string): Array<{ name: string; state: string; mac: string | null; addresses: string[] }> {
  const list = JSON.parse(json) as Array<{ ifname: string; operstate?: string; address?: string; addr_info?: Array<{ local: string; prefixlen: number }> }>;
  return list.map((i) => ({ name: i.ifname, state: i.operstate ?? 'UNKNOWN', mac: i.address ?? null, addresses: (i.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`) }));
}

/** `ip -j route` → default gateways. */
export function parseIpRoute(json: string): Array<{ gateway: string; dev: string | null; metric: number | null }> {
  const list = JSON.parse(json) as Array<{ dst: string; gateway?: string; dev?: string; metric?: number }>;
  return list.filter((r) => r.dst === 'default' && r.gateway).map((r) => ({ gateway: r.gateway!, dev: r.dev ?? null, metric: r.metric ?? null }));
}

/** /proc/cpuinfo → model and counts. */
export function parseCpuinfo(text: string): { model: string | null; logical: number; physicalIds: number } {
  const blocks = text.split(/\n\s*\n/).filter((b) => b.trim());
  const first = parseColonLines(blocks[0] ?? '');
  const ids = new Set(blocks.map((b) => parseColonLines(b)['physical id']).filter(Boolean));
  return { model: first['model name'] ?? first['Model'] ?? first['Hardware'] ?? null, logical: blocks.filter((b) => /^processor\s*:/m.test(b)).length, physicalIds: ids.size };
}

export function linuxSteps(env: DiagEnv): Step[] {
  return [
    {
      id: 'os', title: 'Operating system and version',
      async run(t) {
        const rel = parseEnvFile((await t.read('/etc/os-release')) ?? (await t.read('/usr/lib/os-release')) ?? '');
        const uname = (await t.exec('uname', ['-srmv']).catch(() => ({ stdout: '' }))).stdout.trim();
        const data = { name: rel.PRETTY_NAME ?? rel.NAME ?? 'Linux', id: rel.ID ?? null, version: rel.VERSION_ID ?? null, kernel: uname || null };
        return { data, text: `${data.name}\n${uname}` };
      },
    },
    {
      id: 'uptime', title: 'Uptime',
      async run(t) {
        const sec = Number(((await t.read('/proc/uptime')) ?? '').split(/\s+/)[0]);
        if (!Number.isFinite(sec) || sec <= 0) return { data: null, text: '/proc/uptime is not readable', status: 'unavailable' };
        return { data: { seconds: Math.round(sec), bootedAt: Date.now() - Math.round(sec * 1000) }, text: `Up ${uptimeText(sec)}` };
      },
    },
    {
      id: 'hardware', title: 'Hardware',
      async run(t) {
        const cpu = parseCpuinfo((await t.read('/proc/cpuinfo')) ?? '');
        const lscpu = await t.exec('lscpu', []).then((r) => r.stdout).catch(() => '');
        const dmi: Record<string, string> = {};
        for (const k of ['sys_vendor', 'product_name', 'product_version', 'board_vendor', 'board_name', 'bios_vendor', 'bios_version', 'bios_date', 'chassis_type']) {
          const v = (await t.read(`/sys/class/dmi/id/${k}`))?.trim();
          if (v) dmi[k] = v;
        }
        const l = parseColonLines(lscpu);
        const data = { cpu: { ...cpu, architecture: l['Architecture'] ?? null, sockets: l['Socket(s)'] ? Number(l['Socket(s)']) : null, coresPerSocket: l['Core(s) per socket'] ? Number(l['Core(s) per socket']) : null }, dmi };
        const text = [`CPU: ${cpu.model ?? 'unknown'} (${cpu.logical} logical)`, ...Object.entries(dmi).map(([k, v]) => `${k}: ${v}`), '', lscpu.trim()].join('\n');
        return { data, text };
      },
    },
    {
      id: 'load', title: 'CPU and memory load',
      async run(t) {
        const load = ((await t.read('/proc/loadavg')) ?? '').trim().split(/\s+/);
        const mem = parseColonLines((await t.read('/proc/meminfo')) ?? '');
        const kb = (k: string) => (mem[k] ? Number(mem[k].replace(/\s*kB$/, '')) : null);
        const data = {
          load: { '1m': Number(load[0]), '5m': Number(load[1]), '15m': Number(load[2]) },
          memoryKB: { total: kb('MemTotal'), available: kb('MemAvailable'), free: kb('MemFree'), swapTotal: kb('SwapTotal'), swapFree: kb('SwapFree') },
        };
        const m = data.memoryKB;
        const usedPct = m.total && m.available !== null ? Math.round(100 * (1 - m.available / m.total)) : null;
        return { data: { ...data, memoryUsedPercent: usedPct }, text: `Load average: ${load.slice(0, 3).join(' ')}\nMemory: ${usedPct ?? '?'}% used of ${m.total ? Math.round(m.total / 1024) : '?'} MB, swap ${m.swapTotal ? Math.round((m.swapTotal - (m.swapFree ?? 0)) / 1024) : 0} MB used` };
      },
    },
    {
      id: 'disks', title: 'Disks and free space',
      async run(t) {
        const r = await t.exec('df', ['-PT', '-x', 'tmpfs', '-x', 'devtmpfs', '-x', 'squashfs', '-x', 'overlay']);
        return { data: parseDf(r.stdout), text: r.stdout.trim() };
      },
    },
    {
      id: 'network', title: 'Network interfaces and addresses',
      async run(t) {
        try {
          const r = await t.exec('ip', ['-j', 'addr']);
          const ifaces = parseIpAddr(r.stdout);
          return { data: ifaces, text: ifaces.map((i) => `${i.name} (${i.state}) ${i.mac ?? ''}\n  ${i.addresses.join('\n  ') || 'no address'}`).join('\n') };
        } catch (e) {
          if (!(e instanceof Unavailable)) throw e;
          // Without iproute2: names, states and MACs from /sys (addresses need ip or ifconfig).
          const names = await t.list('/sys/class/net');
          const ifaces = await Promise.all(names.map(async (name) => ({ name, state: ((await t.read(`/sys/class/net/${name}/operstate`)) ?? '').trim().toUpperCase(), mac: ((await t.read(`/sys/class/net/${name}/address`)) ?? '').trim() || null, addresses: [] as string[] })));
          return { data: ifaces, text: ifaces.map((i) => `${i.name} (${i.state}) ${i.mac ?? ''}`).join('\n') };
        }
      },
    },
    {
      id: 'gateway', title: 'Gateway',
      async run(t) {
        const r = await t.exec('ip', ['-j', 'route']);
        const gw = parseIpRoute(r.stdout);
        return { data: gw, text: gw.map((g) => `default via ${g.gateway}${g.dev ? ` dev ${g.dev}` : ''}`).join('\n') || 'No default route.' };
      },
    },
    {
      id: 'dns', title: 'DNS servers',
      async run(t) {
        const text = await t.read('/etc/resolv.conf');
        if (text === null) return { data: null, text: '/etc/resolv.conf is missing', status: 'unavailable' };
        const dns = parseResolvConf(text);
        return { data: dns, text: [`Servers: ${dns.nameservers.join(', ') || 'none'}`, `Search: ${dns.search.join(' ') || '-'}`].join('\n') };
      },
    },
    reachabilityStep(env),
    psProcessesStep('-eo'),
    {
      id: 'services', title: 'Running services',
      async run(t) {
        const r = await t.exec('systemctl', ['list-units', '--type=service', '--state=running', '--no-pager', '--no-legend', '--plain']);
        const units = r.stdout.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f[0]?.endsWith('.service')).map((f) => ({ unit: f[0], load: f[1], active: f[2], sub: f[3], description: f.slice(4).join(' ') }));
        if (r.code !== 0 && units.length === 0) return { data: null, text: 'systemd is not running here', status: 'unavailable' };
        return { data: units, text: units.map((u) => `${u.unit}  ${u.description}`).join('\n') };
      },
    },
    {
      id: 'startup', title: 'Startup items',
      async run(t) {
        const home = process.env.HOME ?? '';
        const dirs = [...(home ? [`${home}/.config/autostart`] : []), '/etc/xdg/autostart'];
        const items: Array<{ dir: string; file: string; name: string | null; exec: string | null; hidden: boolean }> = [];
        for (const dir of dirs) {
          for (const file of (await t.list(dir)).filter((f) => f.endsWith('.desktop'))) {
            const e = parseEnvFile((await t.read(`${dir}/${file}`)) ?? '');
            items.push({ dir, file, name: e.Name ?? null, exec: e.Exec ?? null, hidden: e.Hidden === 'true' || e['X-GNOME-Autostart-enabled'] === 'false' });
          }
        }
        return { data: items, text: items.map((i) => `${i.dir}/${i.file}: ${i.name ?? ''} — ${i.exec ?? ''}${i.hidden ? ' (disabled)' : ''}`).join('\n') || 'No startup items.' };
      },
    },
    {
      id: 'software', title: 'Installed software',
      async run(t) {
        const r = await firstOf(t, [['dpkg-query', ['-W', '-f', '${Package}\t${Version}\n']], ['rpm', ['-qa', '--qf', '%{NAME}\t%{VERSION}-%{RELEASE}\n']]]);
        const all = r.stdout.split('\n').filter(Boolean).map((l) => { const [name, version] = l.split('\t'); return { name, version: version ?? '' }; });
        const list = capList(all, MAX_PACKAGES);
        return { data: { source: r.cmd, ...list }, text: `${list.total} packages (${r.cmd})${list.truncated ? `, first ${MAX_PACKAGES} listed` : ''}\n` + list.items.map((p) => `${p.name} ${p.version}`).join('\n') };
      },
    },
    {
      id: 'printers', title: 'Printers and print queues',
      run: cupsPrinters,
    },
    {
      id: 'errors', title: 'Recent system errors',
      async run(t) {
        const r = await t.exec('journalctl', ['-p', 'err', '-n', '50', '--no-pager', '-o', 'short-iso']);
        const lines = r.stdout.split('\n').filter((l) => l && !l.startsWith('-- '));
        return { data: { count: lines.length, lines }, text: lines.length ? lines.join('\n') : 'No errors logged.' };
      },
    },
    displaysStep(env),
  ];
}
