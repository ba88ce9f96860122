// The Windows and macOS diagnostics on recorded outputs of their commands
// (test/agent/diagnostics-fixtures/: hand-written samples of each tool's documented format): the
// parsers one by one, then each platform's steps run through the real runner with tools that
// answer from the fixtures, as the agent would on that system.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBoottime, parseHardware, parseIfconfig, parseLaunchctl, parseScutilDns, parseVmStat, darwinSteps } from '../../agent/diagnostics/darwin.ts';
import { parseColonLines, parseDf, parseLpstat, parsePs, topProcesses } from '../../agent/diagnostics/parse.ts';
import { runDiagnostics } from '../../agent/diagnostics/runner.ts';
import { Unavailable, type StepTools } from '../../agent/diagnostics/types.ts';
import { parseIpconfig, parsePsJson, parseWinDisks, parseWinEvents, parseWinOs, parseWinProcesses, parseWinServices, psDate, windowsSteps, type WinOs } from '../../agent/diagnostics/windows.ts';

const fx = (name: string) => readFileSync(new URL(`./diagnostics-fixtures/${name}`, import.meta.url), 'utf8');

test('ipconfig /all: adapters, addresses, gateways and DNS servers over continuation lines', () => {
  const r = parseIpconfig(fx('ipconfig-all.txt'));
  assert.is(r.hostName, 'DESKTOP-7Q2LM4K');
  assert.equal(r.adapters.map((a) => a.name), ['Ethernet adapter Ethernet', 'Wireless LAN adapter Wi-Fi']);
  const [eth, wifi] = r.adapters;
  assert.is(eth.description, 'Intel(R) Ethernet Connection (7) I219-V');
  assert.is(eth.mac, '18-C0-4D-8A-11-2F');
  assert.is(eth.dhcp, true);
  assert.equal(eth.ipv4, ['192.168.178.23']);
  assert.equal(eth.ipv6, ['2a02:8109:b6c0:1a00:4d1e:93ff:fe21:7c10', 'fe80::4d1e:93ff:fe21:7c10']);
  assert.equal(eth.gateways, ['fe80::1', '192.168.178.1']);
  assert.equal(eth.dnsServers, ['192.168.178.1', '8.8.8.8']);
  assert.is(eth.disconnected, false);
  assert.is(wifi.disconnected, true);
  assert.equal(wifi.ipv4, []);
});

test('PowerShell JSON: one object or a list, 5.1 and 7 dates, enums as numbers', () => {
  assert.equal(parsePsJson(''), []);
  assert.is(parsePsJson(fx('win-event-single.json')).length, 1, 'a single object is unwrapped by ConvertTo-Json');
  assert.is(psDate('/Date(1796018400000)/'), 1796018400000);
  assert.is(psDate('2026-11-30T21:00:00.0000000+01:00'), Date.parse('2026-11-30T20:00:00Z'));
  assert.is(psDate(12), null);
  const os = parseWinOs(parsePsJson<WinOs>(fx('win-os.json'))[0], 1796018400000 + 3 * 3600_000);
  assert.equal([os.name, os.version, os.build, os.uptimeSec], ['Microsoft Windows 11 Pro', '10.0.22631', '22631', 10800]);
  const disks = parseWinDisks(parsePsJson(fx('win-disks.json')) as never);
  assert.is(disks[0].mount, 'C:');
  assert.is(disks[0].usePercent, 75);
  assert.is(disks[1].label, null);
  const procs = parseWinProcesses(parsePsJson(fx('win-processes.json')) as never, 16651212);
  assert.is(topProcesses(procs).byCpu[0].command, 'chrome');
  assert.is(procs[0].cpu, 0, 'System has no CPU time');
  assert.equal(parseWinServices(parsePsJson(fx('win-services.json')) as never)[2], { name: 'wuauserv', displayName: 'Windows Update', status: 'Running', startType: 'Manual' });
  const ev = parseWinEvents(parsePsJson(fx('win-events.json')) as never);
  assert.is(ev[1].message, 'The Print Spooler service terminated unexpectedly.  It has done this 1 time(s).');
  assert.is(ev[0].message.includes('\n'), false, 'first line only');
});

