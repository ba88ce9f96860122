// Windows and macOS agents are produced here but can't be run here: check what can be checked.
// Each file has its format's header (PE32+ / Mach-O 64 for the right CPU), carries the SEA blob
// where Node looks for it (PE resource / NODE_SEA segment), has the SEA fuse flipped, holds the
// manifest for its own platform and origin, and (Windows) has no stale Authenticode signature.
// Also: two builds from the same inputs are byte-identical.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packageAgent, type AgentBuildInfo } from '../../build-scripts/packaging/package.ts';
import { hasAuthenticode } from '../../build-scripts/packaging/pe.ts';
import { SEA_FUSE } from '../../build-scripts/packaging/platforms.ts';

const ORIGIN = 'https://support.example.com';
const out = mkdtempSync(join(tmpdir(), 'bridge-pkg-test-'));
let built: Record<string, AgentBuildInfo> = {};

test.before(async () => {
  const list = await packageAgent({ serverUrl: ORIGIN, platforms: ['win-x64', 'darwin-arm64'], outDir: out });
  built = Object.fromEntries(list.map((b) => [b.platform, b]));
});

test.after(() => {
  rmSync(out, { recursive: true, force: true });
});

const read = (p: string) => readFileSync(join(out, built[p].file));

function commonChecks(buf: Buffer, platform: string): void {
  assert.ok(buf.includes(`${SEA_FUSE}:1`), 'SEA fuse flipped');
  assert.ok(buf.includes(`"platform":"${platform}"`), 'manifest for this platform');
  assert.ok(buf.includes(`"serverUrl":"${ORIGIN}"`), 'origin baked in');
}

test('win-x64: PE32+ for x64, NODE_SEA_BLOB resource, unsigned', () => {
  const buf = read('win-x64');
  assert.is(built['win-x64'].file, 'bridge-agent-win-x64.exe');
  assert.is(buf.toString('latin1', 0, 2), 'MZ');
  const pe = buf.readUInt32LE(0x3c);
  assert.is(buf.toString('latin1', pe, pe + 4), 'PE\0\0');
  assert.is(buf.readUInt16LE(pe + 4), 0x8664, 'machine x64');
  assert.is(buf.readUInt16LE(pe + 24), 0x20b, 'PE32+');
  assert.ok(buf.includes(Buffer.from('NODE_SEA_BLOB', 'utf16le')), 'resource named NODE_SEA_BLOB');
  assert.not.ok(hasAuthenticode(buf), 'no certificate table');
  commonChecks(buf, 'win-x64');
  try {
    const v = execFileSync('osslsigncode', ['verify', '-in', join(out, built['win-x64'].file)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.unreachable(`osslsigncode found a signature: ${v}`);
  } catch (e) {
    const err = e as { code?: string; stdout?: string; stderr?: string };
    if (err.code !== 'ENOENT') assert.match(`${err.stdout}${err.stderr}`, /No signature found/i);
  }
});

/** Mach-O 64 header → cputype and the NODE_SEA segment's section names. */
function machO(buf: Buffer): { cpu: number; seaSections: string[]; codeSignature: boolean } {
  assert.is(buf.readUInt32LE(0), 0xfeedfacf, 'Mach-O 64 magic');
  const cpu = buf.readUInt32LE(4);
  const ncmds = buf.readUInt32LE(16);
  let off = 32;
  const seaSections: string[] = [];
  let codeSignature = false;
  for (let i = 0; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(off);
    const size = buf.readUInt32LE(off + 4);
    if (cmd === 0x19 && buf.toString('latin1', off + 8, off + 24).replace(/\0+$/, '') === 'NODE_SEA') {
      const nsects = buf.readUInt32LE(off + 64);
      for (let s = 0; s < nsects; s++) seaSections.push(buf.toString('latin1', off + 72 + s * 80, off + 72 + s * 80 + 16).replace(/\0+$/, ''));
    }
    if (cmd === 0x1d) codeSignature = true;
    off += size;
  }
  return { cpu, seaSections, codeSignature };
}

// darwin-x64 goes through the same code path (cputype 0x01000007); built by the bench, not here,
// to keep this file's time down.
test('darwin-arm64: Mach-O 64 for arm64 with a NODE_SEA segment', () => {
  for (const [platform, cpu] of [['darwin-arm64', 0x0100000c]] as const) {
    const buf = read(platform);
    const m = machO(buf);
    assert.is(m.cpu, cpu, `${platform} cputype`);
    assert.equal(m.seaSections, ['__NODE_SEA_BLOB'], `${platform} blob section`);
    commonChecks(buf, platform);
  }
});

test('same inputs, same bytes (linux-x64 built twice)', async () => {
  const a = join(out, 'a');
  const b = join(out, 'b');
  const [x] = await packageAgent({ serverUrl: ORIGIN, platforms: ['linux-x64'], outDir: a });
  const [y] = await packageAgent({ serverUrl: ORIGIN, platforms: ['linux-x64'], outDir: b });
  // Different bundles mean the agent's sources changed between the builds (someone editing the
  // same working tree), not that packaging is nondeterministic.
  assert.is(x.bundleSha256, y.bundleSha256, 'agent sources changed during the test');
  assert.is(x.sha256, y.sha256);
  assert.is(readFileSync(join(a, x.file)).equals(readFileSync(join(b, y.file))), true);
});

test.run();
