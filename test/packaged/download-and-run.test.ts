// The packaged agent end to end: the run's linux-x64 agent built for this server's origin,
// downloaded with a session key as a browser does (compressed, decompressed on arrival),
// chmod +x, run it under Xvfb, grant viewing, see frames, end the session from the rep side;
// the agent exits 0 and leaves neither its file nor its temp dir behind.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PackagedAgentInfo } from '../helpers/packaged-agent.ts';
import { agentTempDirs, RepScreen, windowApi, world, type AgentProc, type World } from '../agent/harness.ts';
import { api, until } from '../helpers/server.ts';

let w: World;
let built: PackagedAgentInfo;
let agentsDir: string;

test.before(async () => {
  w = await world({ packagedAgent: true });
  agentsDir = join(w.server.dataDir, 'agents');
  built = JSON.parse(readFileSync(join(agentsDir, 'bridge-agent-linux-x64.json'), 'utf8')) as PackagedAgentInfo;
});

test.after(async () => {
  await w?.teardown();
});

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

test('refuses unknown, malformed and expired keys and unknown or unpackaged platforms', async () => {
  assert.is((await api(w.server, 'GET', '/download/ACDEFGH/linux-x64')).status, 404);
  assert.is((await api(w.server, 'GET', '/download/..%2F..%2Fetc/linux-x64')).status, 404);
  assert.is((await api(w.server, 'GET', `/download/${w.key}/solaris-sparc`)).status, 404);
  const win = await api(w.server, 'GET', `/download/${w.key}/win-x64`);
  assert.is(win.status, 404);
  assert.match(win.body.error.message, /package-agent/, 'tells the administrator how to add it');
});

test('the download page lists the platforms and says to chmod +x on Linux', async () => {
  const r = await fetch(`${w.server.url}/download/${w.key}`, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' } });
  assert.is(r.status, 200);
  const html = await r.text();
  assert.ok(html.includes(`chmod +x bridge-agent-${w.key} &amp;&amp; ./bridge-agent-${w.key}`), 'run instructions');
  assert.ok(html.includes(`/download/${w.key}/linux-x64`), 'link');
});

test('download, chmod +x, run: joins, streams after the grant, removes itself when the rep ends', async () => {
  // The chat checks with HEAD before it navigates to the download.
  const head = await fetch(`${w.server.url}/download/${w.key}/linux-x64`, { method: 'HEAD', headers: { 'accept-encoding': 'gzip, br' } });
  assert.is(head.status, 200);
  assert.ok(['br', 'gzip'].includes(head.headers.get('content-encoding')!), 'compressed');
  // Node's fetch decodes Content-Encoding as a browser does.
  const res = await fetch(`${w.server.url}/download/${w.key}/linux-x64`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
  assert.is(res.status, 200);
  assert.ok(['br', 'gzip'].includes(res.headers.get('content-encoding')!), 'compressed');
  assert.is(res.headers.get('content-disposition'), `attachment; filename="bridge-agent-${w.key}"`);
  const served = Number(res.headers.get('content-length'));
  const body = Buffer.from(await res.arrayBuffer());
  assert.is(sha256(body), built.sha256, 'the decompressed download is the packaged binary');
  assert.ok(served < body.length / 2, `served compressed: ${served} of ${body.length} bytes`);

  const dir = join(w.tmp, 'Downloads');
  mkdirSync(dir);
  const file = join(dir, `bridge-agent-${w.key}`);
  writeFileSync(file, body);
  chmodSync(file, 0o755);

  // No --server and no --key: the origin is baked in, the key comes from the file name.
  const proc = spawn(file, ['--no-browser'], { env: { ...process.env, DISPLAY: w.xvfb.display, TMPDIR: w.tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const agent: AgentProc = {
    proc, windowUrl: '', output: () => out, exited,
    async kill() { if (proc.exitCode === null && proc.signalCode === null) { proc.kill('SIGKILL'); await exited; } },
  };
  w.agent = agent;
  await until(() => /Agent window: (\S+)/.test(out) || proc.exitCode !== null, 30_000, 'the agent window');
  agent.windowUrl = /Agent window: (\S+)/.exec(out)?.[1] ?? '';
  assert.ok(agent.windowUrl, out);
  await w.rep.waitFor((m) => m.t === 'sysinfo' && m.sessionId === w.sessionId, 20_000);
  assert.is(agentTempDirs(w.tmp).length, 1, 'one private temp dir while running');

  const screen = new RepScreen(w.rep, w.sessionId);
  try {
    await windowApi(agent.windowUrl).consent('view');
    await until(() => screen.frames.length > 0, 15_000, 'a frame from the packaged agent');
    await screen.settled();
    assert.is(screen.image?.width, w.xvfb.width);
  } finally {
    screen.stop();
  }

  w.rep.conn.send({ t: 'end', sessionId: w.sessionId, reason: 'done' });
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 20_000))]);
  assert.is(code, 0, out);
  await until(() => !existsSync(file), 3000, 'the agent file deleted');
  assert.equal(agentTempDirs(w.tmp), [], 'temp dir removed');
});

test('--version names the baked-in server; --help works; a damaged binary says so', async () => {
  const file = join(agentsDir, 'bridge-agent-linux-x64');
  const run = (f: string, args: string[]) => new Promise<{ code: number | null; out: string }>((resolve) => {
    const p = spawn(f, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISPLAY: '' } });
    let out = '';
    p.stdout!.on('data', (d) => (out += d));
    p.stderr!.on('data', (d) => (out += d));
    p.once('exit', (code) => resolve({ code, out }));
  });
  const v = await run(file, ['--version']);
  assert.is(v.code, 0);
  assert.ok(v.out.includes(w.server.url), v.out);
  const h = await run(file, ['--help']);
  assert.is(h.code, 0);
  assert.match(h.out, /Usage: bridge-agent/);

  // Flip one byte inside the embedded agent code: the checksum catches it before it runs.
  const bytes = readFileSync(file);
  const at = bytes.indexOf('Shares this computer');
  assert.ok(at > 0, 'agent code found in the binary');
  bytes[at] ^= 0x20;
  const damaged = join(w.tmp, 'damaged-agent');
  writeFileSync(damaged, bytes, { mode: 0o755 });
  const d = await run(damaged, ['--version']);
  assert.is(d.code, 70);
  assert.match(d.out, /damaged.*Download the agent again.*BRIDGE_AGENT_DAMAGED/s);
});

test.run();