test('macOS: sw_vers, boot time, vm_stat, hardware without serials, ifconfig, route, scutil, launchctl', () => {
  assert.equal(parseColonLines(fx('sw_vers.txt')), { ProductName: 'macOS', ProductVersion: '14.1.1', BuildVersion: '23B81' });
  assert.is(parseBoottime(fx('kern-boottime.txt')), 1796018400000);
  const vm = parseVmStat(fx('vm_stat.txt'));
  assert.is(vm.pageSize, 16384);
  assert.is(vm.bytes.free, 4032 * 16384);
  assert.is(vm.bytes['wired down'], 141272 * 16384);
  assert.is(vm.bytes['Translation faults'], 912638211 * 16384);
  const hw = parseHardware(fx('system_profiler-hardware.json'));
  assert.equal([hw.model, hw.chip, hw.memory], ['MacBook Air', 'Apple M2', '16 GB']);
  assert.not.ok(JSON.stringify(hw).includes('C02XY1ZZJG5H'), 'no serial number');
  const ifs = parseIfconfig(fx('ifconfig.txt'));
  assert.equal(ifs.map((i) => i.name), ['lo0', 'gif0', 'stf0', 'en0', 'en1']);
  const en0 = ifs.find((i) => i.name === 'en0')!;
  assert.equal([en0.mac, en0.ipv4, en0.ipv6, en0.status], ['3c:a6:f6:12:9e:41', ['192.168.178.42'], ['fe80::18f1:4c2a:9d3b:7e12'], 'active']);
  assert.equal(ifs.find((i) => i.name === 'stf0')!.flags, []);
  const route = parseColonLines(fx('route-get-default.txt'));
  assert.equal([route.gateway, route.interface], ['192.168.178.1', 'en0']);
  const dns = parseScutilDns(fx('scutil-dns.txt'));
  assert.is(dns.length, 3, 'scoped resolvers left out');
  assert.equal(dns[0], { resolver: 1, nameservers: ['192.168.178.1', 'fd00::1'], search: ['fritz.box'], domain: null, interface: 'en0' });
  assert.is(dns[1].domain, 'local');
  assert.equal(parseLaunchctl(fx('launchctl-list.txt')), [
    { label: 'com.apple.SafariHistoryServiceAgent', pid: null, lastExit: 0 },
    { label: 'com.apple.Finder', pid: 612, lastExit: 0 },
    { label: 'com.apple.homed', pid: null, lastExit: -9 },
    { label: 'com.apple.cloudd', pid: 1203, lastExit: 0 },
  ]);
});

