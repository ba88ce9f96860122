// A compromised bridge server can't take over a customer (docs/ARCHITECTURE.md "Consent lives in the agent"): the real agent under Xvfb
// is connected to a hostile server (this test) that skips every server-side check — it pushes
// forged grants, input stamped with a covered rep's id, refresh requests and a second rep joining.
// Only what the customer allows in the agent's own window ever happens, checked with xdotool and
// an xterm writing what it is typed into a file.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WebSocketServer, type WebSocket } from 'ws';
import { decode, encode, PROTOCOL_VERSION, type Message, type Msg, type SessionInfo } from '../../protocol/index.ts';
import { until, type TestServer } from '../helpers/server.ts';
import { mouseLocation, startXvfb, x, type Xvfb } from '../helpers/xvfb.ts';
import { sleep, spawnX, startAgent, windowApi, type AgentProc } from '../agent/harness.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { ChildProcess } from 'node:child_process';

const SID = 'sess-hostile';
const REX = { role: 'rep' as const, id: 'rep-x', name: 'Rex' };
const YOLANDA = { role: 'rep' as const, id: 'rep-y', name: 'Yolanda' };

/** The hostile server: answers join and the handshake, records the agent, and sends whatever it likes. */
class HostileServer {
  http: Server;
  wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 * 1024 });
  agent: WebSocket | null = null;
  got: Message[] = [];
  url = '';

  constructor() {
    this.http = createServer((req, res) => {
      if (req.method === 'POST' && req.url === '/api/sessions/join') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ token: 'hostile-token', sessionId: SID, role: 'agent', key: 'ACDEFGH' }));
        return;
      }
      res.writeHead(404).end();
    });
    this.http.on('upgrade', (req, socket, head) => this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws)));
  }

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.http.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  private attach(ws: WebSocket): void {
    this.agent = ws;
    ws.on('message', (d: Buffer) => {
      const r = decode(new Uint8Array(d));
      if (!r.ok) return;
      this.got.push(r.msg);
      if (r.msg.t === 'hello' || r.msg.t === 'resume') {
        this.push({ t: 'welcome', v: PROTOCOL_VERSION, role: 'agent', participantId: 'p-agent', sessionId: SID, resumeToken: 'r', serverTime: Date.now(),
          customer: { companyName: 'Hostile', agreement: null, recordingPrompt: false, notices: [], survey: [], fileMaxBytes: 1000, watermark: false } });
      }
      // Keep frames coming once there are any: ack each, as a viewer would.
      if (r.msg.t === 'frame') this.push({ t: 'frame.ack', sessionId: SID, seq: r.msg.seq, from: REX });
    });
  }

  push(msg: Message): void {
    this.agent?.send(encode(msg));
  }

  frames(): number {
    return this.got.filter((m) => m.t === 'frame').length;
  }

  session(reps: Array<{ id: string; name: string }>): void {
    const info: SessionInfo = {
      id: SID, state: 'active', queue: { kind: 'general' }, queueName: 'General', customer: { name: 'Victim', company: '', issue: '', description: '', platform: 'linux' },
      reps, primaryRepId: reps[0]?.id ?? null, createdAt: Date.now(), queuedAt: null, acceptedAt: Date.now(), endedAt: null, externalKey: null,
      customerOnline: false, agentOnline: true, endReason: null, redirectUrl: null, screenRequest: null, sharing: "none",
    };
    this.push({ t: 'session', session: info });
  }

  /** Forged grants, refresh, and every kind of input, stamped as coming from `from`. */
  attack(from: Msg<'pointer'>['from'], px: number, py: number): void {
    for (const grant of ['control', 'view'] as const) this.push({ t: 'grant', sessionId: SID, grant, epoch: 1_000_000, reps: [REX.id, YOLANDA.id], apps: null });
    this.push({ t: 'frame.refresh', sessionId: SID, from });
    const s = { sessionId: SID, display: 0, from };
    this.push({ t: 'pointer', ...s, x: px, y: py });
    this.push({ t: 'button', ...s, x: px, y: py, button: 'left', down: true });
    this.push({ t: 'button', ...s, x: px, y: py, button: 'left', down: false });
    this.push({ t: 'wheel', ...s, x: px, y: py, dx: 0, dy: 2 });
    for (const code of ['KeyE', 'KeyV', 'KeyI', 'KeyL', 'Enter']) for (const down of [true, false]) this.push({ t: 'key', ...s, code, down });
    this.push({ t: 'key.combo', ...s, codes: ['ControlLeft', 'KeyD'] });
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    await new Promise((r) => this.http.close(r));
  }
}

let xvfb: Xvfb;
let hostile: HostileServer;
let agent: AgentProc;
let tmp: string;
let typed: string;
let xterm: ChildProcess;
const typedNow = () => { try { return readFileSync(typed, 'utf8'); } catch { return ''; } };
const pointerAt = (px: number, py: number) => assert.equal(mouseLocation(xvfb.display), { x: px, y: py });

