// The quick start path (issue 6): a server started like `npm start` packages the host platform's
// agent for its own origin in the background; a download right after start waits for it (or
// answers 503 with Retry-After), then gets that agent, compressed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createKey, loginRep, startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer | null = null;

test.after(async () => {
  await server?.stop();
});

test('first start packages the agent for the server origin; the download waits for it', async () => {
  server = await startServer({ env: { BRIDGE_AGENT_PACKAGE: '1' } });
  const cookie = await loginRep(server);
  const { key } = await createKey(server, cookie);
  let res: Response | null = null;
  const deadline = Date.now() + 150_000;
  for (;;) {
    res = await fetch(`${server.url}/download/${key}/linux-x64`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    if (res.status !== 503 || Date.now() > deadline) break;
    assert.is(res.headers.get('retry-after'), '60');
    await res.arrayBuffer();
  }
  assert.is(res.status, 200, `status ${res.status}: ${server.output()}`);
  assert.ok(['gzip', 'br'].includes(res.headers.get('content-encoding') ?? ''), 'compressed');
  const body = Buffer.from(await res.arrayBuffer());
  const info = JSON.parse(readFileSync(join(server.dataDir, 'agents', 'bridge-agent-linux-x64.json'), 'utf8')) as { serverUrl: string; sha256: string };
  assert.is(info.serverUrl, server.url, 'built for this server');
  assert.is(createHash('sha256').update(body).digest('hex'), info.sha256);
  assert.match(server.output(), /linux-x64 agent ready/);
});

test.run();
