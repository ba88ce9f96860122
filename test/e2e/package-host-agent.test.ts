// The quick start path: a server started like `npm start` packages the agents it serves for its
// own origin in the background, the host's first. Until one is ready, the chat's platform list,
// the download page and the download itself say "preparing, ready in about N s" (never a 404);
// a platform it doesn't package is offered nowhere and the page says it isn't set up here.
// Two platforms here (the host and Windows), and only the host's is waited for, keep the test
// short; `npm start` packages all four.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as v from 'valibot';
import { AgentPlatformsResponse, type AgentPlatformState } from '../../protocol/index.ts';
import { agentKey, createKey, joinSession, loginRep, startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer | null = null;

test.after(async () => {
  await server?.stop();
});

async function platforms(s: TestServer): Promise<Record<string, AgentPlatformState>> {
  const body = v.parse(AgentPlatformsResponse, await (await fetch(`${s.url}/api/agent-platforms`)).json());
  return Object.fromEntries(body.platforms.map((p) => [p.platform, p]));
}

/** One GET with Node's own client: the response as a stream (headers first). */
function get(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => httpGet(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } }, resolve).on('error', reject));
}

async function text(res: IncomingMessage): Promise<string> {
  let out = '';
  for await (const chunk of res) out += chunk;
  return out;
}

/**
 * Downloads until the server stops answering 503 (each 503 must say when to come back). The
 * 125 MiB agent is hashed as it is decompressed: read through fetch, it took over a minute on this
 * machine (Node's own client and zlib: a few seconds).
 */
async function download(s: TestServer, key: string, platform: string): Promise<{ status: number; encoding: string; sha256: string; error?: string }> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const res = await get(`${s.url}/download/${key}/${platform}`);
    if (res.statusCode === 503 && Date.now() < deadline) {
      const after = Number(res.headers['retry-after']);
      assert.ok(after >= 1 && after <= 60, `Retry-After ${res.headers['retry-after']}`);
      assert.match((JSON.parse(await text(res)) as { error: { message: string } }).error.message, /being prepared: ready in about \d+ s/);
      // Sooner than Retry-After says, to keep the test short, but not a busy loop beside the packager.
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    const encoding = String(res.headers['content-encoding'] ?? '');
    if (res.statusCode !== 200) return { status: res.statusCode ?? 0, encoding, sha256: '', error: await text(res) };
    const hash = createHash('sha256');
    const decode = encoding === 'br' ? createBrotliDecompress() : encoding === 'gzip' ? createGunzip() : new PassThrough();
    await pipeline(res, decode, hash);
    return { status: 200, encoding, sha256: hash.digest('hex') };
  }
}

test('first start packages the offered agents in the background; each says when it will be ready, then downloads', async () => {
  // The agent key must outlive packaging two platforms on a busy machine.
  // Brotli at quality 1: at 11 the background compression kept both cores busy for minutes after
  // each build, slowing every test running beside this one.
  server = await startServer({ config: { sessionKeys: { agentValiditySec: 3600 } }, env: { BRIDGE_AGENT_PACKAGE: '1', BRIDGE_AGENT_PLATFORMS: 'win-x64,linux-x64', BRIDGE_AGENT_BROTLI_QUALITY: '1' } });
  const cookie = await loginRep(server);
  const key = await agentKey(server, (await joinSession(server, (await createKey(server, cookie)).key)).token);

  // Right after start: both preparing, the host first; macOS is not set up here.
  const early = await platforms(server);
  assert.is(early['linux-x64'].state, 'preparing');
  assert.is(early['win-x64'].state, 'preparing');
  assert.ok(early['win-x64'].readyInSec! > early['linux-x64'].readyInSec!, JSON.stringify(early));
  assert.is(early['darwin-x64'].state, 'unavailable');
  assert.is(early['darwin-arm64'].state, 'unavailable');
  const page = await (await fetch(`${server.url}/download/${key}`)).text();
  assert.match(page, /Preparing this download: ready in about \d+ s/);
  assert.match(page, /http-equiv="refresh"/);
  assert.match(page, /macOS downloads are not set up on this server — ask your support representative\./);
  assert.not.match(page, /darwin-x64|darwin-arm64/, 'no macOS link');

  const res = await download(server, key, 'linux-x64');
  assert.is(res.status, 200, `status ${res.status} ${res.error ?? ''}: ${server.output()}`);
  assert.ok(['gzip', 'br'].includes(res.encoding), 'compressed');
  const info = JSON.parse(readFileSync(join(server.dataDir, 'agents', 'bridge-agent-linux-x64.json'), 'utf8')) as { serverUrl: string; sha256: string };
  assert.is(info.serverUrl, server.url, 'built for this server');
  assert.is(res.sha256, info.sha256);

  // The host's agent came first; the next one is still being prepared (or just finished), and
  // the download page says so. Stopping the server here also stops its packager.
  const mac = await fetch(`${server.url}/download/${key}/darwin-arm64`);
  assert.is(mac.status, 404);
  await mac.arrayBuffer();
  const late = await platforms(server);
  assert.is(late['linux-x64'].state, 'ready');
  assert.ok(['preparing', 'ready'].includes(late['win-x64'].state), JSON.stringify(late['win-x64']));
  assert.match(server.output(), /linux-x64 agent ready/);
  assert.not.match(server.output(), /win-x64 agent ready[\s\S]*linux-x64 agent ready/, 'the host first');
});

test.run();