test('df -kP with spaces in mount points, ps with spaces in commands, lpstat', () => {
  const df = parseDf(fx('df-kP-macos.txt'));
  assert.equal(df.find((d) => d.mount === '/')!, { filesystem: '/dev/disk3s1s1', type: null, sizeKB: 482797652, usedKB: 10251444, availKB: 281402104, usePercent: 4, mount: '/' });
  assert.ok(df.some((d) => d.mount === '/Volumes/My Backup'));
  const ps = parsePs(fx('ps-macos.txt'));
  assert.is(ps.length, 4);
  assert.is(topProcesses(ps).byMemory[0].command, '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
  assert.equal(parseLpstat(fx('lpstat-p-d.txt')), {
    printers: [{ name: 'Brother_HL_L2350DW', state: 'is idle.  enabled since Mon Nov 30 09:12:01 2026' }, { name: 'Office_Color', state: 'disabled since Sun Nov 29 18:00:00 2026 -' }],
    default: 'Brother_HL_L2350DW',
  });
});

/** Tools answering from the fixtures, as the named system would; other programs are "not installed". */
function recorded(answers: Record<string, string>): () => StepTools {
  return () => ({
    signal: new AbortController().signal,
    async exec(cmd, args) {
      const key = cmd === 'powershell.exe' ? `ps:${/Win32_\w+|Get-Process|Get-Service|Get-WinEvent|Get-ItemProperty/.exec(args.at(-1)!)?.[0]}` : `${cmd} ${args.join(' ')}`.trim();
      if (!(key in answers)) throw new Unavailable(cmd);
      return { stdout: answers[key], code: 0 };
    },
    read: async () => null,
    list: async () => [],
  });
}

const env = { server: 'http://127.0.0.1:1', displays: () => [{ id: 1, name: 'Built-in', x: 0, y: 0, w: 2560, h: 1600, scale: 2, primary: true }] };

test('Windows steps on recorded outputs: sections with data; missing tools are "unavailable", not failures', async () => {
  const r = await runDiagnostics(windowsSteps(env), {
    platform: 'win32',
    tools: recorded({
      'ps:Win32_OperatingSystem': fx('win-os.json'), 'ps:Win32_LogicalDisk': fx('win-disks.json'), 'ipconfig /all': fx('ipconfig-all.txt'),
      'ps:Get-Process': fx('win-processes.json'), 'ps:Get-Service': fx('win-services.json'), 'ps:Get-WinEvent': fx('win-events.json'),
    }),
  });
  const s = Object.fromEntries(r.sections.map((x) => [x.id, x]));
  assert.is(s.os.status, 'ok');
  assert.match(s.os.text, /Microsoft Windows 11 Pro 10\.0\.22631/);
  assert.equal(s.gateway.data, [{ gateway: 'fe80::1', adapter: 'Ethernet adapter Ethernet' }, { gateway: '192.168.178.1', adapter: 'Ethernet adapter Ethernet' }]);
  assert.equal(s.dns.data, [{ adapter: 'Ethernet adapter Ethernet', servers: ['192.168.178.1', '8.8.8.8'] }]);
  assert.is((s.disks.data as Array<{ mount: string }>)[0].mount, 'C:');
  assert.is((s.processes.data as { byCpu: Array<{ command: string }> }).byCpu[0].command, 'chrome');
  assert.is((s.errors.data as unknown[]).length, 2);
  assert.is(s.hardware.status, 'unavailable', 'Win32_ComputerSystem had no recording: PowerShell counts as missing');
  assert.is(s.displays.status, 'ok');
});

test('macOS steps on recorded outputs', async () => {
  const r = await runDiagnostics(darwinSteps(env), {
    platform: 'darwin',
    tools: recorded({
      sw_vers: fx('sw_vers.txt'), 'uname -srm': 'Darwin 23.1.0 arm64\n', 'sysctl -n kern.boottime': fx('kern-boottime.txt'),
      'system_profiler -json -detailLevel mini SPHardwareDataType': fx('system_profiler-hardware.json'),
      'sysctl -n vm.loadavg': '{ 2.31 2.05 1.98 }\n', 'sysctl -n hw.memsize': '17179869184\n', vm_stat: fx('vm_stat.txt'),
      'df -kP': fx('df-kP-macos.txt'), ifconfig: fx('ifconfig.txt'), 'route -n get default': fx('route-get-default.txt'),
      'scutil --dns': fx('scutil-dns.txt'), 'ps -axo pid,user,%cpu,%mem,rss,comm': fx('ps-macos.txt'), 'launchctl list': fx('launchctl-list.txt'),
      'lpstat -p -d': fx('lpstat-p-d.txt'),
    }),
  });
  const s = Object.fromEntries(r.sections.map((x) => [x.id, x]));
  assert.equal(s.os.data, { name: 'macOS', version: '14.1.1', build: '23B81', kernel: 'Darwin 23.1.0 arm64' });
  assert.equal((s.load.data as { load: object }).load, { '1m': 2.31, '5m': 2.05, '15m': 1.98 });
  assert.not.ok((s.disks.data as Array<{ filesystem: string }>).some((d) => d.filesystem === 'devfs' || d.filesystem.startsWith('map ')), 'pseudo file systems left out');
  assert.equal((s.network.data as Array<{ name: string }>).map((i) => i.name), ['lo0', 'en0']);
  assert.equal(s.gateway.data, [{ gateway: '192.168.178.1', dev: 'en0' }]);
  assert.is((s.services.data as { running: unknown[] }).running.length, 2);
  assert.is((s.printers.data as { default: string }).default, 'Brother_HL_L2350DW');
  assert.is(s.errors.status, 'unavailable', '`log` had no recording');
});

test.run();