test.before(async () => {
  try {
    tmp = mkdtempSync(join(tmpdir(), 'bridge-hostile-'));
    xvfb = await startXvfb(1280, 720);
    hostile = new HostileServer();
    await hostile.listen();
    typed = join(tmp, 'typed.txt');
    xterm = spawnX(xvfb.display, 'xterm', ['-bg', '#FF8010', '-geometry', '80x25+100+100', '-e', 'sh', '-c', `stty -echo; cat > ${typed}`]);
    await until(() => { try { return x(xvfb.display, 'xdotool', ['search', '--class', 'xterm']).trim() !== ''; } catch { return false; } }, 10_000, 'the xterm');
    x(xvfb.display, 'xdotool', ['mousemove', '300', '300']);
    agent = await startAgent({ url: hostile.url } as TestServer, 'ACDEFGH', xvfb.display, { tmp });
    await until(() => hostile.got.some((m) => m.t === 'sysinfo'), 20_000, 'the agent connected to the hostile server');
    hostile.session([{ id: REX.id, name: REX.name }]);
  } catch (e) { console.error('before failed:', e); throw e; }
});
test.after(async () => {
  await agent?.kill();
  xterm?.kill('SIGKILL');
  await hostile?.close();
  await xvfb?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

test('before any consent: forged grants, refresh and input from the "covered" rep do nothing; no pixel leaves', async () => {
  hostile.attack(REX, 700, 500);
  await sleep(2500);
  assert.is(hostile.frames(), 0, 'no frame');
  pointerAt(300, 300);
  assert.is(typedNow(), '', 'no key');
  assert.ok(hostile.got.filter((m) => m.t === 'grant').every((m) => m.t === 'grant' && m.grant === 'none'), 'the agent only ever announced none');
});

test('view: pixels flow, but forged control grants and input still do nothing', async () => {
  await windowApi(agent.windowUrl).consent('view');
  await until(() => hostile.frames() > 0, 10_000, 'frames under view');
  const g = hostile.got.filter((m): m is Msg<'grant'> => m.t === 'grant').at(-1)!;
  assert.is(g.grant, 'view');
  assert.equal(g.reps, [REX.id], 'the grant covers the rep present when the customer decided');
  hostile.attack(REX, 700, 500);
  await sleep(2000);
  pointerAt(300, 300);
  assert.is(typedNow(), '');
});

test('control for Rex: a second rep the server adds afterwards gets no input through; Rex\'s does (sanity)', async () => {
  await windowApi(agent.windowUrl).consent('control');
  await until(() => hostile.got.some((m) => m.t === 'grant' && m.grant === 'control'), 5000, 'control announced');
  // The server says Yolanda joined, and stamps input as hers.
  hostile.session([{ id: REX.id, name: REX.name }, { id: YOLANDA.id, name: YOLANDA.name }]);
  hostile.attack(YOLANDA, 700, 500);
  await sleep(2000);
  pointerAt(300, 300);
  assert.is(typedNow(), '');
  // Unstamped input (no `from`) is not anyone's either.
  hostile.attack(undefined, 710, 510);
  await sleep(1000);
  pointerAt(300, 300);
  // The path works for the rep the customer allowed.
  hostile.push({ t: 'pointer', sessionId: SID, display: 0, x: 450, y: 260, from: REX });
  await until(() => { const p = mouseLocation(xvfb.display); return p.x === 450 && p.y === 260; }, 5000, 'Rex\'s pointer move');
});

test('after END SCREEN SHARE: no input, no refresh, no frame, whatever the server sends', async () => {
  await windowApi(agent.windowUrl).consent('none');
  await until(() => hostile.got.filter((m) => m.t === 'grant').at(-1)?.t === 'grant' && (hostile.got.filter((m) => m.t === 'grant').at(-1) as Msg<'grant'>).grant === 'none', 5000, 'none announced');
  await sleep(500);
  const frames = hostile.frames();
  hostile.attack(REX, 700, 500);
  await sleep(2500);
  assert.is(hostile.frames(), frames, 'no frame after END SCREEN SHARE');
  pointerAt(450, 260);
  assert.is(typedNow(), '');
});

test('junk and hostile messages from the server (random bytes, msgpack, wrong types) don\'t crash the agent or move anything', async () => {
  const packr = new Packr({ useRecords: true, moreTypes: false });
  const junk = fc.sample(fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 512 }),
    fc.anything().map((v) => { try { return packr.pack(v) as Uint8Array; } catch { return new Uint8Array([0xc1]); } }),
    fc.record({ t: fc.constantFrom('pointer', 'key', 'grant', 'frame.refresh', 'session', 'welcome', 'screen.request', 'file.offer'), sessionId: fc.constantFrom(SID, 'other'), x: fc.anything(), from: fc.anything() }).map((v) => packr.pack(v) as Uint8Array),
  ), 300);
  const frames = hostile.frames();
  for (const b of junk) hostile.agent?.send(b);
  await sleep(1500);
  assert.is(agent.proc.exitCode, null, `the agent died:\n${agent.output().slice(-2000)}`);
  assert.is(hostile.frames(), frames);
  pointerAt(450, 260);
  assert.is(typedNow(), '');
  // Still answering its window and the (hostile) server.
  const state = await (await fetch(agent.windowUrl + 'state')).json() as { grant: string };
  assert.is(state.grant, 'none');
  hostile.push({ t: 'ping', ts: 42 });
  await until(() => hostile.got.some((m) => m.t === 'pong' && m.ts === 42), 5000, 'a pong');
});

test.run();
